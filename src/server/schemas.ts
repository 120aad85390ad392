/**
 * The JSON Schemas (TypeBox) of the API: query strings, path parameters and responses. One schema
 * gives three things: Fastify validates requests with it (Ajv, with query-string coercion), the
 * handlers get its static types, and @fastify/swagger writes it into the OpenAPI document.
 *
 * Responses are described for the document and the types; they are serialised by the server's own
 * JSON serialiser (index.ts), so a record's extra fields are never dropped.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { INTERVALS, POINT_PROPERTIES, SORT_FIELDS, TOTAL_CAP } from '../store/queries.js';
import { EVENT_TYPES, SUB_EVENT_TYPES } from './vocabulary.js';

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A string limited to `values`, written as `enum` (OpenAPI tools read it better than a union of consts). */
const oneOf = <T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** Four comma-separated numbers. */
export const BBOX_PATTERN = '^\\s*-?\\d+(\\.\\d+)?\\s*(,\\s*-?\\d+(\\.\\d+)?\\s*){3}$';

/** What each query parameter expects, as validation messages say it ("from: expected a date YYYY-MM-DD, got ..."). */
export const EXPECTED: Record<string, string> = {
  from: 'a date YYYY-MM-DD',
  to: 'a date YYYY-MM-DD',
  country: 'a country name or ISO3 code (repeatable or comma-separated)',
  admin1: 'a first-level unit name (repeatable or comma-separated)',
  event_type: `an ACLED event type: ${EVENT_TYPES.join(', ')}`,
  sub_event_type: 'an ACLED sub-event type ("Armed clash", "Attack", ...)',
  actor: 'part of an actor name, 1 to 200 characters',
  q: 'search words, 1 to 500 characters',
  bbox: 'minLon,minLat,maxLon,maxLat (four numbers)',
  min_fatalities: 'a whole number ≥ 0',
  sort: `one of ${SORT_FIELDS.flatMap((f) => [f, `-${f}`]).join(', ')}`,
  limit: 'a whole number from 1 to 500',
  cursor: 'the next_cursor of the previous page',
  interval: `one of ${INTERVALS.join(', ')}`,
  total: 'capped or exact',
  properties: `property names, comma-separated: ${POINT_PROPERTIES.join(', ')}`,
  id: 'an id',
};

const list = (description: string) => Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description }));

/** The filters every list endpoint takes (the contract's "Filters"). */
export const filterProperties = {
  from: Type.Optional(Type.String({ pattern: DATE_PATTERN, description: 'Events on or after this day (YYYY-MM-DD, on event_date; undated events are then left out).', examples: ['2023-01-01'] })),
  to: Type.Optional(Type.String({ pattern: DATE_PATTERN, description: 'Events on or before this day (YYYY-MM-DD, inclusive).', examples: ['2023-12-31'] })),
  country: list('Country name ("Mali", "Ivory Coast") or ISO3 code ("MLI"); repeatable or comma-separated: any of them.'),
  admin1: list('First-level unit as stored ("Mopti"); repeatable or comma-separated.'),
  event_type: list(`ACLED event type, one of: ${EVENT_TYPES.join(', ')}; repeatable or comma-separated.`),
  sub_event_type: list(`ACLED sub-event type, one of: ${SUB_EVENT_TYPES.join(', ')}; repeatable or comma-separated.`),
  actor: list('Case-insensitive part of actor1, actor2 or an associated actor ("wagner"); repeatable: any of them.'),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Full text over notes, actors, places and the reporting articles\' text and titles (web-search syntax: words, "a phrase", -not, or).' })),
  bbox: Type.Optional(Type.String({ pattern: BBOX_PATTERN, description: 'minLon,minLat,maxLon,maxLat (WGS84). minLon > maxLon crosses the antimeridian; longitudes are wrapped into -180..180.', examples: ['-5.5,10,4.5,25'] })),
  min_fatalities: Type.Optional(Type.Integer({ minimum: 0, description: 'Events with at least this many fatalities (ACLED count).' })),
};

export const FilterQuery = Type.Object(filterProperties, { additionalProperties: false });
export type FilterQueryT = Static<typeof FilterQuery>;

export const SORTS = SORT_FIELDS.flatMap((f) => [f, `-${f}`]);

export const EventsQuery = Type.Object(
  {
    ...filterProperties,
    sort: Type.Optional(oneOf(SORTS, { default: '-event_date', description: 'Order: a field, "-" for descending; the event id breaks ties.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Events per page.' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'The next_cursor of the previous page (with the same filters and sort).' })),
    total: Type.Optional(
      oneOf(['capped', 'exact'] as const, {
        default: 'capped',
        description: `How to count \`total\`: "capped" counts up to ${TOTAL_CAP.toLocaleString('en')} matching events (then \`total_is_lower_bound\` is true), at most a few ms; "exact" counts every one, which reads every matching event for full text, actor and box filters (tens of ms over 100,000 events).`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type EventsQueryT = Static<typeof EventsQuery>;

export const GeoJsonQuery = Type.Object(
  {
    ...filterProperties,
    properties: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        description: `Only these feature properties (comma-separated, any of: ${POINT_PROPERTIES.join(', ')}): a lean collection for a map, read without the records (the dashboard's map takes it). Leave it out for every property of \`sitrep export --format geojson\`.`,
        examples: ['event_id,event_type,fatalities'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type GeoJsonQueryT = Static<typeof GeoJsonQuery>;

export const TimelineQuery = Type.Object(
  { ...filterProperties, interval: Type.Optional(oneOf(INTERVALS, { default: 'month', description: 'Bucket size; weeks start on Monday.' })) },
  { additionalProperties: false },
);
export type TimelineQueryT = Static<typeof TimelineQuery>;

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 500, description: 'The id (URL-encoded).' }) });
export type IdParamsT = Static<typeof IdParams>;

// ---------------------------------------------------------------- responses

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String({ description: 'The HTTP status text.' }),
    message: Type.String({ description: 'What is wrong and how to fix it, naming the parameter.' }),
  },
  { additionalProperties: true, description: 'Every error: `{ statusCode, error, message }`.' },
);

const Claim = Type.Object(
  {
    kind: Type.String(),
    count: nullable(Type.Integer()),
    count_high: nullable(Type.Integer()),
    qualifier: Type.String(),
    claimant: nullable(Type.String()),
    victim: nullable(Type.String()),
    text: Type.String(),
    start: Type.Integer(),
    end: Type.Integer(),
    article_id: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const Source = Type.Object(
  { article_id: Type.String(), url: nullable(Type.String()), title: nullable(Type.String()), published: nullable(Type.String()), source: nullable(Type.String()) },
  { additionalProperties: true },
);

const Evidence = Type.Object({ field: Type.String(), start: Type.Integer(), end: Type.Integer(), article_id: Type.Optional(Type.String()) }, { additionalProperties: true });

export const EventRecord = Type.Object(
  {
    event_id: Type.String(),
    event_date: nullable(Type.String({ description: 'YYYY-MM-DD' })),
    time_precision: nullable(Type.Integer()),
    event_type: Type.String(),
    sub_event_type: Type.String(),
    disorder_type: Type.String(),
    actor1: nullable(Type.String()),
    assoc_actor_1: nullable(Type.String()),
    actor2: nullable(Type.String()),
    assoc_actor_2: nullable(Type.String()),
    inter1: nullable(Type.Integer()),
    inter2: nullable(Type.Integer()),
    interaction: nullable(Type.Integer()),
    civilian_targeting: Type.Boolean(),
    country: nullable(Type.String()),
    iso3: nullable(Type.String()),
    admin1: nullable(Type.String()),
    admin2: nullable(Type.String()),
    location: nullable(Type.String()),
    latitude: nullable(Type.Number()),
    longitude: nullable(Type.Number()),
    geo_precision: nullable(Type.Integer()),
    geo_basis: nullable(Type.String()),
    fatalities: Type.Integer(),
    fatalities_low: Type.Integer(),
    fatalities_best: Type.Integer(),
    fatalities_high: Type.Integer(),
    injured_low: Type.Integer(),
    injured_best: Type.Integer(),
    injured_high: Type.Integer(),
    weapons: Type.Array(Type.String()),
    claims: Type.Array(Claim),
    sources: Type.Array(Source),
    evidence: Type.Array(Evidence),
    notes: Type.String(),
  },
  { additionalProperties: true, description: 'A canonical event exactly as `sitrep export --format jsonl` prints it (../shared/event-schema.md).' },
);

export const EventsPage = Type.Object({
  events: Type.Array(EventRecord),
  next_cursor: nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page.' })),
  total: Type.Integer({
    description: `How many events match the filters (all pages). Counted up to ${TOTAL_CAP.toLocaleString('en')} unless \`total=exact\`: when more match, \`total\` is ${TOTAL_CAP} and \`total_is_lower_bound\` is true.`,
  }),
  total_is_lower_bound: Type.Boolean({
    description: `True when more than \`total\` events match (the count stopped at ${TOTAL_CAP.toLocaleString('en')}; show it as "${TOTAL_CAP.toLocaleString('en')}+"); false when \`total\` is exact. The pages are complete either way: follow next_cursor to the end.`,
  }),
});

export const ArticleRef = Type.Object({
  id: Type.String(),
  url: nullable(Type.String()),
  title: nullable(Type.String()),
  published: nullable(Type.String()),
  source: nullable(Type.String({ description: 'The site the article is filed under (its URL\'s host).' })),
});

export const EventDetail = Type.Object({
  event: EventRecord,
  articles: Type.Array(ArticleRef),
  merges: Type.Array(
    Type.Object({
      member: Type.String({ description: 'The article event the decision is about.' }),
      kind: oneOf(['pair', 'member'] as const),
      events: Type.Array(Type.String()),
      score: Type.Number({ description: 'The sum of the reasons\' points (the merger joins pairs scoring 5 or more).' }),
      reasons: Type.Array(
        Type.Object({
          name: Type.String({ description: 'What the merger compared ("same_day", "same_place", "shared_evidence", ...).' }),
          points: nullable(Type.Number({ description: 'Points it added to the score (negative: against merging).' })),
          detail: nullable(Type.String({ description: 'What it saw ("2023-04-02 = 2023-04-02", "Mopti, 3 km apart").' })),
        }),
        { description: 'Why the events were merged: each reason the score adds up, in the merger\'s order.' },
      ),
      decided_by: Type.String(),
      decided_at: Type.String(),
    }),
  ),
});

export const Timeline = Type.Object({
  interval: oneOf(INTERVALS),
  buckets: Type.Array(Type.Object({ start: Type.String({ description: 'First day of the bucket, YYYY-MM-DD.' }), events: Type.Integer(), fatalities: Type.Integer() })),
});

const Facet = Type.Object({ value: Type.String(), count: Type.Integer() });
export const Facets = Type.Object({
  countries: Type.Array(Facet),
  admin1: Type.Array(Type.Object({ country: nullable(Type.String()), value: Type.String(), count: Type.Integer() })),
  event_types: Type.Array(Facet),
  sub_event_types: Type.Array(Type.Object({ event_type: Type.String(), value: Type.String(), count: Type.Integer() })),
});

export const ArticleText = Type.Object({
  id: Type.String(),
  url: nullable(Type.String()),
  title: nullable(Type.String()),
  published: nullable(Type.String()),
  source: nullable(Type.String()),
  text: Type.String({ description: 'The cleaned text; every offset points into it (UTF-16 code units, as JavaScript counts).' }),
  spans: Type.Array(
    Type.Object({
      start: Type.Integer(),
      end: Type.Integer(),
      kind: oneOf(['evidence', 'claim'] as const),
      field: Type.String({ description: 'evidence: the event field it supports; claim: "fatalities", "injured" or the claim kind.' }),
      event_id: Type.String({ description: 'The canonical event (GET /events/{id}).' }),
      article_event_id: Type.String({ description: 'This article\'s own event the span was extracted for.' }),
    }),
  ),
});

export const ArticleInput = Type.Object(
  {
    text: Type.Optional(Type.String({ description: 'Plain text (wins over html unless blank).' })),
    html: Type.Optional(Type.String({ description: 'An HTML page; its readable text is extracted.' })),
    published: Type.Optional(Type.String({ description: 'YYYY-MM-DD (an ISO timestamp is cut to its date).' })),
    url: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    id: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'Kept as the article id; else derived from the URL or the text.' })),
  },
  { additionalProperties: true, description: 'One article; "text" or "html" is required.' },
);

export const IngestResult = Type.Object({
  articles: Type.Array(
    Type.Object({
      id: Type.String(),
      status: oneOf(['new', 'changed', 'unchanged'] as const),
      events: Type.Array(EventRecord),
    }),
  ),
  errors: Type.Array(Type.Object({ input: Type.String({ description: '"body", "item 2" or "line 3".' }), message: Type.String() })),
});

export const Health = Type.Object({
  status: oneOf(['ok'] as const),
  store: oneOf(['pglite', 'postgres'] as const),
  events: Type.Integer({ description: 'Active canonical events.' }),
  articles: Type.Integer(),
});

/** The standard error responses of a route, for the document. */
export function errorResponses(...codes: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(codes.map((c) => [c, ErrorBody]));
}
