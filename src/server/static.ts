/**
 * The dashboard: the Vite build in `web/dist/` served at `/` (index.html, hashed assets under
 * `/assets/` cached for a year, index.html never cached), with the single-page fallback: a GET for
 * an unknown path outside the API that accepts text/html gets index.html, so that a reloaded view
 * opens. Without a build, `/` answers a plain page that says how to make one. Neither page ever
 * contains anything from the request.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.js';

/** `web/dist` of this checkout (dist/server/static.js and src/server/static.ts are two levels down). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** First path segments that belong to the API (never answered with the dashboard). */
const API_SEGMENTS = new Set(['events', 'events.geojson', 'export.csv', 'stats', 'facets', 'articles', 'health', 'openapi.json', 'docs', 'assets']);

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>sitrep: the dashboard is not built</title></head>
<body>
<h1>sitrep</h1>
<p>The dashboard is not built: <code>web/dist/index.html</code> does not exist.</p>
<p>Build it with <code>npm run build:web</code> (in sitrep's folder; <code>npm run build</code> does it too), then restart <code>sitrep serve</code>.</p>
<p>The API works meanwhile: its documentation is at <a href="/docs">/docs</a>, the OpenAPI document at <a href="/openapi.json">/openapi.json</a>.</p>
</body>
</html>
`;

/** True when `dir` holds a built dashboard. */
export function hasDashboard(dir: string | null): dir is string {
  if (!dir) return false;
  try {
    return statSync(join(dir, 'index.html')).isFile();
  } catch {
    return false;
  }
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return /\btext\/html\b/i.test(accept);
}

function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '/';
  const first = path.split('/')[1] ?? '';
  return API_SEGMENTS.has(first.toLowerCase());
}

/** Registers the dashboard (or the not-built page) and the not-found handler with the SPA fallback. */
export async function registerDashboard(app: FastifyInstance, webRoot: string | null): Promise<{ built: boolean }> {
  const built = hasDashboard(webRoot);
  if (built) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      index: ['index.html'],
      wildcard: true,
      // Not in the OpenAPI document.
      schemaHide: true,
      setHeaders(reply, path) {
        if (path.endsWith('index.html')) reply.header('Cache-Control', 'no-cache');
        else if (path.includes(`${join('/', 'assets')}/`)) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
  }

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const page = (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url) && wantsHtml(request);
    if (page && built) {
      return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
    }
    if (page) return reply.status(404).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    const path = (request.url.split('?')[0] ?? '/').slice(0, 200);
    return reply.status(404).send(errorBody(404, `no route ${request.method} ${path}; the API's routes are listed at /docs and in /openapi.json`));
  });
  return { built };
}
