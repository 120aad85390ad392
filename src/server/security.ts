/**
 * What keeps the server safe to expose:
 *
 * - **Write token.** `POST /articles` needs `Authorization: Bearer <SITREP_API_TOKEN>` whenever a
 *   token is set; a server that listens on anything but loopback must have one (`checkListen`
 *   refuses to start otherwise), so that nobody on the network can write into the store. Tokens
 *   are compared in constant time and never logged or echoed.
 * - **Headers** (@fastify/helmet) on every answer, the dashboard's and the API's: a
 *   Content-Security-Policy that allows scripts, styles, workers and connections from the server
 *   itself only (no inline script, no eval; maplibre's worker may come from a blob: URL), images
 *   from itself, data: and blob:; `nosniff`, no framing, no referrer across origins.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

/** Thrown when the server must not start as asked (the CLI prints it and exits 2). */
export class ServeRefusal extends Error {}

export const MIN_TOKEN_LENGTH = 16;

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Checks that the server may listen on `host` with this token: off loopback a token is required,
 * and a token must be long enough not to be guessed. Throws ServeRefusal saying what to do.
 */
export function checkListen(host: string, token: string | null | undefined): void {
  if (token !== null && token !== undefined) {
    if (token.trim() !== token || token.length < MIN_TOKEN_LENGTH) {
      throw new ServeRefusal(
        `SITREP_API_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters without surrounding spaces (it is ${token.trim().length}); make one with: openssl rand -hex 32`,
      );
    }
    return;
  }
  if (!isLoopback(host)) {
    throw new ServeRefusal(
      `refusing to listen on ${host} without SITREP_API_TOKEN: anyone who can reach it could write into the store through POST /articles. ` +
        `Set SITREP_API_TOKEN (at least ${MIN_TOKEN_LENGTH} characters, e.g. from: openssl rand -hex 32), or listen on loopback (--host 127.0.0.1).`,
    );
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The onRequest hook of write routes: 401 unless the request carries the token (when one is set). */
export function requireToken(token: string | null | undefined) {
  const expected = token ? digest(token) : null;
  return async function tokenGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!expected) return;
    const header = request.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    reply.header('WWW-Authenticate', 'Bearer realm="sitrep"');
    if (!m) {
      throw new HttpError(401, `${request.method} ${request.routeOptions.url ?? ''} needs the header "Authorization: Bearer <token>" with the server's SITREP_API_TOKEN`);
    }
    if (!timingSafeEqual(digest(m[1]!), expected)) {
      throw new HttpError(401, 'the bearer token is not this server\'s SITREP_API_TOKEN');
    }
    reply.removeHeader('WWW-Authenticate');
  };
}

/** The Content-Security-Policy directives (helmet's names). */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Stylesheets from the server only; style="" attributes (set by maplibre, uPlot and Swagger UI) are no script.
  styleSrc: ["'self'"],
  styleSrcAttr: ["'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  // Not upgrade-insecure-requests: a server on a LAN address speaks plain HTTP, and upgrading its
  // own scripts to https would break the page.
  upgradeInsecureRequests: null,
};

/** @fastify/helmet's options. */
export const HELMET_OPTIONS = {
  global: true,
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: 'same-origin' as const },
  frameguard: { action: 'deny' as const },
  // Plain HTTP is normal for a local or LAN server: no HSTS (it would only matter behind TLS, which a proxy adds).
  strictTransportSecurity: false,
};
