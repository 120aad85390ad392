/**
 * Which events may describe the same real-world event (blocking), and how alike two are (a score
 * with named reasons). Evidence-based: two reports merge only on the same day (or, with coarse
 * dates, on stronger evidence), at a compatible place, with a compatible type, and with shared
 * specific evidence from their own sentences (src/merge/evidence.ts).
 *
 * - **Hard conflicts** (score `-Infinity`, the last reason says which): no country or date, another
 *   country, another type family, day-precise dates more than a day apart, coarse dates outside the
 *   coarser window (±7 days for a week, ±31 for a month), places more than 50 km apart, two regions
 *   named differently, and too little shared evidence (`no_shared_evidence`: below `MIN_EVIDENCE`,
 *   twice that when the date or the place is coarse, three times when both are).
 * - **Reasons** add up: `same_day` / `next_day` / `coarse_date`; `same_place` (≤ 5 km or the same
 *   location name) / `nearby_place` (≤ 25 km) / `distant_place` / `same_region` / `place_unknown`;
 *   `same_sub_event_type` / `same_event_type` / `other_event_type`; `shared_actors` /
 *   `other_actors`; `same_killed_count`; `shared_evidence` (the weighted Jaccard similarity of the two
 *   reports' evidence terms, as points).
 * - A pair merges when it has no conflict and scores at least `MERGE_THRESHOLD`.
 */
import type { EventType, SitrepEvent } from '../core/types.js';
import { termSimilarity, type Terms, type TermSimilarity } from './evidence.js';
import { currentGazetteer } from '../geo/gazetteer.js';
import { foldKey } from '../geo/countries.js';

/** A merge reason: its name, the points it adds (negative against) and what it saw. */
export interface Reason {
  name: string;
  weight: number;
  detail: string;
}

export interface PairScore {
  score: number;
  reasons: Reason[];
}

/** Pairs scoring at least this merge (tuned on the MUC-4 dev set: see src/merge/README.md). */
export const MERGE_THRESHOLD = 5;

/** The least weighted Jaccard similarity of the evidence terms for a pair with a day and a place. */
export const MIN_EVIDENCE = 0.12;

/** Points for shared evidence: this many per unit of similarity, at most `EVIDENCE_CAP`. */
const EVIDENCE_POINTS = 10;
const EVIDENCE_CAP = 4;

/** Places farther apart than this are not one event's (km); nearer than `SAME_PLACE_KM` are one place. */
export const FAR_KM = 50;
export const SAME_PLACE_KM = 5;
const NEARBY_KM = 25;

const DAY = 86_400_000;

/** Half-width of an event's date window, in days, by `time_precision`: a day is ±1 (reports differ by one day at most). */
export function windowDays(precision: SitrepEvent['time_precision']): number {
  if (precision === 1) return 1;
  if (precision === 2) return 7;
  return 31;
}

/**
 * Candidates are looked for within the report's own window widened by this many days, so that a
 * week-precise canonical event is found from a day-precise report and the other way round. A
 * month-precise canonical event (±31 days) is found by reports within that reach of its date, and by
 * month-precise reports anywhere in its window: the price of a bounded candidate range.
 */
export const CANDIDATE_MARGIN_DAYS = 7;

/** How many days from its date `e` looks for candidates. */
export function reachDays(e: Pick<SitrepEvent, 'time_precision'>): number {
  return windowDays(e.time_precision) + CANDIDATE_MARGIN_DAYS;
}

/** The bucket size of `blockKey` by time precision: a day for day-precise events, 8 days for weeks, 32 for months. */
const BUCKET_DAYS: Record<1 | 2 | 3, number> = { 1: 1, 2: 8, 3: 32 };

const precisionClass = (e: Pick<SitrepEvent, 'time_precision'>): 1 | 2 | 3 => e.time_precision ?? 3;

/**
 * How far apart the dates of `e` and a candidate of time precision `p` may be and still be compared:
 * within both the date rule (the coarser window) and the candidate range (`reachDays(e)`).
 */
export function spanDays(e: Pick<SitrepEvent, 'time_precision'>, p: SitrepEvent['time_precision']): number {
  return Math.min(reachDays(e), Math.max(windowDays(e.time_precision), windowDays(p)));
}

export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
}

/** Violent events can be coded as each other by two reporters; demonstrations likewise; the rest stands alone. */
export function typeFamily(type: EventType | string): string {
  if (type === 'Battles' || type === 'Explosions/Remote violence' || type === 'Violence against civilians') return 'violence';
  if (type === 'Protests' || type === 'Riots') return 'demonstrations';
  return 'strategic';
}

export const FAMILY_TYPES: Record<string, EventType[]> = {
  violence: ['Battles', 'Explosions/Remote violence', 'Violence against civilians'],
  demonstrations: ['Protests', 'Riots'],
  strategic: ['Strategic developments'],
};

/** Whether an event can be merged at all: it needs a country and a date. */
export function mergeable(e: Pick<SitrepEvent, 'iso3' | 'country' | 'event_date'>): boolean {
  return !!(e.iso3 || e.country) && !!e.event_date;
}

export const countryKey = (e: Pick<SitrepEvent, 'iso3' | 'country'>): string => (e.iso3 || e.country || '?').toUpperCase();

/**
 * Bucket key: country, type family, time precision and period (a day, 8 days or 32 days by that
 * precision); null when the event cannot be merged. Day-precise events fall in buckets of one day, so
 * a day-precise report meets the day-precise canonical events of three days only, however many
 * events a country has.
 */
export function blockKey(e: SitrepEvent, country: string = countryKey(e)): string | null {
  if (!mergeable(e)) return null;
  const p = precisionClass(e);
  return `${country}|${typeFamily(e.event_type)}|${p}|${Math.floor(dayNumber(e.event_date!) / BUCKET_DAYS[p])}`;
}

/** The bucket keys that hold every canonical event `e` may be compared with (`spanDays` for each time precision). */
export function candidateKeys(e: SitrepEvent, country: string = countryKey(e)): string[] {
  if (!mergeable(e)) return [];
  const d = dayNumber(e.event_date!);
  const keys: string[] = [];
  for (const p of [1, 2, 3] as const) {
    const span = spanDays(e, p);
    for (let b = Math.floor((d - span) / BUCKET_DAYS[p]); b <= Math.floor((d + span) / BUCKET_DAYS[p]); b++) keys.push(`${country}|${typeFamily(e.event_type)}|${p}|${b}`);
  }
  return keys;
}

/** The date range to look for candidates of `e` in (inclusive, YYYY-MM-DD): `reachDays(e)` around its date. */
export function candidateDates(e: Pick<SitrepEvent, 'event_date' | 'time_precision'>): { dateFrom: string; dateTo: string } | null {
  if (!e.event_date) return null;
  const d = dayNumber(e.event_date);
  const iso = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
  return { dateFrom: iso(d - reachDays(e)), dateTo: iso(d + reachDays(e)) };
}

/** Great-circle distance in km. */
export function km(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Lower case, accents removed, bracketed parts dropped, punctuation to spaces, spaces collapsed. */
export function normName(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Generic actor names say little: "Unidentified Armed Group (Mali)", "Civilians (Mali)". */
const GENERIC_ACTOR = /^(?:unidentified|civilians|protesters|rioters|military forces|police forces)\b/;

/** The actors an event names (actor1/2 and associated actors, split on ";"), normalised; generic ones apart. */
export function actorNames(e: SitrepEvent): { specific: Set<string>; generic: Set<string> } {
  const specific = new Set<string>();
  const generic = new Set<string>();
  for (const a of [e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2]) {
    for (const part of (a ?? '').split(';')) {
      const n = normName(part);
      if (!n) continue;
      (GENERIC_ACTOR.test(n) ? generic : specific).add(n);
    }
  }
  return { specific, generic };
}

/**
 * How precisely an event is placed: `point` (the place itself, near it, between two places, or a
 * district's seat), `region` (a first-level unit, or a place standing for one), `country` (only the
 * country is known: the point is its capital or a cue's region), or `none`.
 */
export function placeLevel(e: SitrepEvent): 'point' | 'region' | 'country' | 'none' {
  if (e.latitude === null || e.longitude === null) return e.admin1 ? 'region' : 'none';
  if (e.geo_basis === 'country') return 'country';
  if (e.geo_basis === 'admin1' || (e.geo_precision ?? 3) >= 3) return 'region';
  return 'point';
}

/** From this many people a city is no one place for merging (`same_city`). */
export const LARGE_CITY = 1_000_000;

/** Whether an event stands at a city of `LARGE_CITY` people or more (by the gazetteer; its location name and country). */
function isLargeCity(e: SitrepEvent): boolean {
  if (!e.location || e.geo_basis !== 'place' || e.latitude === null || e.longitude === null) return false;
  const key = `${e.iso3 ?? ''}|${e.location}`;
  let big = largeCityCache.get(key);
  if (big === undefined) {
    big = currentGazetteer()
      .lookup(foldKey(e.location))
      .some((p) => p.level === 'town' && p.iso3 === e.iso3 && p.population >= LARGE_CITY && Math.abs((p.latitude ?? 0) - e.latitude!) < 0.5 && Math.abs((p.longitude ?? 0) - e.longitude!) < 0.5);
    if (largeCityCache.size > 100_000) largeCityCache.clear();
    largeCityCache.set(key, big);
  }
  return big;
}
const largeCityCache = new Map<string, boolean>();

/** What the field rules read of an event, computed once per event object (events are not changed once built). */
interface Features {
  country: string;
  family: string;
  day: number;
  level: ReturnType<typeof placeLevel>;
  admin1: string;
  location: string;
  actors: ReturnType<typeof actorNames>;
  killed: Set<number | null>;
}

const featureCache = new WeakMap<SitrepEvent, Features>();

function features(e: SitrepEvent): Features {
  let f = featureCache.get(e);
  if (!f) {
    f = {
      country: countryKey(e),
      family: typeFamily(e.event_type),
      day: e.event_date ? dayNumber(e.event_date) : NaN,
      level: placeLevel(e),
      admin1: normName(e.admin1),
      location: normName(e.location),
      actors: actorNames(e),
      killed: new Set(e.claims.filter((c) => c.kind === 'killed' && (c.count ?? 0) >= 2).map((c) => c.count)),
    };
    featureCache.set(e, f);
  }
  return f;
}

/** The best evidence similarity between any report of `a` and any report of `b`, with the index of b's report. */
function bestEvidence(a: readonly Terms[], b: readonly Terms[]): TermSimilarity & { member: number } {
  let best: TermSimilarity & { member: number } = { jaccard: 0, shared: [], names: 0, recurring: [], member: 0 };
  b.forEach((y, i) => {
    for (const x of a) {
      const s = termSimilarity(x, y);
      if (s.jaccard > best.jaccard || (s.jaccard === best.jaccard && s.recurring.length > best.recurring.length)) best = { ...s, member: i };
    }
  });
  return best;
}

/** The countries each side may be in (`mergeCountries`): own country first, then the one its article names when the own is doubtful. */
export interface CountrySets {
  a: readonly string[];
  b: readonly string[];
}

/** What the structured fields say about a pair: the reasons so far, or the conflict; and how much evidence it needs. */
export interface FieldScore {
  reasons: Reason[];
  /** The hard conflict, when there is one (also the last reason). */
  conflict: Reason | null;
  /** The least evidence similarity the pair needs (`MIN_EVIDENCE`, more when the date or the place is coarse). */
  needs: number;
}

/**
 * The structured fields' part of the score: country, type family, date, place, type, actors, counts.
 * Cheap (no text): the merge step uses it to keep only candidates worth reading the evidence of.
 */
export function scoreFields(a: SitrepEvent, b: SitrepEvent, countries?: CountrySets): FieldScore {
  const reasons: Reason[] = [];
  const add = (name: string, weight: number, detail: string) => reasons.push({ name, weight, detail });
  const reject = (name: string, detail: string): FieldScore => {
    const conflict = { name, weight: -Infinity, detail };
    return { reasons: [...reasons, conflict], conflict, needs: Infinity };
  };

  if (!mergeable(a) || !mergeable(b)) return reject('not_mergeable', 'an event without country or date');
  const fa = features(a);
  const fb = features(b);
  // A report whose own country its article does not bear out may be in the country the article names (src/merge/countries.ts).
  let doubtful = false;
  if (fa.country !== fb.country) {
    const shared = countries?.a.find((c) => countries.b.includes(c));
    if (!shared) return reject('other_country', `${fa.country} vs ${fb.country}`);
    doubtful = true;
    add('doubtful_country', 0, `${fa.country} vs ${fb.country}: one report's article names ${shared}, not the country of its place`);
  }
  if (fa.family !== fb.family) return reject('other_type_family', `${a.event_type} vs ${b.event_type}`);

  // ---- date: the same day, or one day apart; coarse dates only within the coarser window
  const days = Math.abs(fa.day - fb.day);
  const dayPrecise = a.time_precision === 1 && b.time_precision === 1;
  const window = Math.max(windowDays(a.time_precision), windowDays(b.time_precision));
  if (days > window) return reject('dates_apart', `${a.event_date} vs ${b.event_date} (${days} days, window ${window})`);
  if (dayPrecise && days === 0) add('same_day', 2, a.event_date!);
  else if (dayPrecise) add('next_day', 0.5, `${a.event_date} vs ${b.event_date}`);
  else add('coarse_date', 0, `${a.event_date} vs ${b.event_date}: within ±${window} days (a coarse date is no evidence)`);

  // ---- place
  const pa = fa.level;
  const pb = fb.level;
  const aa = fa.admin1;
  const ab = fb.admin1;
  let placeKnown = false;
  if (doubtful) {
    add('place_unknown', 0, 'the places are in two countries: one of them is a namesake');
  } else if (pa === 'point' && pb === 'point') {
    const d = km(a.latitude!, a.longitude!, b.latitude!, b.longitude!);
    const sameName = !!fa.location && fa.location === fb.location;
    if (d > FAR_KM) return reject('far_apart', `${a.location ?? '?'} vs ${b.location ?? '?'}: ${d.toFixed(0)} km`);
    const city = (d <= SAME_PLACE_KM || sameName) && isLargeCity(a) && isLargeCity(b);
    // A city of a million is no one place: two reports of one day in Bogotá are as often two bombings as one.
    if (city) add('same_city', 0.5, `${a.location ?? '?'} / ${b.location ?? '?'}: a city of ${LARGE_CITY.toLocaleString('en')} people or more`);
    else if (d <= SAME_PLACE_KM || sameName) add('same_place', 2, `${a.location ?? '?'} / ${b.location ?? '?'}: ${d.toFixed(1)} km`);
    else if (d <= NEARBY_KM) add('nearby_place', 1, `${a.location ?? '?'} / ${b.location ?? '?'}: ${d.toFixed(0)} km`);
    else add('distant_place', -1, `${a.location ?? '?'} / ${b.location ?? '?'}: ${d.toFixed(0)} km`);
    placeKnown = !city && (d <= NEARBY_KM || sameName);
  } else if ((pa === 'point' || pa === 'region') && (pb === 'point' || pb === 'region')) {
    if (aa && ab && aa !== ab) return reject('other_region', `${a.admin1} vs ${b.admin1}`);
    add('same_region', 0.5, `${a.admin1 ?? a.location ?? '?'} (one place known only by its region)`);
  } else {
    if (aa && ab && aa !== ab && pa !== 'country' && pb !== 'country') return reject('other_region', `${a.admin1} vs ${b.admin1}`);
    add('place_unknown', 0, `${pa} / ${pb}: no place finer than the country on one side`);
  }

  // ---- type
  if (a.event_type === b.event_type && a.sub_event_type === b.sub_event_type) add('same_sub_event_type', 1.5, a.sub_event_type);
  else if (a.event_type === b.event_type) add('same_event_type', 1, a.event_type);
  else add('other_event_type', -1, `${a.event_type} / ${b.event_type}`);

  // ---- actors
  const xa = fa.actors;
  const xb = fb.actors;
  const shared = [...xa.specific].filter((n) => xb.specific.has(n));
  if (shared.length) add('shared_actors', 1, shared.join(', '));
  else if (xa.specific.size && xb.specific.size) add('other_actors', -1, `${[...xa.specific].join(', ')} / ${[...xb.specific].join(', ')}`);

  // ---- counts
  const sameCounts = [...fb.killed].filter((n) => fa.killed.has(n));
  if (sameCounts.length) add('same_killed_count', 1, sameCounts.join(', '));

  return { reasons, conflict: null, needs: MIN_EVIDENCE * (1 + (dayPrecise ? 0 : 1) + (placeKnown ? 0 : 1)) };
}

/**
 * How alike two events are, as a sum of named reasons; `-Infinity` (with the reason last) on a hard
 * conflict. `termsA`/`termsB` are the evidence terms of each report behind each event (one for an
 * article event, one per member for a canonical event); without them nothing merges. `member` is
 * the index in `termsB` of the report whose evidence matched best.
 */
export function scorePair(a: SitrepEvent, b: SitrepEvent, termsA: readonly Terms[] = [], termsB: readonly Terms[] = [], fields: FieldScore = scoreFields(a, b)): PairScore & { member: number } {
  if (fields.conflict) return { score: -Infinity, reasons: fields.reasons, member: 0 };
  // ---- shared specific evidence: required, more of it when the date or the place is coarse
  const ev = bestEvidence(termsA, termsB);
  const detail = `similarity ${ev.jaccard.toFixed(2)} (needs ${fields.needs.toFixed(2)})${ev.shared.length ? `: ${ev.shared.slice(0, 12).join(' ')}` : ''}`;
  // Reports of the same day whose articles both keep naming one name are about it, however little their own sentences share.
  const sameDay = fields.reasons.some((r) => r.name === 'same_day');
  const recurring = ev.jaccard < fields.needs && sameDay && ev.recurring.length > 0;
  if (ev.jaccard < fields.needs && !recurring) return { score: -Infinity, reasons: [...fields.reasons, { name: 'no_shared_evidence', weight: -Infinity, detail }], member: ev.member };
  const reasons = [...fields.reasons];
  if (recurring) reasons.push({ name: 'recurring_name', weight: 0, detail: `both articles keep naming ${ev.recurring.slice(0, 6).join(', ')} (same day; their own sentences share less than needed)` });
  reasons.push({ name: 'shared_evidence', weight: Math.round(Math.min(EVIDENCE_CAP, EVIDENCE_POINTS * ev.jaccard) * 10) / 10, detail });
  const score = reasons.reduce((s, r) => s + r.weight, 0);
  return { score: Math.round(score * 100) / 100, reasons, member: ev.member };
}
