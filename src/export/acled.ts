/**
 * Canonical events as rows of ACLED's current export: its 31 columns in its order, with its value
 * forms where they differ from ours.
 *
 * | column | from |
 * |---|---|
 * | event_id_cnty | the canonical event's id |
 * | year | the year of event_date (empty when undated) |
 * | inter1, inter2, interaction | as text, the way ACLED's exports write them since 2024 ("State forces", "Rebel group"; "State forces-Rebel group", "Rebel group only"): our records keep the numeric codes |
 * | civilian_targeting | "Civilian targeting" or empty |
 * | iso | ISO 3166-1 numeric code (world-countries `ccn3`, without leading zeros as ACLED writes it; empty for Kosovo, which has none) |
 * | region | ACLED's region, from world-countries' UN subregion (see `acledRegion`) |
 * | admin3, source_scale, tags | empty: sitrep does not code them |
 * | source | the reporting articles' source names (their sites), "; "-separated, each once (the URL's site when a source has no name) |
 * | latitude, longitude | at most 4 decimals, as ACLED writes them |
 * | timestamp | unix seconds of the canonical event's last update |
 */
import { createRequire } from 'node:module';
import type { CanonicalEvent } from '../store/index.js';
import type { CsvValue } from './csv.js';

const require = createRequire(import.meta.url);

export const ACLED_COLUMNS = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type',
  'actor1', 'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting',
  'iso', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location', 'latitude', 'longitude', 'geo_precision',
  'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
] as const;

export type AcledColumn = (typeof ACLED_COLUMNS)[number];

/** ACLED's actor type names for the inter codes 1–8 (singular, as in inter1/inter2). */
export const INTER_LABELS: Readonly<Record<number, string>> = {
  1: 'State forces',
  2: 'Rebel group',
  3: 'Political militia',
  4: 'Identity militia',
  5: 'Rioters',
  6: 'Protesters',
  7: 'Civilians',
  8: 'External/Other forces',
};

export function interLabel(code: number | null | undefined): string {
  return code === null || code === undefined ? '' : (INTER_LABELS[code] ?? String(code));
}

/**
 * ACLED's interaction label for a two-digit code: "X only" for a one-sided event (ending in 0),
 * else the two actor types, lower code first ("State forces-Civilians"). ACLED writes 78 the other
 * way round ("External/Other forces-Civilians") and so does this.
 */
export function interactionLabel(code: number | null | undefined): string {
  if (code === null || code === undefined || !Number.isInteger(code)) return '';
  if (code === 78) return 'External/Other forces-Civilians';
  const a = Math.floor(code / 10);
  const b = code % 10;
  const la = INTER_LABELS[a];
  if (!la) return String(code);
  if (b === 0) return `${la} only`;
  const lb = INTER_LABELS[b];
  return lb ? `${la}-${lb}` : String(code);
}

interface WorldCountry {
  cca3: string;
  ccn3: string;
  region: string;
  subregion: string;
}

/** world-countries' subregions that are ACLED regions under another name or as they are. */
const REGION_BY_SUBREGION: Readonly<Record<string, string>> = {
  'Western Africa': 'Western Africa',
  'Middle Africa': 'Middle Africa',
  'Eastern Africa': 'Eastern Africa',
  'Southern Africa': 'Southern Africa',
  'Northern Africa': 'Northern Africa',
  'Southern Asia': 'South Asia',
  'South-Eastern Asia': 'Southeast Asia',
  'Eastern Asia': 'East Asia',
  'Central Asia': 'Caucasus and Central Asia',
  'Western Asia': 'Middle East',
  Caribbean: 'Caribbean',
  'Central America': 'Central America',
  'South America': 'South America',
  'North America': 'North America',
};

/**
 * Countries whose ACLED region is not the one their UN subregion gives: Iran is in ACLED's Middle
 * East (UN: Southern Asia); Armenia, Azerbaijan and Georgia in Caucasus and Central Asia (UN:
 * Western Asia); Mexico in Central America (UN: North America).
 */
const REGION_EXCEPTIONS: Readonly<Record<string, string>> = {
  IRN: 'Middle East',
  ARM: 'Caucasus and Central Asia',
  AZE: 'Caucasus and Central Asia',
  GEO: 'Caucasus and Central Asia',
  MEX: 'Central America',
};

let byIso3: Map<string, WorldCountry> | null = null;
function country(iso3: string): WorldCountry | undefined {
  if (!byIso3) {
    byIso3 = new Map();
    for (const c of require('world-countries') as WorldCountry[]) byIso3.set(c.cca3, c);
    // sitrep writes Kosovo as XKX (the code in common use); world-countries as UNK.
    const kosovo = byIso3.get('UNK');
    if (kosovo) byIso3.set('XKX', kosovo);
  }
  return byIso3.get(iso3.toUpperCase());
}

/** ISO 3166-1 numeric code as ACLED writes it (466 for Mali, 4 for Afghanistan), or null. */
export function isoNumeric(iso3: string | null | undefined): number | null {
  if (!iso3) return null;
  const code = country(iso3)?.ccn3;
  return code ? Number.parseInt(code, 10) : null;
}

/** ACLED's region for a country: its UN subregion under ACLED's name, Europe, Oceania, Antarctica, or an exception above. */
export function acledRegion(iso3: string | null | undefined): string | null {
  if (!iso3) return null;
  const exception = REGION_EXCEPTIONS[iso3.toUpperCase()];
  if (exception) return exception;
  const c = country(iso3);
  if (!c) return null;
  if (c.region === 'Europe') return 'Europe';
  if (c.region === 'Oceania') return 'Oceania';
  if (c.region === 'Antarctic') return 'Antarctica';
  return REGION_BY_SUBREGION[c.subregion] ?? null;
}

/** The site of a URL ("example.org"), as the pipeline names sources. */
function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/**
 * The source names of a record's reporting articles, "; "-separated, each once, in order: each
 * source's name, or the site of its URL when it has none.
 */
export function sourceNames(sources: ReadonlyArray<{ source: string | null; url?: string | null }>): string {
  const names: string[] = [];
  for (const s of sources) {
    const n = s.source?.trim() || hostOf(s.url);
    if (n && !names.includes(n)) names.push(n);
  }
  return names.join('; ');
}

const coord = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toFixed(4)) : null);

/** One canonical event as ACLED's 31 values, in ACLED_COLUMNS order. */
export function acledValues(c: CanonicalEvent): CsvValue[] {
  const e = c.event;
  const extra = e as unknown as Record<string, unknown>;
  const row: Record<AcledColumn, CsvValue> = {
    event_id_cnty: c.id,
    event_date: e.event_date,
    year: e.event_date ? Number(e.event_date.slice(0, 4)) : null,
    time_precision: e.time_precision,
    disorder_type: e.disorder_type,
    event_type: e.event_type,
    sub_event_type: e.sub_event_type,
    actor1: e.actor1,
    assoc_actor_1: e.assoc_actor_1,
    inter1: interLabel(e.inter1),
    actor2: e.actor2,
    assoc_actor_2: e.assoc_actor_2,
    inter2: interLabel(e.inter2),
    interaction: interactionLabel(e.interaction),
    civilian_targeting: e.civilian_targeting ? 'Civilian targeting' : '',
    iso: isoNumeric(e.iso3),
    region: acledRegion(e.iso3),
    country: e.country,
    admin1: e.admin1,
    admin2: e.admin2,
    admin3: typeof extra['admin3'] === 'string' ? extra['admin3'] : '',
    location: e.location,
    latitude: coord(e.latitude),
    longitude: coord(e.longitude),
    geo_precision: e.geo_precision,
    source: sourceNames(e.sources ?? []),
    source_scale: typeof extra['source_scale'] === 'string' ? extra['source_scale'] : '',
    notes: e.notes,
    fatalities: e.fatalities,
    tags: '',
    timestamp: Math.floor(Date.parse(c.updated_at) / 1000),
  };
  return ACLED_COLUMNS.map((k) => row[k]);
}
