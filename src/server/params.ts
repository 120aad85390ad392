/**
 * Query parameters (already checked for form by the schemas) → the store's `EventFilter`, with the
 * checks a schema cannot make, each refused with a message naming the parameter:
 *
 * - `from`/`to` must be calendar dates, `from` not after `to`;
 * - `country` takes names in any spelling sitrep knows ("Ivory Coast", "DRC"), ISO3 or ISO2 codes:
 *   each is matched by its ISO3 code and its name, so every stored spelling is found; a value sitrep
 *   does not know is matched as it is (it may still be stored that way);
 * - `event_type`/`sub_event_type` must be ACLED's names (any case);
 * - list values may be comma-separated as well as repeated;
 * - `bbox`: latitudes within -90..90 and min ≤ max; longitudes are wrapped into -180..180 (a map
 *   that shows the world more than once) and a box 360° wide or more does not filter by longitude.
 */
import { countryByIso2, countryByIso3, countryByName } from '../geo/countries.js';
import type { ApiFilter } from '../store/queries.js';
import { CursorError, POINT_PROPERTIES, SORT_FIELDS, type PointProperty, type Sort, type SortField } from '../store/queries.js';
import { isIsoDate } from '../store/validate.js';
import { badParam, shown } from './errors.js';
import type { FilterQueryT } from './schemas.js';
import { EVENT_TYPES, eventTypeName, SUB_EVENT_TYPES, subEventTypeName } from './vocabulary.js';

/** Repeated and comma-separated values, trimmed, each once. */
function values(raw: readonly string[] | undefined): string[] {
  if (!raw) return [];
  return [...new Set(raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
}

function listParam(name: string, raw: readonly string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const out = values(raw);
  if (out.length === 0) throw badParam(name, 'is empty; leave it out to match every value');
  return out;
}

function dateParam(name: 'from' | 'to', raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!isIsoDate(raw)) throw badParam(name, `${shown(raw)} is not a calendar date (YYYY-MM-DD)`);
  return raw;
}

/** Every spelling under which events of these countries may be stored: the ISO3 code and the name. */
export function countryValues(raw: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of raw) {
    const c = (/^[A-Za-z]{3}$/.test(v) ? countryByIso3(v) : /^[A-Za-z]{2}$/.test(v) ? countryByIso2(v) : undefined) ?? countryByName(v);
    if (c) out.add(c.iso3).add(c.name);
    out.add(v);
  }
  return [...out];
}

/** Parses "minLon,minLat,maxLon,maxLat" (see the module comment for the rules). */
export function parseBbox(raw: string): { bbox?: [number, number, number, number]; latOnly?: [number, number] } {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || !parts.every(Number.isFinite)) throw badParam('bbox', `expected minLon,minLat,maxLon,maxLat (four numbers), got ${shown(raw)}`);
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
  for (const [label, v] of [['minLat', minLat], ['maxLat', maxLat]] as const) {
    if (v < -90 || v > 90) throw badParam('bbox', `${label} ${v} is outside -90..90`);
  }
  if (minLat > maxLat) throw badParam('bbox', `minLat ${minLat} is above maxLat ${maxLat} (the order is minLon,minLat,maxLon,maxLat)`);
  if (maxLon - minLon >= 360) return { latOnly: [minLat, maxLat] };
  const wrap = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;
  // A box whose west edge is east of its east edge (given so, or after wrapping) crosses the antimeridian.
  return { bbox: [wrap(minLon), minLat, maxLon === 180 ? 180 : wrap(maxLon), maxLat] };
}

/** `properties` of GET /events.geojson: names of POINT_PROPERTIES, comma-separated; 400 naming an unknown one. */
export function parseProperties(raw: string): PointProperty[] {
  const names = values([raw]);
  if (names.length === 0) throw badParam('properties', 'is empty; leave it out for every property');
  for (const n of names) {
    if (!(POINT_PROPERTIES as readonly string[]).includes(n)) throw badParam('properties', `${shown(n)} is not one of ${POINT_PROPERTIES.join(', ')}`);
  }
  return names as PointProperty[];
}

/** The store filter of a query's filter parameters; throws HttpError 400 naming the bad one. */
export function toFilter(q: FilterQueryT): ApiFilter {
  const f: ApiFilter = {};
  const from = dateParam('from', q.from);
  const to = dateParam('to', q.to);
  if (from && to && from > to) throw badParam('from', `${from} is after to=${to}`);
  if (from) f.dateFrom = from;
  if (to) f.dateTo = to;

  const country = listParam('country', q.country);
  if (country) f.country = countryValues(country);
  const admin1 = listParam('admin1', q.admin1);
  if (admin1) f.admin1 = admin1;
  const types = listParam('event_type', q.event_type);
  if (types) {
    f.eventType = types.map((t) => eventTypeName(t) ?? fail('event_type', t, EVENT_TYPES));
  }
  const subTypes = listParam('sub_event_type', q.sub_event_type);
  if (subTypes) {
    f.subEventType = subTypes.map((t) => subEventTypeName(t) ?? fail('sub_event_type', t, SUB_EVENT_TYPES));
  }
  if (q.actor !== undefined) {
    const actors = [...new Set(q.actor.map((a) => a.trim()).filter((a) => a !== ''))];
    if (actors.length === 0) throw badParam('actor', 'is empty; leave it out to match every actor');
    if (actors.some((a) => /[\r\n]/.test(a))) throw badParam('actor', 'must be one line of text');
    f.actorText = actors;
  }
  if (q.q !== undefined) {
    if (q.q.trim() === '') throw badParam('q', 'is blank; leave it out to match every event');
    f.text = q.q;
  }
  if (q.bbox !== undefined) {
    const b = parseBbox(q.bbox);
    if (b.bbox) f.bbox = b.bbox;
    // A box as wide as the world: only the latitudes filter.
    else if (b.latOnly) f.bbox = [-180, b.latOnly[0], 180, b.latOnly[1]];
  }
  if (q.min_fatalities !== undefined) f.minFatalities = q.min_fatalities;
  return f;
}

function fail(name: string, value: string, allowed: readonly string[]): never {
  throw badParam(name, `${shown(value)} is not an ACLED ${name.replace(/_/g, '-').replace('-type', ' type')} (one of: ${allowed.join(', ')})`);
}

/** "-fatalities" → { field: 'fatalities', descending: true } (the schema allowed only known names). */
export function parseSort(raw: string | undefined): Sort {
  const s = raw ?? '-event_date';
  const descending = s.startsWith('-');
  const field = (descending ? s.slice(1) : s) as SortField;
  if (!(SORT_FIELDS as readonly string[]).includes(field)) throw badParam('sort', `expected one of ${SORT_FIELDS.join(', ')} (with "-" for descending), got ${shown(raw)}`);
  return { field, descending };
}

/** A store CursorError as a 400 on `cursor`. */
export function cursorError(err: unknown): never {
  if (err instanceof CursorError) throw badParam('cursor', err.message);
  throw err;
}
