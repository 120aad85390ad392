/**
 * What `sitrep eval` does, apart from parsing arguments (src/cli/eval.ts): pick the files, score
 * them, print the table or JSON, list wrong records, check floors, and choose the exit code:
 * 0 scored (and every floor held), 1 a floor failed, 2 bad arguments or unreadable files.
 * Wrong records (--show/--errors) are for a developer's terminal; with --json they go to stderr so
 * that stdout stays one JSON document. Floor failures always go to stderr.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateFileWith, type Extractor } from './evaluate.js';
import {
  checkFloors,
  formatErrors,
  formatFloorFailure,
  formatTable,
  parseFloors,
  parseFloorsFile,
  ratchet,
  toJson,
  type Floors,
  type Report,
} from './report.js';

/** The dev sets `--all` scores, in this order. */
export const DEV_SETS = ['acled-mali', 'acled-global', 'gtd', 'muc4'] as const;

export interface EvalCliOptions {
  all?: boolean;
  json?: boolean;
  limit?: number;
  /** Set name for the FILES given (not for --all). */
  set?: string;
  show?: string;
  errors?: number;
  floors?: string;
  /** With --floors: raise the file's best figures to this run's where it did better. */
  ratchet?: boolean;
}

export interface EvalIo {
  out: (s: string) => void;
  err: (s: string) => void;
  extract: Extractor;
}

/** Where the gold sets live: $SITREP_EVAL_DIR, else ../shared/eval from the current directory. */
export function evalDir(): string {
  return path.resolve(process.env['SITREP_EVAL_DIR'] || '../shared/eval');
}

export function devSetFiles(dir: string = evalDir()): string[] {
  return DEV_SETS.map((name) => path.join(dir, `${name}.dev.jsonl`));
}

interface Target {
  path: string;
  set?: string;
}

/** Explicit files (named by --set when given) first, then the dev sets of --all. */
function filesToScore(files: string[], opts: EvalCliOptions): Target[] {
  const targets: Target[] = files.map((f) => ({ path: f, set: opts.set }));
  if (opts.all) targets.push(...devSetFiles().map((f) => ({ path: f })));
  if (targets.length === 0) {
    throw new Error('give gold files or --all (the sets in ../shared/eval, or $SITREP_EVAL_DIR)');
  }
  const missing = targets.filter((t) => !existsSync(t.path)).map((t) => t.path);
  if (missing.length > 0) throw new Error(`no such file: ${missing.join(', ')}`);
  return targets;
}

export function readFloors(file: string): Floors {
  try {
    return parseFloors(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new Error(`--floors ${file}: ${(e as Error).message}`);
  }
}

/** The --show/--errors listing, or a note saying why there is none. */
function wrongRecords(reports: Report[], metric: string | undefined, limit: number): string {
  if (metric !== undefined && !reports.some((r) => metric in r.metrics)) {
    const known = [...new Set(reports.flatMap((r) => Object.keys(r.metrics)))];
    return `\nno metric "${metric}" in these sets (metrics: ${known.join(', ')})\n`;
  }
  const listing = formatErrors(reports, { metric, limit });
  return listing ? `\n${listing}` : `\nno wrong records${metric ? ` for ${metric}` : ''}\n`;
}

/** Runs the command; returns the exit code. */
export function runEval(files: string[], opts: EvalCliOptions, io: EvalIo): number {
  let reports: Report[];
  let floors: Floors | null = null;
  try {
    const targets = filesToScore(files, opts);
    if (opts.floors) floors = readFloors(opts.floors);
    reports = targets.map((t) => evaluateFileWith(t.path, io.extract, { limit: opts.limit, set: t.set }));
  } catch (e) {
    io.err(`sitrep eval: ${(e as Error).message}\n`);
    return 2;
  }

  io.out(opts.json ? JSON.stringify(toJson(reports), null, 2) + '\n' : formatTable(reports));

  if (opts.show !== undefined || opts.errors !== undefined) {
    (opts.json ? io.err : io.out)(wrongRecords(reports, opts.show, opts.errors ?? 20));
  }

  if (!floors || !opts.floors) return 0;
  return enforceFloors(Object.fromEntries(reports.map((r) => [r.set, r.metrics])), opts.floors, floors, !!opts.ratchet, io);
}

/**
 * Checks scored sets against a floors file (read by `readFloors`), after raising its best figures
 * with `ratchet`; failures go to `io.err`. Returns the exit code: 1 when a floor failed, else 0.
 * Also used by `sitrep eval --merge` (src/eval/merge-run.ts).
 */
export function enforceFloors(scored: Record<string, Report['metrics']>, path: string, floors: Floors, raise: boolean, io: Pick<EvalIo, 'err'>): number {
  if (raise) {
    const { file, raised } = ratchet(parseFloorsFile(JSON.parse(readFileSync(path, 'utf8'))), scored);
    if (raised.length) {
      writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
      io.err(`raised best figures in ${path}:\n  ${raised.join('\n  ')}\n`);
    }
  }
  const failures = checkFloors(scored, floors);
  for (const f of failures) io.err(formatFloorFailure(f) + '\n');
  return failures.length > 0 ? 1 : 0;
}
