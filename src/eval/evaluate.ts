/**
 * Running an extractor over a gold set and scoring it.
 *
 * The extractor is a parameter so that tests can measure a fake one; `run.ts` wires in the real
 * pipeline. A record whose extraction throws (InputError for unreadable input, or a bug) counts as
 * "no event" and is listed in the report's `failures`, so one bad record never stops a run.
 */
import type { ArticleInput, ExtractResult, SitrepEvent } from '../core/types.js';
import { readGoldFile, type GoldSet } from './gold.js';
import type { RecordFailure, Report } from './report.js';
import { scoreSet, type Predictions } from './score.js';

export type Extractor = (input: ArticleInput) => ExtractResult;

export interface EvalOptions {
  /** Score only the first N records. */
  limit?: number;
  /** Set name ("acled-mali", "gtd", ...) when the file name does not say it. */
  set?: string;
  /** The extractor to measure (run.ts defaults it to `extractArticle`). */
  extract?: Extractor;
}

/** Runs `extract` on every record, timing the whole run. */
export function predict(
  set: GoldSet,
  extract: Extractor,
): { predictions: Predictions; ms: number; failures: RecordFailure[] } {
  const predictions: Predictions = new Map();
  const failures: RecordFailure[] = [];
  const started = performance.now();
  for (const record of set.records) {
    let events: SitrepEvent[] = [];
    try {
      events = extract(record.input).events;
    } catch (e) {
      failures.push({ id: record.id, message: e instanceof Error ? e.message : String(e) });
    }
    predictions.set(record.id, events);
  }
  return { predictions, ms: performance.now() - started, failures };
}

/** Scores an already-read gold set with `extract`. */
export function evaluateSet(set: GoldSet, extract: Extractor): Report {
  const { predictions, ms, failures } = predict(set, extract);
  const { metrics, outcomes } = scoreSet(set, predictions);
  return {
    set: set.name,
    kind: set.kind,
    file: set.path,
    records: set.records.length,
    ms,
    metrics,
    outcomes,
    failures,
    texts: new Map(set.records.map((r) => [r.id, r.input.text ?? ''])),
  };
}

/** Reads a gold JSONL file, extracts every record with `extract` and scores it. */
export function evaluateFileWith(path: string, extract: Extractor, opts: Omit<EvalOptions, 'extract'> = {}): Report {
  return evaluateSet(readGoldFile(path, { set: opts.set, limit: opts.limit }), extract);
}
