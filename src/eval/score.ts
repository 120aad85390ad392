/**
 * The metrics of ../shared/eval/README.md, as pure functions of gold records and predictions.
 *
 * Every scored (record, metric) pair becomes an `Outcome` with a score (1 right, 0 wrong, a share
 * for `actors`); a metric's value is the mean score over the records it applies to and `n` is their
 * count. Keeping the outcomes lets `sitrep eval --show FIELD` list the wrong records.
 * ACLED and GTD records are scored on the FIRST predicted event; a record without one scores wrong
 * on every field it applies to. `extra_events` is the mean number of events beyond the first
 * (lower is better, not bounded by 1).
 */
import { haversineKm } from '../geo/distance.js';
import type { SitrepEvent } from '../core/types.js';
import type { AcledRecord, GoldSet, GtdRecord, Muc4Record } from './gold.js';
import { actorMatch, placeMatch } from './normalize.js';

export interface Metric {
  value: number;
  n: number;
}
export type Metrics = Record<string, Metric>;

export interface Outcome {
  id: string;
  metric: string;
  /** 1 right, 0 wrong; a share for `actors`; a count for `extra_events`. */
  score: number;
  /** The record is fully right on this metric (for `extra_events`: no extra event). */
  ok: boolean;
  gold: string;
  predicted: string;
}

export interface SetScore {
  metrics: Metrics;
  outcomes: Outcome[];
}

/** Extracted events per record id; a missing id means no events. */
export type Predictions = Map<string, SitrepEvent[]>;

export const ACLED_METRICS = [
  'detected',
  'event_type',
  'sub_event_type',
  'fatalities',
  'date',
  'country',
  'admin1',
  'location',
  'coords_25km',
  'coords_100km',
  'actors',
  'extra_events',
] as const;

export const GTD_METRICS = [
  'detected',
  'fatalities',
  'injured',
  'date',
  'country',
  'admin1',
  'location',
  'actors',
  'weapon',
  'extra_events',
] as const;

export const MUC4_METRICS = ['incident_precision', 'incident_recall', 'incident_f1', 'country'] as const;

/** Metrics where a smaller value is better: a floor on them is a maximum. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['extra_events']);

const NO_EVENT = '(no event)';

// ---------------------------------------------------------------- helpers

export { haversineKm };

/** All actor names an event gives: actor1, actor2 and every "; "-separated associated actor. */
export function predictedActors(e: SitrepEvent | undefined): string[] {
  if (!e) return [];
  const names = [e.actor1, e.actor2, ...(e.assoc_actor_1 ?? '').split(';'), ...(e.assoc_actor_2 ?? '').split(';')];
  return names.map((n) => (n ?? '').trim()).filter((n) => n !== '');
}

function show(v: unknown): string {
  return v === null || v === undefined || v === '' ? '(none)' : String(v);
}

/** Collects outcomes for one set; `summarise` turns them into metrics in a fixed order. */
class Tally {
  readonly outcomes: Outcome[] = [];

  add(id: string, metric: string, score: number, gold: string, predicted: string, ok = score === 1): void {
    this.outcomes.push({ id, metric, score, ok, gold, predicted });
  }

  /** A right/wrong comparison; with no event the prediction reads "(no event)". */
  check(id: string, metric: string, right: boolean, gold: unknown, e: SitrepEvent | undefined, predicted: unknown): void {
    this.add(id, metric, right ? 1 : 0, show(gold), e ? show(predicted) : NO_EVENT);
  }

  summarise(order: readonly string[]): Metrics {
    const sums = new Map<string, { total: number; n: number }>();
    for (const o of this.outcomes) {
      const s = sums.get(o.metric) ?? { total: 0, n: 0 };
      s.total += o.score;
      s.n += 1;
      sums.set(o.metric, s);
    }
    const metrics: Metrics = {};
    for (const name of order) {
      const s = sums.get(name);
      metrics[name] = s ? { value: s.total / s.n, n: s.n } : { value: 0, n: 0 };
    }
    return metrics;
  }
}

/** `detected` and `extra_events`, shared by ACLED and GTD; returns the first event. */
function scoreDetection(t: Tally, id: string, events: SitrepEvent[]): SitrepEvent | undefined {
  const count = `${events.length} event${events.length === 1 ? '' : 's'}`;
  t.add(id, 'detected', events.length > 0 ? 1 : 0, 'an event', count);
  const extra = Math.max(0, events.length - 1);
  t.add(id, 'extra_events', extra, '1 event', count, extra === 0);
  return events[0];
}

function scoreActors(t: Tally, id: string, gold: string[], e: SitrepEvent | undefined): void {
  if (gold.length === 0) return;
  const predicted = predictedActors(e);
  const matched = gold.filter((g) => predicted.some((p) => actorMatch(g, p))).length;
  t.add(id, 'actors', matched / gold.length, gold.join(' | '), e ? show(predicted.join(' | ')) : NO_EVENT);
}

// ---------------------------------------------------------------- ACLED

function scoreAcledRecord(t: Tally, r: AcledRecord, events: SitrepEvent[]): void {
  const g = r.gold;
  const id = r.id;
  const e = scoreDetection(t, id, events);
  if (g.event_type) t.check(id, 'event_type', e?.event_type === g.event_type, g.event_type, e, e?.event_type);
  if (g.sub_event_type) {
    t.check(id, 'sub_event_type', e?.sub_event_type === g.sub_event_type, g.sub_event_type, e, e?.sub_event_type);
  }
  if (g.fatalities !== null) t.check(id, 'fatalities', e?.fatalities === g.fatalities, g.fatalities, e, e?.fatalities);
  if (g.event_date) t.check(id, 'date', e?.event_date === g.event_date, g.event_date, e, e?.event_date);
  if (g.country) t.check(id, 'country', placeMatch(g.country, e?.country), g.country, e, e?.country);
  if (g.admin1) t.check(id, 'admin1', placeMatch(g.admin1, e?.admin1), g.admin1, e, e?.admin1);
  if (g.location) t.check(id, 'location', placeMatch(g.location, e?.location), g.location, e, e?.location);
  if (g.latitude !== null && g.longitude !== null) {
    const hasPoint = e && e.latitude !== null && e.longitude !== null;
    const km = hasPoint ? haversineKm(g.latitude, g.longitude, e.latitude!, e.longitude!) : null;
    const goldPoint = `${g.latitude}, ${g.longitude}`;
    const predicted = km === null ? null : `${e!.latitude}, ${e!.longitude} (${km.toFixed(1)} km)`;
    t.check(id, 'coords_25km', km !== null && km <= 25, goldPoint, e, predicted);
    t.check(id, 'coords_100km', km !== null && km <= 100, goldPoint, e, predicted);
  }
  scoreActors(t, id, g.actors, e);
}

export function scoreAcled(records: AcledRecord[], predictions: Predictions): SetScore {
  const t = new Tally();
  for (const r of records) scoreAcledRecord(t, r, predictions.get(r.id) ?? []);
  return { metrics: t.summarise(ACLED_METRICS), outcomes: t.outcomes };
}

// ---------------------------------------------------------------- GTD

function scoreGtdRecord(t: Tally, r: GtdRecord, events: SitrepEvent[]): void {
  const g = r.gold;
  const id = r.id;
  const e = scoreDetection(t, id, events);
  if (g.nkill !== null) t.check(id, 'fatalities', e?.fatalities_best === g.nkill, g.nkill, e, e?.fatalities_best);
  if (g.nwound !== null) t.check(id, 'injured', e?.injured_best === g.nwound, g.nwound, e, e?.injured_best);
  if (g.year !== null && g.month !== null) {
    const want = `${g.year}-${String(g.month).padStart(2, '0')}`;
    t.check(id, 'date', e?.event_date?.slice(0, 7) === want, want, e, e?.event_date);
  }
  if (g.country) t.check(id, 'country', placeMatch(g.country, e?.country), g.country, e, e?.country);
  if (g.provstate) t.check(id, 'admin1', placeMatch(g.provstate, e?.admin1), g.provstate, e, e?.admin1);
  if (g.city) t.check(id, 'location', placeMatch(g.city, e?.location), g.city, e, e?.location);
  if (g.gname) scoreActors(t, id, [g.gname], e);
  if (g.weapon) {
    const weapons: readonly string[] = e?.weapons ?? [];
    t.check(id, 'weapon', weapons.includes(g.weapon), g.weapon, e, weapons.join(', '));
  }
}

export function scoreGtd(records: GtdRecord[], predictions: Predictions): SetScore {
  const t = new Tally();
  for (const r of records) scoreGtdRecord(t, r, predictions.get(r.id) ?? []);
  return { metrics: t.summarise(GTD_METRICS), outcomes: t.outcomes };
}

// ---------------------------------------------------------------- MUC-4

/** F1 from precision and recall; 0 when both are 0. */
export function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/**
 * Incident detection over messages, and the first event's country against the gold incidents'
 * countries (any of them: a message may report incidents in several countries) over messages
 * positive in both. `incident_f1` has n = all messages.
 */
export function scoreMuc4(records: Muc4Record[], predictions: Predictions): SetScore {
  const t = new Tally();
  for (const r of records) {
    const events = predictions.get(r.id) ?? [];
    const goldLabel = r.gold.positive ? r.gold.incidents.map((i) => i.type).join(' | ') : 'no incident';
    const predLabel = `${events.length} event${events.length === 1 ? '' : 's'}`;
    if (events.length > 0) t.add(r.id, 'incident_precision', r.gold.positive ? 1 : 0, goldLabel, predLabel);
    if (r.gold.positive) t.add(r.id, 'incident_recall', events.length > 0 ? 1 : 0, goldLabel, predLabel);
    const e = events[0];
    if (r.gold.positive && e && r.gold.countries.length > 0) {
      const right = r.gold.countries.some((c) => placeMatch(c, e.country));
      t.check(r.id, 'country', right, r.gold.countries.join(' / '), e, e.country);
    }
  }
  const metrics = t.summarise(MUC4_METRICS);
  const p = metrics['incident_precision']!.value;
  const rc = metrics['incident_recall']!.value;
  metrics['incident_f1'] = { value: f1(p, rc), n: records.length };
  return { metrics, outcomes: t.outcomes };
}

/** Scores a gold set of any kind. */
export function scoreSet(set: GoldSet, predictions: Predictions): SetScore {
  switch (set.kind) {
    case 'acled':
      return scoreAcled(set.records, predictions);
    case 'gtd':
      return scoreGtd(set.records, predictions);
    case 'muc4':
      return scoreMuc4(set.records, predictions);
  }
}
