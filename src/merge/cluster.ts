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
import { blockKey, candidateKeys, MERGE_THRESHOLD, scorePair, type Reason } from './score.js';

/** One article event as the merger sees it. */
export interface Report {
  event: SitrepEvent;
  /** The article it was extracted from. */
  article: string;
  /** Its evidence terms (src/merge/evidence.ts). */
  terms: Terms;
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
    const s = scorePair(report.event, c.record, [report.terms], c.terms);
    if (s.score >= MERGE_THRESHOLD && (!best || s.score > best.score)) best = { candidate: c, score: s.score, reasons: s.reasons, member: s.member };
  }
  return best;
}

interface MemoryCluster extends Candidate {
  members: number[];
  terms: Terms[];
  articles: Set<string>;
}

/**
 * Clusters reports in memory, in the order given, by the same decision as the ingest merge step;
 * candidates come from the blocking buckets (`blockKey`/`candidateKeys`: country, type family,
 * 31-day period and its neighbours), so each report is compared with the canonical events of its
 * block only. Returns clusters of indices into `reports`, in creation order.
 */
export function clusterReports(reports: readonly Report[]): number[][] {
  const clusters: MemoryCluster[] = [];
  const byKey = new Map<string, MemoryCluster[]>();
  const file = (c: MemoryCluster, key: string | null) => {
    if (!key) return;
    const list = byKey.get(key);
    if (list) list.push(c);
    else byKey.set(key, [c]);
  };
  reports.forEach((report, i) => {
    const event = singletonRecord(report.event, report.article);
    const keys = candidateKeys(event);
    const pool = keys.length === 1 ? (byKey.get(keys[0]!) ?? []) : keys.flatMap((k) => byKey.get(k) ?? []);
    const choice = chooseCandidate({ ...report, event }, pool);
    if (choice) {
      const c = choice.candidate;
      const before = blockKey(c.record);
      c.members.push(i);
      c.terms.push(report.terms);
      c.articles.add(report.article);
      c.record = reconcile([c.record, event], c.record.event_id);
      // The reconciled date can move the record to another bucket: file it there too, as the store finds it by its date.
      const after = blockKey(c.record);
      if (after !== before && !(byKey.get(after!) ?? []).includes(c)) file(c, after);
      return;
    }
    const c: MemoryCluster = { record: event, terms: [report.terms], articles: new Set([report.article]), members: [i] };
    clusters.push(c);
    file(c, blockKey(event));
  });
  return clusters.map((c) => c.members);
}
