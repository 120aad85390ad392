/**
 * The dashboard's state lives in the URL, so that a view can be shared and reloaded: the route and
 * the filter are in the hash (`#/?country=Mali&event_type=Battles&sort=-fatalities`,
 * `#/event/ID?country=Mali`), so any static server can serve the page and the API's query string
 * is the same text as the page's. Repeated parameters mean "any of these", as in the API.
 */

/** Everything the API filters by (see the contract: `from`, `to`, `country`, ... `min_fatalities`). */
export interface Filter {
  from?: string;
  to?: string;
  country: string[];
  admin1: string[];
  event_type: string[];
  sub_event_type: string[];
  actor?: string;
  q?: string;
  /** minLon, minLat, maxLon, maxLat. */
  bbox?: [number, number, number, number];
  min_fatalities?: number;
}

/** The table's sort: a field, descending with a leading '-'. */
export const SORT_FIELDS = ['event_date', 'fatalities', 'country', 'event_type', 'location'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const DEFAULT_SORT = '-event_date';

export type Route = { page: 'dashboard' } | { page: 'event'; id: string } | { page: 'paste' };

export interface View {
  route: Route;
  filter: Filter;
  sort: string;
}

const LISTS = ['country', 'admin1', 'event_type', 'sub_event_type'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyFilter(): Filter {
  return { country: [], admin1: [], event_type: [], sub_event_type: [] };
}

/** The filter a query string states; values the API would refuse (a bad date, a bad box) are left out. */
export function parseFilter(p: URLSearchParams): Filter {
  const f = emptyFilter();
  for (const key of LISTS) {
    const values = p
      .getAll(key)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    f[key] = [...new Set(values)];
  }
  const from = p.get('from');
  if (from && DATE.test(from)) f.from = from;
  const to = p.get('to');
  if (to && DATE.test(to)) f.to = to;
  const actor = p.get('actor')?.trim();
  if (actor) f.actor = actor;
  const q = p.get('q')?.trim();
  if (q) f.q = q;
  const bbox = p.get('bbox')?.split(',').map(Number);
  if (bbox && bbox.length === 4 && bbox.every(Number.isFinite)) f.bbox = bbox as [number, number, number, number];
  const minF = p.get('min_fatalities');
  if (minF && /^\d+$/.test(minF)) f.min_fatalities = Number(minF);
  return f;
}

/** The filter as the API's query parameters (also the page's, after the route). */
export function filterParams(f: Filter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  for (const key of LISTS) for (const v of f[key]) p.append(key, v);
  if (f.actor) p.set('actor', f.actor);
  if (f.q) p.set('q', f.q);
  if (f.bbox) p.set('bbox', f.bbox.map((x) => Math.round(x * 1e4) / 1e4).join(','));
  if (f.min_fatalities !== undefined) p.set('min_fatalities', String(f.min_fatalities));
  return p;
}

/** A stable text for a filter, to tell when it changed. */
export function filterKey(f: Filter): string {
  return filterParams(f).toString();
}

export function isEmptyFilter(f: Filter): boolean {
  return filterKey(f) === '';
}

function parseSort(s: string | null): string {
  if (!s) return DEFAULT_SORT;
  const field = s.replace(/^-/, '');
  return (SORT_FIELDS as readonly string[]).includes(field) ? s : DEFAULT_SORT;
}

/** The view a location hash states (`#/...`); anything unknown is the dashboard. */
export function parseHash(hash: string): View {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const filter = parseFilter(params);
  const sort = parseSort(params.get('sort'));
  const m = /^\/event\/(.+)$/.exec(path);
  let route: Route = { page: 'dashboard' };
  if (m && m[1]) {
    try {
      route = { page: 'event', id: decodeURIComponent(m[1]) };
    } catch {
      route = { page: 'dashboard' };
    }
  } else if (path === '/paste') route = { page: 'paste' };
  return { route, filter, sort };
}

/** The hash for a view; the default sort is left out. */
export function viewHash(v: View): string {
  const p = filterParams(v.filter);
  if (v.sort !== DEFAULT_SORT) p.set('sort', v.sort);
  const path = v.route.page === 'event' ? `/event/${encodeURIComponent(v.route.id)}` : v.route.page === 'paste' ? '/paste' : '/';
  const s = p.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/** The filter without some of its parts (e.g. the facets are asked for without the menus' own choices). */
export function without(f: Filter, ...keys: (keyof Filter)[]): Filter {
  const out: Filter = { ...f, country: [...f.country], admin1: [...f.admin1], event_type: [...f.event_type], sub_event_type: [...f.sub_event_type] };
  for (const k of keys) {
    if (k === 'country' || k === 'admin1' || k === 'event_type' || k === 'sub_event_type') out[k] = [];
    else delete out[k];
  }
  return out;
}
