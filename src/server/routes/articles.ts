/**
 * GET /articles/{id} (the cleaned text with the spans of its events) and POST /articles (extract,
 * store and merge one article or a batch; needs the bearer token when the server has one).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { articleWithSpans } from '../../store/queries.js';
import { HttpError } from '../errors.js';
import type { IngestQueue } from '../ingest.js';
import { bodyInputs } from '../ingest.js';
import { ArticleInput, ArticleText, errorResponses, IdParams, IngestResult } from '../schemas.js';
import { requireToken } from '../security.js';
import type { RouteOptions } from './events.js';

export const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

export interface ArticleRouteOptions extends RouteOptions {
  queue: IngestQueue;
  token: string | null;
  /** Requests per minute per client for POST /articles (false: no limit of its own). */
  writeLimit: number | false;
}

export const articleRoutes: FastifyPluginAsyncTypebox<ArticleRouteOptions> = async (app, { store, queue, token, writeLimit }) => {
  app.get(
    '/articles/:id',
    {
      schema: {
        tags: ['articles'],
        summary: 'A stored article: its cleaned text and the evidence and claim spans of its events',
        description: 'The text is data: show it escaped (as text, never as HTML). Spans are [start, end) offsets into `text`.',
        params: IdParams,
        response: { 200: ArticleText, ...errorResponses(404, 429) },
      },
    },
    async (request) => {
      const article = await articleWithSpans(store, request.params.id);
      if (!article) throw new HttpError(404, `no article ${JSON.stringify(request.params.id)} (article ids are those in an event's sources)`);
      return article;
    },
  );

  app.post(
    '/articles',
    {
      onRequest: requireToken(token),
      ...(writeLimit ? { config: { rateLimit: { max: writeLimit, timeWindow: 60_000 } } } : {}),
      schema: {
        tags: ['articles'],
        summary: 'Extract, store and merge articles (as `sitrep ingest` does); returns their events',
        description:
          'One JSON article, a JSON array of articles, or JSONL (application/x-ndjson, one article per line). ' +
          'Each bad article is listed in `errors` and the others are stored; 400 when none is usable. ' +
          'An article stored already with the same text is `unchanged` (not extracted again); the same id or URL with a new text is `changed`.',
        security: token ? [{ bearer: [] }] : [],
        body: {
          content: {
            'application/json': { schema: Type.Union([ArticleInput, Type.Array(ArticleInput)]) },
            'application/x-ndjson': { schema: Type.String({ description: 'One JSON article per line.' }) },
          },
        },
        response: { 200: IngestResult, ...errorResponses(400, 401, 413, 415, 429) },
      },
      // The body is checked by the ingest readers (the same messages as `sitrep ingest`), not by Ajv.
      validatorCompiler: () => () => true,
    },
    async (request) => {
      const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const inputs = bodyInputs(request.body, JSONL_TYPES.includes(type) ? 'jsonl' : 'json');
      const answer = await queue.run(inputs);
      if (answer.articles.length === 0) {
        const first = answer.errors[0]?.message ?? 'no article';
        const more = answer.errors.length > 1 ? ` (and ${answer.errors.length - 1} more, in "errors")` : '';
        throw new HttpError(400, `no usable article in the body: ${first}${more}`, { errors: answer.errors });
      }
      return answer;
    },
  );
};
