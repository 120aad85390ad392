/**
 * sitrep's HTTP server (Fastify): the API of src/server/README.md over a Store, its OpenAPI
 * document at /openapi.json and Swagger UI at /docs (both from the routes' schemas), and the
 * dashboard's build at /.
 *
 * ```ts
 * const store = await openStore();
 * const app = await createServer({ store, host: '127.0.0.1', token: process.env.SITREP_API_TOKEN });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * ```
 *
 * The caller owns the store (the server never closes it); the server owns its extractor when it
 * made it. Safety (security.ts): a non-loopback host needs a token, write routes check it, helmet's
 * headers go on every answer, bodies are limited in size (413) and clients in rate (429), and
 * every answer's JSON escapes `<`, `>` and `&` (json.ts).
 */
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { inProcessExtractor, type Extractor } from '../jobs/extractor.js';
import type { MergeStep } from '../jobs/merge-step.js';
import type { PipelineOptions } from '../pipeline/extract.js';
import type { Store } from '../store/index.js';
import { errorBody, HttpError, makeErrorHandler, megabytes } from './errors.js';
import { IngestQueue } from './ingest.js';
import { safeJson } from './json.js';
import { articleRoutes, JSONL_TYPES } from './routes/articles.js';
import { eventRoutes } from './routes/events.js';
import { statsRoutes } from './routes/stats.js';
import { checkListen, HELMET_OPTIONS } from './security.js';
import { DEFAULT_WEB_ROOT, registerDashboard } from './static.js';

export { checkListen, isLoopback, ServeRefusal } from './security.js';
export { DEFAULT_WEB_ROOT, NOT_BUILT_PAGE } from './static.js';

export const VERSION = '0.1.0';
/** Query parameters that are whole numbers (checked against the database's integer range before validation). */
const WHOLE_NUMBER_PARAMS = new Set(['limit', 'min_fatalities']);
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

export interface RateLimits {
  /** Requests per client (IP address) per window, every route. */
  max: number;
  /** POST /articles per client per minute. */
  writeMax: number;
  /** The window, milliseconds (default one minute). */
  windowMs?: number;
}
export const DEFAULT_RATE_LIMITS: RateLimits = { max: 1200, writeMax: 60, windowMs: 60_000 };

export interface ServerOptions {
  store: Store;
  /** The address the server will listen on: decides whether a token is required (checkListen). */
  host: string;
  /** SITREP_API_TOKEN: POST /articles needs it as a bearer token when set. */
  token?: string | null;
  /** The dashboard build (default web/dist of this checkout); null: none. */
  webRoot?: string | null;
  /** Largest request body, bytes (default 10 MB). */
  bodyLimit?: number;
  /** false: no rate limit at all (benchmarks). */
  rateLimit?: RateLimits | false;
  /** Extraction for POST /articles; default on the main thread. Closed with the server when given here too. */
  extractor?: Extractor;
  merge?: MergeStep;
  pipeline?: PipelineOptions;
  /** Fastify's logger (default: none). */
  logger?: FastifyServerOptions['logger'];
}

export type SitrepServer = FastifyInstance & { dashboardBuilt: boolean };

export async function createServer(opts: ServerOptions): Promise<SitrepServer> {
  const token = opts.token?.length ? opts.token : null;
  checkListen(opts.host, token);
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limits = opts.rateLimit === undefined ? DEFAULT_RATE_LIMITS : opts.rateLimit;

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit,
    // Query strings: a repeated key is an array; Ajv coerces numbers, and one value to a one-item list.
    ajv: { customOptions: { removeAdditional: false, verbose: true, allErrors: false } },
    // Event and article ids may hold any character; URL-encoded, they stay one path segment.
    routerOptions: { maxParamLength: 500 },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setReplySerializer((payload) => safeJson(payload));
  app.setErrorHandler(makeErrorHandler(bodyLimit));
  // Values the database cannot take were 500s from it (test/reliability/api-hostile.test.ts): a NUL
  // (PostgreSQL text cannot hold U+0000) in an id or a filter, and numbers past an integer column
  // ("limit=1e999", which Ajv lets through as Infinity; "min_fatalities=99999999999"). Named as the
  // client's error instead.
  app.addHook('preValidation', async (request) => {
    for (const [where, values] of [['query parameter', request.query], ['path parameter', request.params]] as const) {
      for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          if (typeof v !== 'string') continue;
          if (v.includes('\u0000')) throw new HttpError(400, `${name}: expected text without NUL characters (U+0000), got one in this ${where}`);
          // Only numbers too large for an integer column; anything else not a whole number is the schema's to refuse.
          const n = Number(v);
          if (where === 'query parameter' && WHOLE_NUMBER_PARAMS.has(name) && v.trim() !== '' && !Number.isNaN(n) && Math.abs(n) > 2_147_483_647) {
            throw new HttpError(400, `${name}: expected a whole number no larger than 2147483647, got ${JSON.stringify(v.slice(0, 40))}`);
          }
        }
      }
    }
  });
  // JSON and JSONL only: a plain-text body is refused (415) rather than read as something it is not.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(JSONL_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  await app.register(fastifyHelmet, HELMET_OPTIONS);
  if (limits) {
    const windowMs = limits.windowMs ?? 60_000;
    await app.register(fastifyRateLimit, {
      global: true,
      max: limits.max,
      timeWindow: windowMs,
      errorResponseBuilder: (_request, context) => {
        const err = new Error(
          `rate limit: at most ${context.max} requests per ${windowMs === 60_000 ? 'minute' : windowMs > 60_000 ? `${windowMs / 60_000} minutes` : `${windowMs / 1000} s`} from one address; retry in ${context.after}`,
        );
        return Object.assign(err, { statusCode: 429 });
      },
    });
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sitrep API',
        version: VERSION,
        description:
          'Conflict events in ACLED\'s taxonomy, each field backed by spans of the articles that report it. ' +
          'Every list endpoint takes the same filters. Errors are `{ statusCode, error, message }`. ' +
          `Request bodies up to ${megabytes(bodyLimit)}; ${limits ? `${limits.max} requests per minute per client (POST /articles: ${limits.writeMax})` : 'no rate limit'}.`,
      },
      tags: [
        { name: 'events', description: 'Canonical (merged) events' },
        { name: 'export', description: 'Downloads of the current filter' },
        { name: 'stats', description: 'Aggregates for the dashboard' },
        { name: 'articles', description: 'Stored articles; adding articles' },
        { name: 'server', description: 'The server itself' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'SITREP_API_TOKEN' } } },
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, validatorUrl: null },
    // Swagger UI adds one <style> element: inline styles are allowed under /docs only (scripts stay 'self').
    transformStaticCSP: (header) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  });

  app.get('/openapi.json', { schema: { tags: ['server'], summary: 'This API as an OpenAPI 3.1 document' } }, async () => app.swagger());

  const extractor = opts.extractor ?? inProcessExtractor();
  const queue = new IngestQueue(opts.store, {
    extractor,
    ...(opts.merge ? { merge: opts.merge } : {}),
    ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
  });
  app.addHook('onClose', async () => {
    await extractor.close();
  });

  await app.register(eventRoutes, { store: opts.store });
  await app.register(statsRoutes, { store: opts.store });
  await app.register(articleRoutes, { store: opts.store, queue, token, writeLimit: limits ? limits.writeMax : false });

  const { built } = await registerDashboard(app, opts.webRoot === undefined ? DEFAULT_WEB_ROOT : opts.webRoot);
  // Unknown methods on known routes and the like still answer in the API's error shape.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.length === 0) {
      reply.type('application/json; charset=utf-8');
      return safeJson(errorBody(reply.statusCode, 'request failed'));
    }
    return payload;
  });
  return Object.assign(app, { dashboardBuilt: built }) as unknown as SitrepServer;
}
