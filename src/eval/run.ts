/**
 * The scorer's entry point with the real pipeline: `evaluateFile` runs `extractArticle` on every
 * record of a gold file (see ../shared/eval/README.md) and scores it. Everything else lives in
 * evaluate.ts (running), score.ts (metrics) and report.ts (table, JSON, errors, floors), re-exported
 * here so callers need one import.
 */
import { extractArticle } from '../pipeline/extract.js';
import { evaluateFileWith, type EvalOptions } from './evaluate.js';
import type { Report } from './report.js';

export { evaluateSet, evaluateFileWith, predict, type EvalOptions, type Extractor } from './evaluate.js';
export type { Report, RecordFailure, JsonReport, Floors, FloorFailure } from './report.js';
export { formatTable, formatErrors, toJson, checkFloors, parseFloors, formatFloorFailure } from './report.js';

/** Reads a gold JSONL file, runs the extractor (`opts.extract`, else `extractArticle`) on every record, scores it. */
export function evaluateFile(path: string, opts: EvalOptions = {}): Report {
  return evaluateFileWith(path, opts.extract ?? extractArticle, opts);
}
