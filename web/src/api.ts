/**
 * The dashboard's client for sitrep's HTTP API (the contract in notes/api-contract.md): typed
 * responses, one function per endpoint, same-origin relative URLs (the server serves the dashboard
 * and the API from one origin). Every failure becomes an ApiError carrying the server's message, so
 * the page can say what went wrong instead of showing nothing.
 */
import { filterParams, type Filter } from './filters';

export interface Claim {
  kind: string;
  count: number | null;
  count_high: number | null;
  qualifier: string;
  claimant: string | null;
  victim: string | null;
  text: string;
  start: number;
  end: number;
  article_id?: string | null;
}

export interface Source {
  article_id: string;
  url: string | null;
  title: string | null;
  published: string | null;
  source: string | null;
}

export interface Evidence {
  field: string;
  start: number;
  end: number;
  article_id?: string | null;
}

/** One event as `sitrep export --format jsonl` prints it. Unknown extra fields are shown too. */
export interface EventRecord {
  event_id: string;
  event_date: string | null;
  time_precision: number | null;
  event_type: string | null;
  sub_event_type: string | null;
  disorder_type?: string | null;
  actor1: string | null;
  assoc_actor_1: string | null;
  actor2: string | null;
  assoc_actor_2: string | null;
  inter1: number | null;
  inter2: number | null;
  interaction: number | null;
  civilian_targeting?: boolean | string | null;
  country: string | null;
  iso3: string | null;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  geo_precision: number | null;
  geo_basis?: string | null;
  fatalities: number;
  fatalities_low?: number;
  fatalities_best?: number;
  fatalities_high?: number;
  injured_low?: number;
  injured_best?: number;
  injured_high?: number;
  weapons?: string[];
  claims: Claim[];
  sources: Source[];
  evidence: Evidence[];
  notes: string | null;
  [extra: string]: unknown;
}

export interface EventPage {
  events: EventRecord[];
  next_cursor: string | null;
  /** Matching events, counted up to 1,000: with `total_is_lower_bound` more match. */
  total: number;
  total_is_lower_bound: boolean;
}

export interface ArticleMeta {
  id: string;
  url: string | null;
  title: string | null;
  published: string | null;
  source: string | null;
}

/** One reason of a merge decision: what the merger compared, the points it added (negative: against), what it saw. */
export interface MergeReason {
  name: string;
  points: number | null;
  detail: string | null;
}

export interface MergeInfo {
  /** The article event the decision is about. */
  member: string;
  kind: 'pair' | 'member';
  events: string[];
  score: number;
  reasons: MergeReason[];
  decided_by: string;
  decided_at: string;
}

export interface EventDetail {
  event: EventRecord;
  articles: ArticleMeta[];
  merges: MergeInfo[];
}

export interface ArticleSpan {
  start: number;
  end: number;
  kind: string;
  field?: string;
  event_id?: string;
}

export interface ArticleText extends ArticleMeta {
  text: string;
  spans: ArticleSpan[];
}

export type Interval = 'day' | 'week' | 'month';

export interface Timeline {
  interval: Interval;
  buckets: { start: string; events: number; fatalities: number }[];
}

export interface Facet {
  value: string;
  count: number;
}

export interface Facets {
  countries: Facet[];
  admin1: (Facet & { country: string })[];
  event_types: Facet[];
  sub_event_types: (Facet & { event_type: string })[];
}

export interface PointFeature {
  type: 'Feature';
  id?: string | number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { event_id: string; event_type: string | null; fatalities: number; event_date: string | null; country: string | null; admin1: string | null; location: string | null; [k: string]: unknown };
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: PointFeature[];
}

export interface IngestResult {
  articles: { id: string; status: 'new' | 'changed' | 'unchanged'; events: EventRecord[] }[];
  errors: { input: string; message: string }[];
}

/** What the server said when a request failed (its `message`), with the HTTP status (0: no answer). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { Accept: 'application/json', ...(init.headers ?? {}) } });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, `the server did not answer (${e instanceof Error ? e.message : String(e)})`);
  }
  const body = await res.text();
  let json: unknown = undefined;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    // Not JSON: reported below when the status is an error, else refused.
  }
  if (!res.ok) {
    // The server's message when it sent one; else the status line (never an HTML error page).
    const msg =
      json && typeof json === 'object' && 'message' in json
        ? String((json as { message: unknown }).message)
        : `${path.split('?')[0]}: ${res.statusText || 'request failed'}`;
    throw new ApiError(res.status, msg);
  }
  if (json === undefined) throw new ApiError(res.status, `${path}: the answer is not JSON`);
  return json as T;
}

/** `?a=1&b=2` for a filter (and extra parameters), or '' when empty. */
export function queryString(filter: Filter, extra: Record<string, string | number | undefined> = {}): string {
  const p = filterParams(filter);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function listEvents(filter: Filter, opts: { sort?: string; limit?: number; cursor?: string | null }, signal?: AbortSignal): Promise<EventPage> {
  return request(`/events${queryString(filter, { sort: opts.sort, limit: opts.limit, cursor: opts.cursor ?? undefined })}`, { signal });
}

/** What the map draws and its pop-ups show of each event (the server reads these from columns, not the records). */
export const MAP_PROPERTIES = ['event_id', 'event_date', 'event_type', 'country', 'admin1', 'location', 'fatalities'] as const;

/** The events of `filter` as map points: GeoJSON with only MAP_PROPERTIES (a tenth of the full collection's bytes). */
export function eventsGeoJson(filter: Filter, signal?: AbortSignal): Promise<FeatureCollection> {
  return request(`/events.geojson${queryString(filter, { properties: MAP_PROPERTIES.join(',') })}`, { signal, headers: { Accept: 'application/geo+json, application/json' } });
}

export function timeline(filter: Filter, interval: Interval, signal?: AbortSignal): Promise<Timeline> {
  return request(`/stats/timeline${queryString(filter, { interval })}`, { signal });
}

export function facets(filter: Filter, signal?: AbortSignal): Promise<Facets> {
  return request(`/facets${queryString(filter)}`, { signal });
}

export function getEvent(id: string, signal?: AbortSignal): Promise<EventDetail> {
  return request(`/events/${encodeURIComponent(id)}`, { signal });
}

export function getArticle(id: string, signal?: AbortSignal): Promise<ArticleText> {
  return request(`/articles/${encodeURIComponent(id)}`, { signal });
}

export interface ArticleInput {
  text: string;
  published?: string;
  title?: string;
  url?: string;
}

/** POST /articles with one article; `token` when the server asks for one (it does off loopback). */
export function postArticle(article: ArticleInput, token?: string): Promise<IngestResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers['Authorization'] = `Bearer ${token}`;
  return request('/articles', { method: 'POST', headers, body: JSON.stringify(article) });
}

/** Links for the downloads of the current filter. */
export function csvUrl(filter: Filter): string {
  return `/export.csv${queryString(filter)}`;
}

export function geojsonUrl(filter: Filter): string {
  return `/events.geojson${queryString(filter)}`;
}
