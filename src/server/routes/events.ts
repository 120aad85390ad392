/**
 * The event routes: GET /events (a page, sorted, with a cursor and the total), GET /events/{id} (one
 * event with its articles and merge decisions), GET /events.geojson and GET /export.csv (every
 * matching event, streamed page by page from the store so that memory stays flat).
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ACLED_COLUMNS, acledValues } from '../../export/acled.js';
import { csvRecord } from '../../export/csv.js';
import { geojsonFeature, jsonlRecord } from '../../export/records.js';
import type { CanonicalEvent, Store } from '../../store/index.js';
import { allEvents, countEvents, eventDetail, eventPoints, listEvents, TOTAL_CAP } from '../../store/queries.js';
import { HttpError } from '../errors.js';
import { safeJson, safeJsonText } from '../json.js';
import { cursorError, parseProperties, parseSort, toFilter } from '../params.js';
import { errorResponses, EventDetail, EventsPage, EventsQuery, FilterQuery, GeoJsonQuery, IdParams } from '../schemas.js';

export interface RouteOptions {
  store: Store;
}

/** Chunks of a streamed export: the first page is read before the answer starts, so a failing store still gets a proper error. */
async function streamOf<T>(pages: AsyncGenerator<T>, render: (page: T, first: boolean) => string, head: string, tail: string): Promise<Readable> {
  const first = await pages.next();
  async function* chunks() {
    yield head;
    let isFirst = true;
    if (!first.done) {
      yield render(first.value, isFirst);
      isFirst = false;
      for await (const page of pages) {
        yield render(page, isFirst);
        isFirst = false;
      }
    }
    yield tail;
  }
  return Readable.from(chunks(), { objectMode: false });
}

export const eventRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { store }) => {
  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Canonical events matching the filters, one page',
        description: `Sorted by \`sort\` (default newest first, undated last), with the event id as tie break. Follow \`next_cursor\` for the next page (same filters and sort): pages never skip or repeat an event. \`total\` is counted up to ${TOTAL_CAP.toLocaleString('en')} (\`total_is_lower_bound\` says when more match) unless \`total=exact\`.`,
        querystring: EventsQuery,
        response: { 200: EventsPage, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const filter = toFilter(request.query);
      const sort = parseSort(request.query.sort);
      const limit = request.query.limit ?? 50;
      const [page, count] = await Promise.all([
        listEvents(store, filter, { sort, cursor: request.query.cursor ?? null, limit }).catch(cursorError),
        countEvents(store, filter, request.query.total === 'exact' ? null : TOTAL_CAP),
      ]);
      return { events: page.items.map(jsonlRecord), next_cursor: page.next, total: count.total, total_is_lower_bound: count.lowerBound };
    },
  );

  app.get(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'One canonical event with its claims, sources, evidence, articles and merge decisions',
        params: IdParams,
        response: { 200: EventDetail, ...errorResponses(404, 429) },
      },
    },
    async (request) => {
      const detail = await eventDetail(store, request.params.id);
      if (!detail) throw new HttpError(404, `no event ${JSON.stringify(request.params.id)} (event ids are those of GET /events; an event merged into another or retired is no longer listed)`);
      return { event: jsonlRecord(detail.event), articles: detail.articles, merges: detail.merges };
    },
  );

  app.get(
    '/events.geojson',
    {
      schema: {
        tags: ['events', 'export'],
        summary: 'Matching events as a GeoJSON FeatureCollection of Points (application/geo+json)',
        description: 'Events without coordinates are left out. Streamed page by page: memory stays flat whatever the number of events. With `properties`, each feature carries only those (a map\'s, read from indexed columns without the records).',
        querystring: GeoJsonQuery,
        produces: ['application/geo+json'],
        response: { 200: { description: 'A FeatureCollection (RFC 7946); each feature as `sitrep export --format geojson` writes it.', content: { 'application/geo+json': { schema: { type: 'object' } } } }, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const { properties, ...query } = request.query;
      const filter = toFilter(query);
      let written = 0;
      if (properties !== undefined) {
        const lean = await streamOf(
          eventPoints(store, filter, parseProperties(properties)),
          (page) => `${written++ ? ',' : ''}\n${safeJsonText(page.json)}`,
          '{"type":"FeatureCollection","features":[',
          '\n]}\n',
        );
        return reply.type('application/geo+json; charset=utf-8').send(lean);
      }
      const body = await streamOf(
        allEvents(store, filter),
        (page) => {
          let chunk = '';
          for (const c of page) {
            const f = geojsonFeature(c);
            if (!f) continue;
            chunk += `${written++ ? ',' : ''}\n${safeJson(f)}`;
          }
          return chunk;
        },
        '{"type":"FeatureCollection","features":[',
        '\n]}\n',
      );
      return reply.type('application/geo+json; charset=utf-8').send(body);
    },
  );

  app.get(
    '/export.csv',
    {
      schema: {
        tags: ['export'],
        summary: 'Matching events as ACLED CSV (text/csv, an attachment)',
        description: "ACLED's 31 columns in ACLED's order, RFC 4180, as `sitrep export --format acled-csv` writes them, newest first.",
        querystring: FilterQuery,
        produces: ['text/csv'],
        response: { 200: { description: 'ACLED CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const filter = toFilter(request.query);
      const body = await streamOf(allEvents(store, filter), (page) => page.map((c) => csvRecord(acledValues(c))).join(''), csvRecord(ACLED_COLUMNS), '');
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="sitrep-events.csv"')
        .send(body as unknown as string); // a stream; the schema documents its text
    },
  );
};
