/** GET /stats/timeline, GET /facets and GET /health. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { facets, healthCounts, timeline, type Facets as FacetsT } from '../../store/queries.js';
import { filterKey, WriteCountCache } from '../cache.js';
import { toFilter } from '../params.js';
import { errorResponses, Facets, FilterQuery, Health, Timeline, TimelineQuery } from '../schemas.js';
import type { RouteOptions } from './events.js';

export const statsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { store }) => {
  // Facets change only when canonical events do: cached by the store's write counter (cache.ts).
  const facetCache = new WriteCountCache<FacetsT>(store);
  app.get(
    '/stats/timeline',
    {
      schema: {
        tags: ['stats'],
        summary: 'Matching events and their fatalities per day, week (from Monday) or month',
        description: 'Buckets in date order; buckets without events are left out, and so are undated events.',
        querystring: TimelineQuery,
        response: { 200: Timeline, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const interval = request.query.interval ?? 'month';
      return { interval, buckets: await timeline(store, toFilter(request.query), interval) };
    },
  );

  app.get(
    '/facets',
    {
      schema: {
        tags: ['stats'],
        summary: 'Counts per country, first-level unit, event type and sub-event type, for the filter menus',
        description: 'Each facet counts the events that match every filter except its own (the country facet ignores `country`, ...), so a menu keeps the values one can switch to. Most frequent first. Answers are cached until canonical events are next written (by any process).',
        querystring: FilterQuery,
        response: { 200: Facets, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const filter = toFilter(request.query);
      return facetCache.get(filterKey(filter), () => facets(store, filter));
    },
  );

  app.get(
    '/health',
    {
      schema: {
        tags: ['server'],
        summary: 'The server is up and its store answers',
        response: { 200: Health, ...errorResponses(500) },
      },
    },
    async () => ({ status: 'ok' as const, store: store.kind, ...(await healthCounts(store)) }),
  );
};
