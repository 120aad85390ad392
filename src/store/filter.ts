/**
 * Event filters and keyset (cursor) pagination, shared by canonical and article events (both tables
 * have the same filter columns).
 *
 * Order: newest event_date first, undated events last, then id descending. The cursor is the
 * (date, id) of the last row returned, so a page costs the same at row 100 and at row 100,000, and
 * rows inserted meanwhile never shift a page. Pass the same filter with the cursor.
 */
import { isIsoDate } from './validate.js';

export interface EventFilter {
  /** Inclusive, YYYY-MM-DD. */
  dateFrom?: string;
  dateTo?: string;
  /** Country name ("Mali") or ISO3 code ("MLI"); several means any of them. */
  country?: string | string[];
  admin1?: string | string[];
  eventType?: string | string[];
  subEventType?: string | string[];
  /** An actor named as actor1, actor2 or an associated actor (exact name); several means any. */
  actor?: string | string[];
  /** Full text over notes, actors and place names (web-search syntax: words, "phrases", -not, or). */
  text?: string;
  /** [minLon, minLat, maxLon, maxLat]; minLon > maxLon crosses the antimeridian. */
  bbox?: readonly [number, number, number, number];
  minFatalities?: number;
}

export interface Page<T> {
  items: T[];
  /** Pass to the next call for the following page; null on the last page. */
  next: string | null;
}

/** The sort key: the same expression as the *_sort_idx indexes in 001_init.sql. */
export const SORT_DATE = `coalesce(event_date, date '0001-01-01')`;

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/** SQL conditions for `filter` (AND-ed), appending their values to `params`. */
export function filterConditions(filter: EventFilter, params: unknown[]): string[] {
  const where: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const bad = (what: string): never => {
    throw new RangeError(`event filter: ${what}`);
  };
  for (const key of ['dateFrom', 'dateTo'] as const) {
    const v = filter[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !isIsoDate(v)) bad(`${key} ${JSON.stringify(v)} is not a valid date (YYYY-MM-DD)`);
    where.push(`event_date ${key === 'dateFrom' ? '>=' : '<='} ${p(v)}::date`);
  }
  if (filter.country !== undefined) {
    const v = p(list(filter.country));
    where.push(`(country = any(${v}::text[]) or iso3 = any(${v}::text[]))`);
  }
  if (filter.admin1 !== undefined) where.push(`admin1 = any(${p(list(filter.admin1))}::text[])`);
  if (filter.eventType !== undefined) where.push(`event_type = any(${p(list(filter.eventType))}::text[])`);
  if (filter.subEventType !== undefined) where.push(`sub_event_type = any(${p(list(filter.subEventType))}::text[])`);
  if (filter.actor !== undefined) where.push(`actors && ${p(list(filter.actor))}::text[]`);
  if (filter.text !== undefined && filter.text.trim() !== '') {
    where.push(`search @@ websearch_to_tsquery('simple', ${p(filter.text)})`);
  }
  if (filter.bbox !== undefined) {
    const b = filter.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      bad('bbox must be [minLon, minLat, maxLon, maxLat], four numbers');
    }
    const [minLon, minLat, maxLon, maxLat] = b;
    if (minLat > maxLat) bad(`bbox minLat ${minLat} is above maxLat ${maxLat}`);
    where.push(`latitude between ${p(minLat)} and ${p(maxLat)}`);
    where.push(
      minLon <= maxLon
        ? `longitude between ${p(minLon)} and ${p(maxLon)}`
        : `(longitude >= ${p(minLon)} or longitude <= ${p(maxLon)})`,
    );
  }
  if (filter.minFatalities !== undefined) {
    if (!Number.isInteger(filter.minFatalities)) bad(`minFatalities must be an integer, got ${filter.minFatalities}`);
    where.push(`fatalities >= ${p(filter.minFatalities)}`);
  }
  return where;
}

/** The cursor for the row after which the next page starts. */
export function encodeCursor(date: string | null, id: string): string {
  return Buffer.from(JSON.stringify([date ?? '0001-01-01', id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { date: string; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && isIsoDate(v[0]) && typeof v[1] === 'string') {
      return { date: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  throw new RangeError(`invalid cursor ${JSON.stringify(cursor.length > 60 ? `${cursor.slice(0, 60)}…` : cursor)}`);
}

export function checkLimit(limit: number | undefined, max = 1000): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new RangeError(`limit must be an integer from 1 to ${max}, got ${limit}`);
  return limit;
}

/**
 * The WHERE / ORDER BY / LIMIT tail of a page query over a table with the filter columns, whose id
 * column is `idCol`. Fetches one row more than `limit` to know whether there is a next page.
 */
export function pageSql(idCol: string, filter: EventFilter, cursor: string | null | undefined, limit: number, params: unknown[], extra: string[] = []): string {
  const where = [...extra, ...filterConditions(filter, params)];
  if (cursor) {
    const c = decodeCursor(cursor);
    params.push(c.date, c.id);
    where.push(`(${SORT_DATE}, ${idCol}) < ($${params.length - 1}::date, $${params.length})`);
  }
  params.push(limit + 1);
  return `${where.length ? `where ${where.join(' and ')}` : ''}
    order by ${SORT_DATE} desc, ${idCol} desc limit $${params.length}`;
}
