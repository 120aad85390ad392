/**
 * The merger's pure part (no SQL): which events may describe the same real-world event (blocking),
 * how alike two events are (a score with named reasons), and one canonical record for a cluster
 * (every source and claim kept, counts recomputed from all claims with the assembler's rules).
 *
 * - **Blocking.** An event is compared only with events of the same country and event-type family
 *   whose dates fall within its date window (±2 days for a day, ±7 for a week, ±31 for a month:
 *   `time_precision` 1/2/3). `blockKey` buckets by country, family and a period as wide as the
 *   coarsest window, so that candidates lie in the same or an adjacent bucket: the cost grows with
 *   the events per bucket, not with all pairs.
 * - **Score** (`scorePair`): a sum of named reasons (date, distance, place names, type (another type of
 *   the same family counts against), actors,
 *   victims and counts); hard conflicts (another country, dates outside the window, another family,
 *   points more than 150 km apart) make it `-Infinity`. Pairs at or above `MERGE_THRESHOLD` merge.
 * - **Reconcile** (`reconcile`): sources are the union, claims all of them (each with its
 *   `article_id`), fatalities and injured low/best/high recomputed from all claims by
 *   `estimate` (src/assemble/fatalities.ts); other fields from the most precise member.
 */
import { countFields, estimate } from '../assemble/fatalities.js';
import type { DraftClaim } from '../assemble/claims.js';
import type { Claim, EventSource, EventType, SitrepEvent } from '../core/types.js';

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

/** Pairs scoring at least this merge. */
export const MERGE_THRESHOLD = 4;

const DAY = 86_400_000;

/** Half-width of an event's date window, in days, by `time_precision`. */
export function windowDays(precision: SitrepEvent['time_precision']): number {
  if (precision === 1) return 2;
  if (precision === 2) return 7;
  return 31;
}

/** The widest window: the bucket size of `blockKey`. */
export const BUCKET_DAYS = 2 * 31;

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
export function mergeable(e: SitrepEvent): boolean {
  return !!(e.iso3 || e.country) && !!e.event_date;
}

const countryKey = (e: SitrepEvent): string => (e.iso3 || e.country || '?').toUpperCase();

/** Bucket key: country, type family, period of BUCKET_DAYS days; null when the event cannot be merged. */
export function blockKey(e: SitrepEvent): string | null {
  if (!mergeable(e)) return null;
  return `${countryKey(e)}|${typeFamily(e.event_type)}|${Math.floor(dayNumber(e.event_date!) / BUCKET_DAYS)}`;
}

/** The keys whose events are candidates for `e`: its bucket and the two adjacent ones. */
export function candidateKeys(e: SitrepEvent): string[] {
  if (!mergeable(e)) return [];
  const b = Math.floor(dayNumber(e.event_date!) / BUCKET_DAYS);
  return [b - 1, b, b + 1].map((x) => `${countryKey(e)}|${typeFamily(e.event_type)}|${x}`);
}

/** The date range to look for candidates of `e` in (inclusive, YYYY-MM-DD): its window widened by the widest other window. */
export function candidateDates(e: SitrepEvent): { dateFrom: string; dateTo: string } | null {
  if (!e.event_date) return null;
  const d = dayNumber(e.event_date);
  const w = windowDays(e.time_precision) + windowDays(3);
  const iso = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
  return { dateFrom: iso(d - w), dateTo: iso(d + w) };
}

/** Great-circle distance in km. */
export function km(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Lower case, accents removed, punctuation to spaces, spaces collapsed. */
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
      (GENERIC_ACTOR.test(n) ? generic : specific).add(normName(part.replace(/\(\d{4}(?:-\d{4})?\)/g, '')) || n);
    }
  }
  return { specific, generic };
}

const victimWords = (e: SitrepEvent): Set<string> =>
  new Set(e.claims.flatMap((c) => normName(c.victim).split(' ')).filter((w) => w.length > 3 && !/^(?:people|persons?|others?|least)$/.test(w)));

/**
 * How alike two events are, as a sum of named reasons; `-Infinity` (with the reason) on a hard
 * conflict: another country, dates outside both windows, another type family, or points far apart.
 */
export function scorePair(a: SitrepEvent, b: SitrepEvent): PairScore {
  const reasons: Reason[] = [];
  const add = (name: string, weight: number, detail: string) => reasons.push({ name, weight, detail });
  const reject = (name: string, detail: string): PairScore => ({ score: -Infinity, reasons: [...reasons, { name, weight: -Infinity, detail }] });

  if (!mergeable(a) || !mergeable(b)) return reject('not_mergeable', 'an event without country or date');
  if (countryKey(a) !== countryKey(b)) return reject('other_country', `${countryKey(a)} vs ${countryKey(b)}`);
  if (typeFamily(a.event_type) !== typeFamily(b.event_type)) return reject('other_type_family', `${a.event_type} vs ${b.event_type}`);

  // ---- date
  const days = Math.abs(dayNumber(a.event_date!) - dayNumber(b.event_date!));
  const window = Math.max(windowDays(a.time_precision), windowDays(b.time_precision));
  if (days > window) return reject('dates_apart', `${a.event_date} vs ${b.event_date} (${days} days, window ${window})`);
  if (days === 0) add('same_date', a.time_precision === 1 && b.time_precision === 1 ? 2 : 1, a.event_date!);
  else add('compatible_date', days <= 1 ? 1 : 0.5, `${days} day(s) apart, window ${window}`);

  // ---- place
  if (a.latitude !== null && a.longitude !== null && b.latitude !== null && b.longitude !== null) {
    const d = km(a.latitude, a.longitude, b.latitude, b.longitude);
    const coarse = (a.geo_precision ?? 3) >= 3 || (b.geo_precision ?? 3) >= 3;
    if (d > 150 && !coarse) return reject('far_apart', `${d.toFixed(0)} km`);
    if (d <= 10) add('near', coarse ? 1 : 2, `${d.toFixed(1)} km`);
    else if (d <= 50) add('nearby', coarse ? 0.5 : 1, `${d.toFixed(0)} km`);
    else if (!coarse) add('distant', -2, `${d.toFixed(0)} km`);
  }
  const la = normName(a.location);
  const lb = normName(b.location);
  if (la && lb && la === lb) add('same_location', 2, a.location!);
  const aa = normName(a.admin1);
  const ab = normName(b.admin1);
  if (aa && ab) {
    if (aa === ab) add('same_admin1', 1, a.admin1!);
    else add('other_admin1', -2, `${a.admin1} vs ${b.admin1}`);
  }

  // ---- type
  if (a.event_type === b.event_type && a.sub_event_type === b.sub_event_type) add('same_sub_event_type', 1.5, a.sub_event_type);
  else if (a.event_type === b.event_type) add('same_event_type', 1, a.event_type);
  else add('other_event_type', -3, `${a.event_type} / ${b.event_type}`);

  // ---- actors
  const xa = actorNames(a);
  const xb = actorNames(b);
  const shared = [...xa.specific].filter((n) => xb.specific.has(n));
  if (shared.length) add('shared_actors', Math.min(3, 1.5 * shared.length), shared.join(', '));
  const sharedGeneric = [...xa.generic].filter((n) => xb.generic.has(n));
  if (sharedGeneric.length) add('shared_generic_actors', 0.5, sharedGeneric.join(', '));

  // ---- victims and counts
  const va = victimWords(a);
  const sharedVictims = [...victimWords(b)].filter((w) => va.has(w));
  if (sharedVictims.length) add('shared_victims', 1, sharedVictims.slice(0, 5).join(', '));
  const countsA = new Set(a.claims.filter((c) => c.kind === 'killed' && c.count).map((c) => c.count));
  const sameCounts = [...new Set(b.claims.filter((c) => c.kind === 'killed' && c.count && countsA.has(c.count)).map((c) => c.count))];
  if (sameCounts.length) add('same_killed_count', 1.5, sameCounts.join(', '));
  else if (a.fatalities > 0 && b.fatalities > 0 && a.fatalities === b.fatalities) add('same_fatalities', 1, String(a.fatalities));

  const score = reasons.reduce((s, r) => s + r.weight, 0);
  return { score: Math.round(score * 100) / 100, reasons };
}

// ---------------------------------------------------------------- reconciling a cluster

/** Victim keys for stored claims (the assembler's actor mentions are not stored): the same victims across articles are alternatives. */
export function victimKeyOf(c: Claim, event?: { iso3: string | null; country: string | null }): string {
  const v = normName(c.victim);
  if (!v || /^(?:people|persons?|person|victims?|passengers|residents|villagers)$/.test(v)) return 'people';
  if (/\bcivilians?\b/.test(v)) return 'civilians';
  if (/\b(?:militants?|terrorists?|jihadists?|insurgents?|rebels?|assailants?|attackers?|gunmen|fighters?|guerrillas?)\b/.test(v)) return 'militants';
  const country = /\(([^)]+)\)/.exec(c.victim ?? '')?.[1];
  const state = /\b(soldiers?|troops|military|army|police(?:men)?|officers?|gendarmes?|gendarmerie)\b/.exec(v);
  if (state) {
    // The event's own country for "soldiers" and "soldiers (Mali)" alike, so that both are the same victims.
    const own = event?.iso3 && (!country || normName(country) === normName(event.country)) ? event.iso3.toUpperCase() : null;
    const code = own ?? (country ? normName(country).replace(/ /g, '').slice(0, 3).toUpperCase().padEnd(3, 'X') : '?');
    return `state:${code}:${state[1]!.replace(/s$/, '').replace(/^(?:policemen|policeman)$/, 'police').replace(/^(?:gendarmerie|gendarme)$/, 'gendarme')}`;
  }
  return `victims:${v}`;
}

/** A stored claim as the assembler's draft, for `estimate`. */
export function draftOf(c: Claim, index: number, event?: { iso3: string | null; country: string | null }): DraftClaim {
  return { ...c, victim_key: victimKeyOf(c, event), sentence: index, end_noun: c.end };
}

const claimKey = (c: Claim) => `${c.article_id ?? ''}|${c.kind}|${c.start}|${c.end}|${c.count}`;

/**
 * One canonical record from its members (each an article event or an earlier canonical record,
 * claims carrying `article_id`): sources are the union, claims are all of them, counts are
 * recomputed from all claims; the other fields come from the member with the most precise place
 * (then date), and the date is the earliest of the members with the finest date precision.
 * A cluster of one is returned as it is.
 */
export function reconcile(members: readonly SitrepEvent[], id: string): SitrepEvent {
  if (members.length === 0) throw new Error('reconcile: no members');
  if (members.length === 1) return { ...members[0]!, event_id: id };
  const rank = (e: SitrepEvent) => [(e.geo_precision ?? 9), e.latitude === null ? 1 : 0, (e.time_precision ?? 9), e.actor2 ? 0 : 1];
  const ordered = [...members].sort((x, y) => {
    const rx = rank(x);
    const ry = rank(y);
    for (let i = 0; i < rx.length; i++) if (rx[i]! !== ry[i]!) return rx[i]! - ry[i]!;
    return 0;
  });
  const base = ordered[0]!;
  const sources: EventSource[] = [];
  const seenSources = new Set<string>();
  for (const m of members) for (const s of m.sources) if (!seenSources.has(s.article_id)) (seenSources.add(s.article_id), sources.push(s));
  const claims: Claim[] = [];
  const seenClaims = new Set<string>();
  for (const m of members) for (const c of m.claims) if (!seenClaims.has(claimKey(c))) (seenClaims.add(claimKey(c)), claims.push(c));
  const evidence = members.flatMap((m) => m.evidence);
  const drafts = claims.map((c, i) => draftOf(c, i, base));
  const killed = estimate(drafts, 'killed');
  const injured = estimate(drafts, 'injured');
  const finest = Math.min(...members.map((m) => m.time_precision ?? 9));
  const dates = members.filter((m) => (m.time_precision ?? 9) === finest && m.event_date).map((m) => m.event_date!).sort();
  const weapons = [...new Set(members.flatMap((m) => m.weapons))];
  const fill = <K extends 'actor1' | 'actor2' | 'assoc_actor_1' | 'assoc_actor_2' | 'admin1' | 'admin2' | 'location'>(k: K): SitrepEvent[K] =>
    base[k] ?? ordered.find((m) => m[k] !== null)?.[k] ?? null;
  return {
    ...base,
    event_id: id,
    event_date: dates[0] ?? base.event_date,
    time_precision: dates.length ? (finest as 1 | 2 | 3) : base.time_precision,
    actor1: fill('actor1'),
    actor2: base.actor1 ? base.actor2 : fill('actor2'),
    assoc_actor_1: fill('assoc_actor_1'),
    assoc_actor_2: fill('assoc_actor_2'),
    ...countFields(killed, injured),
    weapons,
    claims,
    sources,
    evidence,
    notes: base.notes,
  };
}

/**
 * Clusters events by blocking and greedy best-match (each event joins the best-scoring cluster
 * in its candidate buckets, or starts one): the in-memory counterpart of the ingest merge step.
 * Events of one article never merge with each other. Returns clusters of indices into `events`.
 */
export function clusterEvents(events: readonly SitrepEvent[], articleOf: (e: SitrepEvent, i: number) => string = (e) => e.sources[0]?.article_id ?? e.event_id): number[][] {
  const clusters: { members: number[]; record: SitrepEvent; articles: Set<string> }[] = [];
  const byKey = new Map<string, number[]>();
  events.forEach((e, i) => {
    const article = articleOf(e, i);
    let best = -1;
    let bestScore = -Infinity;
    for (const key of candidateKeys(e)) {
      for (const ci of byKey.get(key) ?? []) {
        const c = clusters[ci]!;
        if (c.articles.has(article)) continue;
        const s = scorePair(e, c.record).score;
        if (s >= MERGE_THRESHOLD && s > bestScore) (best = ci), (bestScore = s);
      }
    }
    if (best >= 0) {
      const c = clusters[best]!;
      c.members.push(i);
      c.articles.add(article);
      c.record = reconcile([c.record, e], c.record.event_id);
    } else {
      clusters.push({ members: [i], record: e, articles: new Set([article]) });
      const key = blockKey(e);
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), clusters.length - 1]);
    }
  });
  return clusters.map((c) => c.members);
}
