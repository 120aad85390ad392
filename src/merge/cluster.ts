/**
 * The merge decision for one report, shared by the ingest merge step (src/jobs/merge-step.ts, over
 * the store's canonical events) and the in-memory clusterer (`clusterEvents`, for the benchmark and
 * tests): the report joins the best-scoring candidate that scores at least `MERGE_THRESHOLD`, or
 * starts a canonical event of its own (greedy best match, in arrival order).
 *
 * A candidate is a canonical event: its reconciled record (what the structured fields are compared
 * with), the evidence terms of each of its member reports (the best-matching member's count), and
 * the articles it comes from. A candidate that already holds a report of the same article is never
 * joined (one article's events are different events), nor one that `refused` names (an undone merge).
 */
import type { SitrepEvent } from '../core/types.js';
import type { Terms } from './evidence.js';
import { reconcile, singletonRecord } from './reconcile.js';
import { blockKey, candidateKeys, countryKey, dayNumber, MERGE_THRESHOLD, mergeable, scoreFields, scorePair, spanDays, type Reason } from './score.js';

/** One article event as the merger sees it. */
export interface Report {
  event: SitrepEvent;
  /** The article it was extracted from. */
  article: string;
  /** Its evidence terms (src/merge/evidence.ts). */
  terms: Terms;
  /** The countries it may be in (`mergeCountries`, src/merge/countries.ts); its own country when absent. */
  countries?: readonly string[];
}

/** A canonical event as a candidate for a report. */
export interface Candidate {
  record: SitrepEvent;
  /** The terms of each member report. */
  terms: readonly Terms[];
  /** The articles of its members. */
  articles: ReadonlySet<string>;
}

export interface Choice<C extends Candidate> {
  candidate: C;
  score: number;
  reasons: Reason[];
  /** The index (in `candidate.terms`) of the member report whose evidence matched best. */
  member: number;
}

/** The candidate the report joins, or null. Ties go to the earlier candidate. */
export function chooseCandidate<C extends Candidate>(report: Report, candidates: Iterable<C>, refused?: (c: C) => boolean): Choice<C> | null {
  let best: Choice<C> | null = null;
  for (const c of candidates) {
    if (c.articles.has(report.article)) continue;
    if (refused?.(c)) continue;
    const countries = { a: report.countries ?? [countryKey(report.event)], b: [countryKey(c.record)] };
    const s = scorePair(report.event, c.record, [report.terms], c.terms, scoreFields(report.event, c.record, countries));
    if (s.score >= MERGE_THRESHOLD && (!best || s.score > best.score)) best = { candidate: c, score: s.score, reasons: s.reasons, member: s.member };
  }
  return best;
}

interface MemoryCluster extends Candidate {
  members: number[];
  terms: Terms[];
  articles: Set<string>;
  /** Its index in creation order. */
  index: number;
  /** The record's date as a day number, and its bucket key. */
  day: number;
  key: string | null;
}

/**
 * The in-memory merger, one report at a time (in arrival order), by the same decision as the ingest
 * merge step. Candidates are the canonical events of the report's blocking buckets (`candidateKeys`:
 * country, type family, time precision, period; under each country the report may be in,
 * `Report.countries`) whose dates the date rule and the store's candidate range (`candidateDates`)
 * both admit (`spanDays`): the same candidates the merge step can choose from, and a bounded number
 * of them (a day-precise report meets the day-precise canonical events of three days). A canonical
 * event is filed under its record's country.
 */
export class Clusterer {
  private readonly clusters: MemoryCluster[] = [];
  private readonly byKey = new Map<string, MemoryCluster[]>();
  private count = 0;
  /** How many (report, canonical event) pairs were scored so far: the blocking's cost. */
  compared = 0;

  /** Adds a report; returns the index of the canonical event it joined or started. */
  add(report: Report): number {
    const i = this.count++;
    const event = singletonRecord(report.event, report.article);
    const countries = report.countries?.length ? [...report.countries] : [countryKey(event)];
    const pool: MemoryCluster[] = [];
    if (mergeable(event)) {
      const d = dayNumber(event.event_date!);
      const seen = new Set<MemoryCluster>();
      for (const country of countries) {
        for (const k of candidateKeys(event, country)) {
          for (const c of this.byKey.get(k) ?? []) {
            if (!seen.has(c) && Math.abs(c.day - d) <= spanDays(event, c.record.time_precision)) (seen.add(c), pool.push(c));
          }
        }
      }
    }
    this.compared += pool.length;
    const choice = chooseCandidate({ ...report, event, countries }, pool);
    if (choice) {
      const c = choice.candidate;
      c.members.push(i);
      c.terms.push(report.terms);
      c.articles.add(report.article);
      c.record = reconcile([c.record, event], c.record.event_id);
      // The reconciled date can move the record to another bucket: the store finds it by its date.
      this.file(c);
      return c.index;
    }
    const c: MemoryCluster = { record: event, terms: [report.terms], articles: new Set([report.article]), members: [i], index: this.clusters.length, day: NaN, key: null };
    this.clusters.push(c);
    this.file(c);
    return c.index;
  }

  /** The canonical events so far, as lists of report indices (in the order added), in creation order. */
  members(): number[][] {
    return this.clusters.map((c) => c.members);
  }

  /** How many canonical events there are. */
  get size(): number {
    return this.clusters.length;
  }

  /** Files a cluster under its record's bucket (moving it when its date changed). */
  private file(c: MemoryCluster): void {
    const key = blockKey(c.record);
    c.day = c.record.event_date ? dayNumber(c.record.event_date) : NaN;
    if (key === c.key) return;
    if (c.key) {
      const old = this.byKey.get(c.key)!;
      old.splice(old.indexOf(c), 1);
    }
    c.key = key;
    if (!key) return;
    const list = this.byKey.get(key);
    if (list) list.push(c);
    else this.byKey.set(key, [c]);
  }
}

/** Clusters reports in memory, in the order given (`Clusterer`). Returns clusters of indices into `reports`, in creation order. */
export function clusterReports(reports: readonly Report[]): number[][] {
  const clusterer = new Clusterer();
  for (const r of reports) clusterer.add(r);
  return clusterer.members();
}
