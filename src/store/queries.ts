/**
 * The read queries of the HTTP API (src/server/): canonical events listed by any filter in any of
 * five orders with a keyset cursor and a total, one event with its articles and merge decisions,
 * the timeline, the facets of the filter menus, an article with its evidence and claim spans, and
 * the canonical events of one article. Everything reads active canonical events only, as export does.
 *
 * Filters are `EventFilter`s (filter.ts) with two differences: `text` searches the events' own words
 * (notes, actors, places) and also the text and title of the articles that report them
 * (`sources_search`, 002_api.sql), and `actorText` matches parts of actor names.
 *
 * Every function takes the Store and runs on its connection (`store.runRead`), so that the SQL lives
 * in the store layer and the server holds none.
 */
import type { Conn } from './driver.js';
import { filterConditions, SORT_DATE } from './filter.js';
import type { EventFilter } from './filter.js';
import { iso, num } from './rows.js';
import type { CanonicalEvent, Json } from './rows.js';
import type { Store } from './store.js';

/** The orders `listEvents` knows; a leading "-" means descending. */
export const SORT_FIELDS = ['event_date', 'fatalities', 'country', 'event_type', 'location'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface Sort {
  field: SortField;
  descending: boolean;
}
export const DEFAULT_SORT: Sort = { field: 'event_date', descending: true };

/**
 * The sort key of each order (the same expressions as the indexes of 002_api.sql) and its SQL type.
 * Undated events sort as 0001-01-01 (last when newest first); events without a country or a location
 * sort as the empty string.
 */
const SORT_KEY: Record<SortField, { expr: string; type: 'date' | 'int' | 'text' }> = {
  event_date: { expr: SORT_DATE, type: 'date' },
  fatalities: { expr: 'c.fatalities', type: 'int' },
  country: { expr: `coalesce(c.country, '')`, type: 'text' },
  event_type: { expr: 'c.event_type', type: 'text' },
  location: { expr: `coalesce(c.location, '')`, type: 'text' },
};

export const sortName = (s: Sort): string => `${s.descending ? '-' : ''}${s.field}`;

/** Thrown for a cursor that is not one of `listEvents` or was made for another order. */
export class CursorError extends Error {}

interface CursorValue {
  s: string;
  k: string | number;
  i: string;
}

export function encodeEventCursor(sort: Sort, key: string | number, id: string): string {
  return Buffer.from(JSON.stringify({ s: sortName(sort), k: key, i: id } satisfies CursorValue), 'utf8').toString('base64url');
}

export function decodeEventCursor(cursor: string, sort: Sort): CursorValue {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  const c = v as Partial<CursorValue> | null;
  if (!c || typeof c !== 'object' || typeof c.s !== 'string' || typeof c.i !== 'string' || (typeof c.k !== 'string' && typeof c.k !== 'number')) {
    throw new CursorError('is not a cursor of this listing (pass the next_cursor of the previous page as it is)');
  }
  if (c.s !== sortName(sort)) throw new CursorError(`was made for sort=${c.s}, not sort=${sortName(sort)} (keep the sort of the first page)`);
  const type = SORT_KEY[sort.field].type;
  if ((type === 'int') !== (typeof c.k === 'number') || (type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(String(c.k)))) {
    throw new CursorError('is not a cursor of this listing (pass the next_cursor of the previous page as it is)');
  }
  return c as CursorValue;
}

/** The API's filter: the store's, plus the actor substring. */
export interface ApiFilter extends EventFilter {
  /** Case-insensitive parts of actor1, actor2 or an associated actor ("wagner"); several means any. */
  actorText?: readonly string[];
  /**
   * The actor names `actorText` matches, looked up in `actor_names` by `resolveActors` before the
   * event query, so that the planner sees the names themselves (and their frequency in its
   * statistics of `actors`) instead of a subquery it must guess at.
   */
  actorNames?: readonly string[];
}

/** `filter` with `actorNames` filled in from `actorText` (one read of a few hundred names); the same object when it has no actorText. */
export async function resolveActors(conn: Conn, filter: ApiFilter): Promise<ApiFilter> {
  if (filter.actorText === undefined || filter.actorNames !== undefined) return filter;
  const rows = await conn.query<{ name: string }>(
    `select n.name from actor_names n where n.name ilike any($1::text[]) order by n.name collate "C"`,
    [filter.actorText.map((t) => `%${likeEscape(t.trim())}%`)],
  );
  return { ...filter, actorNames: rows.map((r) => r.name) };
}

/** `text` with LIKE's wildcards escaped (the default escape character is the backslash). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE conditions of a filter over canonical events `c` (active ones), appending to `params`. */
export function canonicalConditions(filter: ApiFilter, params: unknown[]): string[] {
  const { text, actorText, actorNames, country, ...rest } = filter;
  const where = [`c.status = 'active'`, ...filterConditions(rest, params)];
  if (country !== undefined) {
    // country_key = coalesce(iso3, country) (002_api.sql): the same meaning as filter.ts's
    // `country = any(..) or iso3 = any(..)` for the values the API passes (codes and names), with one index.
    params.push(Array.isArray(country) ? country : [country]);
    where.push(`c.country_key = any($${params.length}::text[])`);
  }
  if (actorNames !== undefined) {
    // The names resolveActors found, through the GIN index on actors.
    params.push(actorNames);
    where.push(`c.actors && $${params.length}::text[]`);
  } else if (actorText !== undefined) {
    // The names that match (a few hundred rows of actor_names, 002_api.sql), then the GIN index on actors.
    params.push(actorText.map((t) => `%${likeEscape(t.trim())}%`));
    where.push(`c.actors && array(select n.name from actor_names n where n.name ilike any($${params.length}::text[]))`);
  }
  if (text !== undefined && text.trim() !== '') {
    params.push(text);
    const q = `websearch_to_tsquery('simple', $${params.length})`;
    // The event's own words or its reports' text and titles (both GIN-indexed, 002_api.sql).
    where.push(`(c.search @@ ${q} or c.sources_search @@ ${q})`);
  }
  return where;
}

const EVENT_COLUMNS = 'c.id, c.status, c.stale, c.data, c.created_at, c.updated_at';

/** A canonical event row as `CanonicalEvent` (members are not read for listings: an empty list). */
function toEvent(r: Record<string, unknown>, members: string[] = []): CanonicalEvent {
  return {
    id: r['id'] as string,
    status: r['status'] as 'active' | 'retired',
    stale: r['stale'] === true,
    event: r['data'] as CanonicalEvent['event'],
    members,
    created_at: iso(r['created_at']),
    updated_at: iso(r['updated_at']),
  };
}

export interface EventPage {
  items: CanonicalEvent[];
  next: string | null;
}

export interface ListOptions {
  sort?: Sort;
  cursor?: string | null;
  limit: number;
}

/** One page of active canonical events matching `filter`, in `sort` order (id as tie break). */
export function listEvents(store: Store, filter: ApiFilter, opts: ListOptions): Promise<EventPage> {
  return store.runRead((conn) => listEventsOn(conn, filter, opts));
}

async function listEventsOn(conn: Conn, filter: ApiFilter, opts: ListOptions): Promise<EventPage> {
  const sort = opts.sort ?? DEFAULT_SORT;
  const key = SORT_KEY[sort.field];
  const params: unknown[] = [];
  const where = canonicalConditions(await resolveActors(conn, filter), params);
  if (opts.cursor) {
    const c = decodeEventCursor(opts.cursor, sort);
    params.push(c.k, c.i);
    where.push(`(${key.expr}, c.id) ${sort.descending ? '<' : '>'} ($${params.length - 1}::${key.type}, $${params.length})`);
  }
  params.push(opts.limit + 1);
  const dir = sort.descending ? 'desc' : 'asc';
  // The page's ids first, from the filter and sort columns only (an index-only scan where an index
  // covers them, 004_api_speed.sql), then their records: filtering never reads record JSON.
  const rows = await conn.query<Record<string, unknown>>(
    `select ${EVENT_COLUMNS}, p.k::text as sort_key
       from (select c.id, ${key.expr} as k from canonical_events c
              where ${where.join(' and ')}
              order by ${key.expr} ${dir}, c.id ${dir} limit $${params.length}) p
       join canonical_events c on c.id = p.id
      order by p.k ${dir}, c.id ${dir}`,
    params,
  );
  const items = rows.slice(0, opts.limit);
  const last = items[items.length - 1];
  const next =
    rows.length > opts.limit && last
      ? encodeEventCursor(sort, key.type === 'int' ? num(last['sort_key']) : (last['sort_key'] as string), last['id'] as string)
      : null;
  return { items: items.map((r) => toEvent(r)), next };
}

/**
 * GET /events' `total` is counted up to this many events: beyond it the count would read every
 * matching row of filters that no index counts alone (full text, actors, boxes with other filters),
 * 70 ms and more over 100,000 events, while the page itself costs a few ms.
 */
export const TOTAL_CAP = 1000;

export interface EventCount {
  /** The number of matching events, or `cap` when there are more (then `lowerBound`). */
  total: number;
  /** True when more than `total` events match (the count stopped at the cap). */
  lowerBound: boolean;
}

/**
 * How many active canonical events match `filter`, counted up to `cap` (null: every one). The
 * capped count reads at most cap + 1 matching rows.
 */
export function countEvents(store: Store, filter: ApiFilter, cap: number | null = null): Promise<EventCount> {
  return store.runRead(async (conn) => {
    const params: unknown[] = [];
    const where = canonicalConditions(await resolveActors(conn, filter), params).join(' and ');
    if (cap === null) {
      const [row] = await conn.query<{ n: unknown }>(`select count(*)::int as n from canonical_events c where ${where}`, params);
      return { total: num(row?.n ?? 0), lowerBound: false };
    }
    params.push(cap + 1);
    const [row] = await conn.query<{ n: unknown }>(
      `select count(*)::int as n from (select 1 from canonical_events c where ${where} limit $${params.length}) s`,
      params,
    );
    const n = num(row?.n ?? 0);
    return n > cap ? { total: cap, lowerBound: true } : { total: n, lowerBound: false };
  });
}

/**
 * The write counter of canonical events (004_api_speed.sql): it changes whenever a transaction
 * that wrote canonical events commits, whichever process wrote them. An answer computed after
 * reading it is at least as new as that value, so caches key their answers by it.
 */
export function canonicalWriteCount(store: Store): Promise<number> {
  return store.runRead(async (conn) => {
    const [row] = await conn.query<{ n: unknown }>('select n from api_writes where id');
    return num(row?.n ?? 0);
  });
}

/** Every matching event, page by page in `sort` order (for the GeoJSON and CSV exports). */
export async function* allEvents(store: Store, filter: ApiFilter, sort: Sort = DEFAULT_SORT, pageSize = 1000): AsyncGenerator<CanonicalEvent[]> {
  let cursor: string | null = null;
  do {
    const page: EventPage = await listEvents(store, filter, { sort, cursor, limit: pageSize });
    if (page.items.length) yield page.items;
    cursor = page.next;
  } while (cursor);
}

// ---------------------------------------------------------------- map points

/**
 * The properties a lean GeoJSON feature may carry (GET /events.geojson?properties=...): columns of
 * canonical_events, written from the record by putCanonicals, so that a map of 100,000 events reads
 * no record JSON. In the record's order.
 */
export const POINT_PROPERTIES = ['event_id', 'event_date', 'event_type', 'sub_event_type', 'country', 'iso3', 'admin1', 'admin2', 'location', 'fatalities'] as const;
export type PointProperty = (typeof POINT_PROPERTIES)[number];

const POINT_SQL: Record<PointProperty, string> = {
  event_id: 'c.id',
  event_date: 'c.event_date::text',
  event_type: 'c.event_type',
  sub_event_type: 'c.sub_event_type',
  country: 'c.country',
  iso3: 'c.iso3',
  admin1: 'c.admin1',
  admin2: 'c.admin2',
  location: 'c.location',
  fatalities: 'c.fatalities',
};

export interface PointPage {
  /** The page's features as GeoJSON text, comma-separated (`{"type":"Feature",...},{...}`); "" when none. */
  json: string;
  count: number;
}

/**
 * Every matching event with coordinates as a GeoJSON Point with only `properties` (in
 * POINT_PROPERTIES' order), page by page, newest first: what a map needs. The database writes the
 * JSON (one text value per page instead of ten fields per event to decode: 3,000 points cost a
 * quarter as much on PGlite), from columns, without reading the records.
 */
export async function* eventPoints(store: Store, filter: ApiFilter, properties: readonly PointProperty[], pageSize = 5000): AsyncGenerator<PointPage> {
  const wanted = POINT_PROPERTIES.filter((p) => properties.includes(p));
  const props = wanted.map((p) => `'${p}', ${POINT_SQL[p]}`).join(', ');
  let after: { k: string; i: string } | null = null;
  for (;;) {
    const cursor = after;
    const [row] = await store.runRead(async (conn) => {
      const params: unknown[] = [];
      const where = [...canonicalConditions(await resolveActors(conn, filter), params), 'c.latitude is not null', 'c.longitude is not null'];
      if (cursor) {
        params.push(cursor.k, cursor.i);
        where.push(`(${SORT_DATE}, c.id) < ($${params.length - 1}::date, $${params.length})`);
      }
      params.push(pageSize);
      return conn.query<Record<string, unknown>>(
        `with p as (
           select c.id, ${SORT_DATE} as k,
                  json_build_object('type', 'Feature', 'id', c.id,
                    'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(c.longitude, c.latitude)),
                    'properties', json_build_object(${props}))::text as f
             from canonical_events c
            where ${where.join(' and ')} order by ${SORT_DATE} desc, c.id desc limit $${params.length})
         select coalesce(string_agg(f, ',' order by k desc, id desc), '') as json, count(*)::int as n,
                (array_agg(k::text order by k, id))[1] as last_k, (array_agg(id order by k, id))[1] as last_id
           from p`,
        params,
      );
    });
    const count = num(row?.['n'] ?? 0);
    if (count) yield { json: row!['json'] as string, count };
    if (count < pageSize) return;
    after = { k: row!['last_k'] as string, i: row!['last_id'] as string };
  }
}

// ---------------------------------------------------------------- one event

export interface ArticleRef {
  id: string;
  url: string | null;
  title: string | null;
  published: string | null;
  /** The site the article is filed under (the URL's host), not the path it was read from. */
  source: string | null;
}

export interface MergeRef {
  /** The article event the decision is about (for a pair decision, the second of the two). */
  member: string;
  kind: 'pair' | 'member';
  events: string[];
  score: number;
  /** Why: each reason the score adds up (`mergeReasons`). */
  reasons: MergeReason[];
  decided_by: string;
  decided_at: string;
}

/** One reason of a merge decision: what the merger compared, the points it added, what it saw. */
export interface MergeReason {
  name: string;
  /** Null when the stored weight was not a finite number. */
  points: number | null;
  detail: string | null;
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

function reasonOf(v: unknown): MergeReason | null {
  if (typeof v === 'string') return { name: v, points: null, detail: null };
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const name = r['name'] ?? r['feature'] ?? r['rule'];
  if (typeof name !== 'string') return null;
  const detail = r['detail'];
  return { name, points: finite(r['points'] ?? r['weight'] ?? r['value']), detail: typeof detail === 'string' ? detail : detail === undefined || detail === null ? null : JSON.stringify(detail) };
}

/**
 * The reasons of a stored merge decision as a list. The merger (src/jobs/merge-step.ts) stores
 * `{ joined, into, partner, reasons: [{ name, weight, detail }] }`; decisions recorded by other
 * tools may hold the list itself, `{ feature, value }` items, or an object of points keyed by name:
 * each becomes `{ name, points, detail }`, in stored order. Anything else gives an empty list.
 */
export function mergeReasons(stored: unknown): MergeReason[] {
  let v = stored;
  if (v && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as Record<string, unknown>)['reasons'])) v = (v as Record<string, unknown>)['reasons'];
  if (Array.isArray(v)) return v.map(reasonOf).filter((r): r is MergeReason => r !== null);
  if (v && typeof v === 'object') {
    const single = reasonOf(v);
    if (single) return [single];
    return Object.entries(v as Record<string, unknown>).flatMap(([name, x]) => {
      if (typeof x === 'number' || (typeof x === 'string' && finite(x) !== null)) return [{ name, points: finite(x), detail: null }];
      const r = x && typeof x === 'object' && !Array.isArray(x) ? reasonOf({ name, ...(x as object) }) : null;
      return r ? [r] : [];
    });
  }
  return [];
}

export interface EventDetail {
  event: CanonicalEvent;
  articles: ArticleRef[];
  merges: MergeRef[];
}

/** An active canonical event with the articles that report it and the standing merge decisions; null when unknown. */
export function eventDetail(store: Store, id: string): Promise<EventDetail | null> {
  return store.runRead(async (conn) => {
    const [row] = await conn.query<Record<string, unknown>>(
      `select ${EVENT_COLUMNS},
              array(select m.event_id from canonical_members m where m.canonical_id = c.id order by m.event_id collate "C") as members
         from canonical_events c where c.id = $1 and c.status = 'active'`,
      [id],
    );
    if (!row) return null;
    const articles = await conn.query<Record<string, unknown>>(
      `select a.id, a.url, a.title, a.published::text as published, s.name as source
         from articles a left join sources s on s.id = a.source_id
        where a.id in (select e.article_id from canonical_members m join article_events e on e.event_id = m.event_id where m.canonical_id = $1)
        order by a.published nulls last, a.id`,
      [id],
    );
    const merges = await conn.query<Record<string, unknown>>(
      `select kind, event_a, event_b, score, reasons, decided_by, decided_at from merge_decisions
        where canonical_id = $1 and not undone order by id`,
      [id],
    );
    return {
      event: toEvent(row, (row['members'] as string[] | null) ?? []),
      articles: articles.map(toArticleRef),
      merges: merges.map((m) => {
        const events = m['event_b'] === null ? [m['event_a'] as string] : [m['event_a'] as string, m['event_b'] as string];
        return {
          member: events[events.length - 1]!,
          kind: m['kind'] as 'pair' | 'member',
          events,
          score: num(m['score']),
          reasons: mergeReasons(m['reasons']),
          decided_by: m['decided_by'] as string,
          decided_at: iso(m['decided_at']),
        };
      }),
    };
  });
}

function toArticleRef(r: Record<string, unknown>): ArticleRef {
  return {
    id: r['id'] as string,
    url: (r['url'] as string | null) ?? null,
    title: (r['title'] as string | null) ?? null,
    published: (r['published'] as string | null) ?? null,
    source: (r['source'] as string | null) ?? null,
  };
}

// ---------------------------------------------------------------- timeline and facets

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface Bucket {
  /** The first day of the bucket (a Monday for weeks). */
  start: string;
  events: number;
  fatalities: number;
}

/**
 * Dated matching events per day, ISO week (from Monday) or month, in date order; buckets without
 * events are left out. Counted per day first, so the outer grouping reads a few thousand rows at most.
 */
export function timeline(store: Store, filter: ApiFilter, interval: Interval): Promise<Bucket[]> {
  if (!(INTERVALS as readonly string[]).includes(interval)) throw new RangeError(`interval must be one of ${INTERVALS.join(', ')}`);
  return store.runRead(async (conn) => {
    const params: unknown[] = [];
    const where = [...canonicalConditions(await resolveActors(conn, filter), params), 'c.event_date is not null'];
    const bucket = interval === 'day' ? 'd.day' : `date_trunc('${interval}', d.day)::date`;
    const rows = await conn.query<Record<string, unknown>>(
      `with d as (
         select c.event_date as day, count(*) as n, sum(c.fatalities) as f from canonical_events c
          where ${where.join(' and ')} group by c.event_date)
       select (${bucket})::text as start, sum(d.n)::int as events, sum(d.f)::bigint as fatalities
         from d group by 1 order by 1`,
      params,
    );
    return rows.map((r) => ({ start: r['start'] as string, events: num(r['events']), fatalities: num(r['fatalities']) }));
  });
}

export interface Facets {
  countries: Array<{ value: string; count: number }>;
  admin1: Array<{ country: string | null; value: string; count: number }>;
  event_types: Array<{ value: string; count: number }>;
  sub_event_types: Array<{ event_type: string; value: string; count: number }>;
}

/**
 * Counts per value for the filter menus, most frequent first. Each facet counts the events that match
 * every filter but its own (the country facet ignores `country`, and so on), so a menu keeps listing
 * the values one can switch to.
 */
export function facets(store: Store, filter: ApiFilter): Promise<Facets> {
  return store.runRead(async (conn) => {
    const resolved = await resolveActors(conn, filter);
    const run = async (without: keyof ApiFilter, columns: string[], notNull: string) => {
      const { [without]: _omit, ...rest } = resolved;
      const params: unknown[] = [];
      const where = [...canonicalConditions(rest, params), `${notNull} is not null`];
      const cols = columns.join(', ');
      return conn.query<Record<string, unknown>>(
        `select ${cols}, count(*)::int as count from canonical_events c where ${where.join(' and ')}
          group by ${cols} order by count desc, ${cols}`,
        params,
      );
    };
    const [countries, admin1, types, subTypes] = await Promise.all([
      run('country', ['c.country'], 'c.country'),
      run('admin1', ['c.country', 'c.admin1'], 'c.admin1'),
      run('eventType', ['c.event_type'], 'c.event_type'),
      run('subEventType', ['c.event_type', 'c.sub_event_type'], 'c.sub_event_type'),
    ]);
    return {
      countries: countries.map((r) => ({ value: r['country'] as string, count: num(r['count']) })),
      admin1: admin1.map((r) => ({ country: (r['country'] as string | null) ?? null, value: r['admin1'] as string, count: num(r['count']) })),
      event_types: types.map((r) => ({ value: r['event_type'] as string, count: num(r['count']) })),
      sub_event_types: subTypes.map((r) => ({ event_type: r['event_type'] as string, value: r['sub_event_type'] as string, count: num(r['count']) })),
    };
  });
}

// ---------------------------------------------------------------- articles

export interface Span {
  start: number;
  end: number;
  kind: 'evidence' | 'claim';
  /** Evidence: the event field the span supports; claim: "fatalities", "injured", or the claim's kind. */
  field: string;
  /** The canonical event the span belongs to (what GET /events/{id} takes). */
  event_id: string;
  /** The article event (one article's report) the span was extracted for. */
  article_event_id: string;
}

export interface ArticleWithSpans extends ArticleRef {
  text: string;
  spans: Span[];
}

/** The field a claim of this kind supports. */
const CLAIM_FIELD: Record<string, string> = { killed: 'fatalities', injured: 'injured' };

/** A stored article's cleaned text with the spans of its events (evidence and claims), in text order; null when unknown. */
export function articleWithSpans(store: Store, id: string): Promise<ArticleWithSpans | null> {
  return store.runRead(async (conn) => {
    const [a] = await conn.query<Record<string, unknown>>(
      `select a.id, a.url, a.title, a.published::text as published, s.name as source, a.text
         from articles a left join sources s on s.id = a.source_id where a.id = $1`,
      [id],
    );
    if (!a) return null;
    const spans = await conn.query<Record<string, unknown>>(
      `select 'evidence' as kind, v.field, v.span_start, v.span_end, v.event_id, v.ordinal,
              coalesce((select m.canonical_id from canonical_members m join canonical_events ce on ce.id = m.canonical_id
                         where m.event_id = v.event_id and ce.status = 'active'), v.event_id) as canonical_id
         from evidence v where v.article_id = $1
       union all
       select 'claim', k.kind, k.span_start, k.span_end, k.event_id, k.ordinal,
              coalesce((select m.canonical_id from canonical_members m join canonical_events ce on ce.id = m.canonical_id
                         where m.event_id = k.event_id and ce.status = 'active'), k.event_id)
         from claims k where k.article_id = $1
       order by span_start, span_end, kind, event_id, ordinal`,
      [id],
    );
    return {
      ...toArticleRef(a),
      text: a['text'] as string,
      spans: spans.map((r) => {
        const kind = r['kind'] as 'evidence' | 'claim';
        const field = r['field'] as string;
        return {
          start: num(r['span_start']),
          end: num(r['span_end']),
          kind,
          field: kind === 'claim' ? (CLAIM_FIELD[field] ?? field) : field,
          event_id: r['canonical_id'] as string,
          article_event_id: r['event_id'] as string,
        };
      }),
    };
  });
}

/** The active canonical events that an article's events belong to, in the order of the article's events. */
export function articleCanonicalEvents(store: Store, articleId: string): Promise<CanonicalEvent[]> {
  return store.runRead(async (conn) => {
    const rows = await conn.query<Record<string, unknown>>(
      `select ${EVENT_COLUMNS} from canonical_events c
         join (select m.canonical_id, min(e.ordinal) as ord from canonical_members m
                 join article_events e on e.event_id = m.event_id where e.article_id = $1 group by m.canonical_id) x
           on x.canonical_id = c.id
        where c.status = 'active' order by x.ord, c.id`,
      [articleId],
    );
    return rows.map((r) => toEvent(r));
  });
}

/** What GET /health reports: active canonical events and stored articles. */
export function healthCounts(store: Store): Promise<{ events: number; articles: number }> {
  return store.runRead(async (conn) => {
    const [row] = await conn.query<Record<string, unknown>>(
      `select (select count(*) from canonical_events where status = 'active')::int as events, (select count(*) from articles)::int as articles`,
    );
    return { events: num(row?.['events'] ?? 0), articles: num(row?.['articles'] ?? 0) };
  });
}
