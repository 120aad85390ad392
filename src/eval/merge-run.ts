/**
 * `sitrep eval --merge [FILE] [--limit N] [--json] [--floors FILE [--ratchet]]`: merging of reports measured on MUC-4
 * (../shared/eval/README.md, "Merging reports of one incident"). The messages (`{id: message_id,
 * text}`) are ingested into a fresh temporary PGlite store with the ingest merge step; the canonical
 * events are read back from the store (what `sitrep export --format jsonl` prints), and the pairs of
 * articles sharing one are scored against the gold pairs (src/eval/merge.ts). With `--floors`, the
 * set `muc4-merge` of the floors file is enforced (exit 1 when a figure falls below), and `--ratchet`
 * records new best figures, as `sitrep eval --all --floors` does for the extraction sets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { enforceFloors, readFloors } from './command.js';
import { readGoldFile, type Muc4Record } from './gold.js';
import { muc4GoldPairs, muc4ReferenceScore, scoreMerges } from './merge.js';
import type { Floors } from './report.js';
import type { Metric } from './score.js';

export interface MergeEvalOptions {
  file?: string;
  limit?: number;
  json?: boolean;
  /** Extraction threads (default: as `sitrep ingest`). */
  workers?: number;
  /** A floors file whose `muc4-merge` entries are enforced. */
  floors?: string;
  /** With `floors`: raise its best figures to this run's where it did better. */
  ratchet?: boolean;
}

/** The set name of the merge figures in `--json` output and in floors files. */
export const MERGE_SET = 'muc4-merge';

export interface MergeEvalResult {
  merge_precision: Metric;
  merge_recall: Metric;
  messages: number;
  articles_with_events: number;
  canonical_events: number;
  merged_canonical_events: number;
  ingest_seconds: number;
  /**
   * What the gold's exact location strings allow (`muc4ReferenceScore`): the score of a merger that
   * knew every template and matched a report at a city with one in its country. Context, not a floor.
   */
  reference: { merge_precision: Metric; merge_recall: Metric };
}

/** Ingests the records into a fresh temporary store and scores its merges. */
export async function measureMerges(records: Muc4Record[], workers?: number): Promise<MergeEvalResult> {
  const { openStore } = await import('../store/index.js');
  const { ingestArticles } = await import('../jobs/pipeline.js');
  const { mergeCanonicals } = await import('../jobs/merge-step.js');
  const { expandPaths, readSources } = await import('../jobs/inputs.js');
  const { defaultWorkerCount, inProcessExtractor, workerExtractor } = await import('../jobs/extractor.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-eval-merge-'));
  const input = path.join(dir, 'muc4.jsonl');
  writeFileSync(input, records.map((r) => JSON.stringify({ id: r.id, text: r.input.text ?? '' })).join('\n') + '\n');
  const store = await openStore({ dataDir: path.join(dir, 'data') });
  const threads = workers ?? defaultWorkerCount();
  const extractor = threads > 0 ? workerExtractor(threads) : inProcessExtractor();
  try {
    const { sources } = expandPaths([input]);
    const summary = await ingestArticles(store, readSources(sources), { extractor, merge: mergeCanonicals });
    const groups: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listCanonical({}, cursor, 1000);
      for (const c of page.items) groups.push([...new Set(c.event.sources.map((s) => s.article_id))]);
      cursor = page.next;
    } while (cursor);
    const scores = scoreMerges(muc4GoldPairs(records), groups);
    return {
      ...scores,
      messages: records.length,
      articles_with_events: new Set(groups.flat()).size,
      canonical_events: groups.length,
      merged_canonical_events: groups.filter((g) => g.length > 1).length,
      ingest_seconds: summary.seconds,
      reference: muc4ReferenceScore(records),
    };
  } finally {
    await extractor.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatMergeResult(r: MergeEvalResult): string {
  const m = (x: Metric) => `${x.value.toFixed(3)} (n=${x.n})`;
  return [
    `muc4 merging: ${r.messages} messages, ${r.articles_with_events} with events, ${r.canonical_events} canonical events (${r.merged_canonical_events} merged), ingest ${r.ingest_seconds.toFixed(1)} s`,
    `merge_precision  ${m(r.merge_precision)}   (predicted pairs)`,
    `merge_recall     ${m(r.merge_recall)}   (gold pairs)`,
    `reference        precision ${m(r.reference.merge_precision)}, recall ${m(r.reference.merge_recall)}: a merger that knew every template's date, type and names, matching a report at a city with one in its country`,
    '',
  ].join('\n');
}

/** Runs the command; returns the exit code (2 when the gold or floors file cannot be read, 1 when a floor failed). */
export async function runMergeEval(opts: MergeEvalOptions, io: { out: (s: string) => void; err: (s: string) => void }, evalDir: string): Promise<number> {
  let records: Muc4Record[];
  let floors: Floors | null = null;
  try {
    if (opts.floors) floors = readFloors(opts.floors);
    const file = opts.file ?? path.join(evalDir, 'muc4.dev.jsonl');
    const set = readGoldFile(file, { set: 'muc4', ...(opts.limit !== undefined ? { limit: opts.limit } : {}) });
    if (set.kind !== 'muc4') throw new Error(`${file}: not a MUC-4 file`);
    records = set.records;
  } catch (e) {
    io.err(`sitrep eval --merge: ${(e as Error).message}\n`);
    return 2;
  }
  const r = await measureMerges(records, opts.workers);
  const scored = { [MERGE_SET]: { merge_precision: r.merge_precision, merge_recall: r.merge_recall } };
  io.out(opts.json ? JSON.stringify({ sets: scored, ...r }, null, 2) + '\n' : formatMergeResult(r));
  if (!floors || !opts.floors) return 0;
  return enforceFloors(scored, opts.floors, floors, !!opts.ratchet, io);
}
