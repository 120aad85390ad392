/**
 * Errors as the API answers them: `{ statusCode, error, message }`, the message saying what is wrong
 * in words a person can act on and naming the parameter ("from: expected a date YYYY-MM-DD, got
 * \"yesterday\""). Validation errors of Ajv, Fastify's body errors (too large, bad JSON, wrong media
 * type), the rate limit and unknown routes all come out in that shape. An unexpected error is logged
 * and answered 500 without its details: no stack, SQL, file path or connection string leaves the server.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { EXPECTED } from './schemas.js';

/** An error with the status to answer and a message meant for the client. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Extra fields of the error body (e.g. the per-line errors of POST /articles). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A 400 naming the parameter: "from: 2023-02-30 is not a calendar date". */
export const badParam = (name: string, what: string) => new HttpError(400, `${name}: ${what}`);

export function errorBody(statusCode: number, message: string, extra: Record<string, unknown> = {}) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

/** A value for a message: JSON-quoted, cut to 80 characters. */
export function shown(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 77)}…"` : s;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
}

/** The message of a failed schema validation (the first error: Ajv stops there). */
export function validationMessage(errors: readonly AjvError[], context: string | undefined, known: readonly string[]): string {
  const e = errors[0];
  if (!e) return `${context ?? 'request'}: invalid`;
  if (e.keyword === 'additionalProperties') {
    const name = String(e.params['additionalProperty']);
    return `${name}: unknown ${context === 'querystring' ? 'query parameter' : 'field'}${known.length ? ` (this endpoint takes ${known.join(', ')})` : ''}`;
  }
  if (e.keyword === 'required') return `${String(e.params['missingProperty'])}: is required`;
  const name = e.instancePath.replace(/^\//, '').split('/')[0] || context || 'request';
  const expected = EXPECTED[name];
  const got = e.data === undefined ? '' : `, got ${shown(e.data)}`;
  if (expected) {
    if (e.keyword === 'maxItems') return `${name}: at most ${String(e.params['limit'])} values`;
    return `${name}: expected ${expected}${got}`;
  }
  return `${name}: ${e.message ?? 'is invalid'}${got}`;
}

/** Fastify's own error codes, said for people. */
function fastifyMessage(err: FastifyError, request: FastifyRequest, bodyLimit: number): string | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `the request body is larger than ${megabytes(bodyLimit)}, the limit of this server; send fewer articles per request (split the JSONL batch)`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Content-Type ${shown(request.headers['content-type'] ?? '')} is not accepted here: send application/json (one article, or an array of articles) or application/x-ndjson (one JSON article per line)`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'body: empty; send a JSON article { "text" | "html", "published"?, "url"?, "title"?, "id"? }';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'the Content-Length header does not match the body';
    default:
      break;
  }
  if (err.statusCode === 400 && (err.name === 'SyntaxError' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY')) {
    return `body: invalid JSON (${err.message})`;
  }
  return null;
}

export const megabytes = (bytes: number) => (bytes >= 1048576 ? `${+(bytes / 1048576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);

/** The query parameters a route's schema takes, for the "unknown parameter" message. */
function knownParameters(request: FastifyRequest): string[] {
  const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  return schema?.properties ? Object.keys(schema.properties) : [];
}

export function makeErrorHandler(bodyLimit: number) {
  return function errorHandler(err: FastifyError & { extra?: Record<string, unknown> }, request: FastifyRequest, reply: FastifyReply) {
    if (err instanceof HttpError) {
      return reply.status(err.statusCode).send(errorBody(err.statusCode, err.message, err.extra));
    }
    if (err.validation) {
      return reply.status(400).send(errorBody(400, validationMessage(err.validation as AjvError[], err.validationContext, knownParameters(request))));
    }
    const said = fastifyMessage(err, request, bodyLimit);
    if (said !== null) return reply.status(err.statusCode ?? 400).send(errorBody(err.statusCode ?? 400, said));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send(errorBody(status, err.message));
    request.log.error({ err }, 'request failed');
    return reply
      .status(500)
      .send(errorBody(500, `internal error while answering ${request.method} ${request.routeOptions.url ?? 'this request'}; the server's log has the details (request ${request.id})`));
  };
}
