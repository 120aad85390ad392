/**
 * `sitrep ingest PATH...`: reads files, folders, JSONL files and RSS/Atom feeds, extracts each article
 * and stores it with its events in the store (PGlite in the data directory, or PostgreSQL when
 * DATABASE_URL is set). Idempotent: an article stored already (same URL or id and the same text, or
 * the same normalised text anywhere) adds nothing and is not extracted again; a changed one (same
 * URL or id, new text) replaces its events and keeps its old text as a version. Interrupted runs
 * resume by running the same command again.
 *
 * Standard error: a progress bar on a terminal, else a line now and then
 * ("ingest: 120/1003 articles, 3 errors"); one line per bad input naming it and the reason; a
 * summary at the end. `--json` also prints the summary as JSON on standard output.
 * Exit code: 0, or 2 when any input failed (the others are stored), 1 when the store fails,
 * 130 (143) when interrupted by SIGINT (SIGTERM): the batch in hand (a quarter of a second of
 * storing at most) is committed first.
 *
 * Extraction runs in worker threads (`--workers`; the default depends on the store and the cores:
 * `defaultWorkerCount`), started before the store opens so that they load the pipeline meanwhile.
 *
 * With REDIS_URL set (and no `--no-queue`), the articles are not extracted here: each is put on the
 * job queue (src/queue/: idempotent job ids, retries with backoff) for `sitrep worker`s, and the
 * summary counts jobs enqueued; exit code 2 when any input could not be read, 1 when Redis fails.
 *
 * Structured logs (pino, JSON lines on standard error) with `--log-level` or SITREP_LOG_LEVEL
 * (default: none; the progress and summary lines are for people).
 */
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import type { MultiBar, SingleBar } from 'cli-progress';
import { InputError } from '../core/types.js';
import { validatePublished } from '../ingest/json.js';
import type { IngestCounts, IngestSummary } from '../jobs/pipeline.js';
import type { Store } from '../store/index.js';
import { fail, writeLine } from './io.js';

const require = createRequire(import.meta.url);

interface IngestCliOptions {
  published?: string;
  json?: boolean;
  /** false with --no-geo. */
  geo?: boolean;
  workers?: string;
  /** true with --merge (the merger is opt-in: src/merge/README.md). */
  merge?: boolean;
  /** false with --no-queue. */
  queue?: boolean;
  attempts?: string;
  logLevel?: string;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('extract and store articles from files, folders, JSONL files and RSS/Atom feeds (idempotent; re-run to resume)')
    .argument('<paths...>', 'files or folders: text, HTML, JSON, JSONL (one article per line), RSS/Atom (.xml, .rss, .atom)')
    .option('--published <date>', 'publication date (YYYY-MM-DD) for articles that state none')
    .option('--json', 'print the summary as one JSON line on standard output')
    .option('--no-geo', 'skip the geoparser (no gazetteer loaded; events carry no place)')
    .option('--merge', 'merge reports of one event across articles into one canonical event (opt-in; src/merge/)')
    .option('--no-merge', 'keep every article event its own canonical event (the default)')
    .option('--workers <n>', 'extraction worker threads (0: extract on the main thread; default: one per spare core, at most 4)')
    .option('--no-queue', 'run the pipeline in this process even when REDIS_URL is set')
    .option('--attempts <n>', 'with the queue: tries per job before it goes on the failed list (default 5)')
    .option('--log-level <level>', 'JSON log lines on standard error at this level (default: SITREP_LOG_LEVEL, else none)')
    .action(async (paths: string[], opts: IngestCliOptions) => {
      process.exitCode = await runIngest(paths, opts);
    });
}

/** Progress on standard error: a bar on a terminal, plain lines otherwise. */
interface Progress {
  update(counts: Readonly<IngestCounts>, total: number): void;
  /** A line above the bar (a bad input). */
  log(line: string): void;
  stop(): void;
}

function barProgress(total: number, verb = 'ingest'): Progress {
  const cliProgress = require('cli-progress') as typeof import('cli-progress');
  const multi: MultiBar = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: `${verb} [{bar}] {value}/{total} articles | {failed} errors | {eta_formatted} left`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar: SingleBar = multi.create(total, 0, { failed: 0 });
  let shownTotal = total;
  return {
    update(counts, t) {
      if (t !== shownTotal) {
        bar.setTotal(t);
        shownTotal = t;
      }
      bar.update(counts.done, { failed: counts.failed });
    },
    log: (line) => multi.log(`${line}\n`),
    stop: () => multi.stop(),
  };
}

/** A line at every tenth of the way and at least every 5 s, and one at the end. */
function lineProgress(verb = 'ingest'): Progress {
  let lastStep = -1;
  let lastAt = performance.now();
  let lastDone = -1;
  const line = (c: Readonly<IngestCounts>, total: number) => {
    process.stderr.write(`${verb}: ${c.done}/${total} articles, ${c.failed} error${c.failed === 1 ? '' : 's'}\n`);
    lastAt = performance.now();
    lastDone = c.done;
  };
  let last: { c: IngestCounts; total: number } | null = null;
  return {
    update(c, total) {
      last = { c: { ...c }, total };
      const step = total > 0 ? Math.floor((10 * c.done) / total) : 0;
      if (step !== lastStep || performance.now() - lastAt > 5000) {
        lastStep = step;
        line(c, total);
      }
    },
    log: (l) => process.stderr.write(`${l}\n`),
    stop() {
      if (last && last.c.done !== lastDone) line(last.c, last.total);
    },
  };
}

function summaryLine(s: IngestSummary, total: number): string {
  const rate = s.seconds >= 0.1 ? ` (${(s.done / s.seconds).toFixed(1)} articles/s)` : '';
  return (
    `ingest: ${s.done}${s.interrupted ? ` of ${total}` : ''} article${s.done === 1 && !s.interrupted ? '' : 's'}: ${s.new} new, ${s.replaced} replaced, ${s.unchanged} unchanged, ` +
    `${s.failed} failed; ${s.events} events stored; ${s.seconds.toFixed(1)} s${rate}${s.interrupted ? '; interrupted' : ''}`
  );
}

async function runIngest(paths: string[], opts: IngestCliOptions): Promise<number> {
  let published: string | undefined;
  try {
    if (opts.published !== undefined) published = validatePublished(opts.published, '--published', 'sitrep ingest');
  } catch (err) {
    return fail(err);
  }
  let workers: number | undefined;
  if (opts.workers !== undefined) {
    workers = Number(opts.workers);
    if (!/^\d+$/.test(opts.workers.trim()) || workers > 64) return fail(new InputError('--workers', `must be a whole number from 0 to 64, got ${JSON.stringify(opts.workers)}`));
  }
  const { createLogger, resolveLogLevel } = await import('../log/index.js');
  const { queueConfig } = await import('../queue/config.js');
  let log;
  let queue;
  let attempts: number | undefined;
  try {
    log = createLogger('ingest', { level: resolveLogLevel(opts.logLevel, 'silent') });
    queue = opts.queue === false ? null : queueConfig();
    if (opts.attempts !== undefined) {
      attempts = Number(opts.attempts);
      if (!/^\d+$/.test(opts.attempts.trim()) || attempts < 1 || attempts > 100) throw new InputError('--attempts', `must be a whole number from 1 to 100, got ${JSON.stringify(opts.attempts)}`);
      if (!queue) throw new InputError('--attempts', 'applies to queued jobs only (REDIS_URL is not set, or --no-queue)');
    }
    if (queue) {
      // The workers extract, store and merge: their options are theirs.
      for (const [given, flag] of [[opts.geo === false, '--no-geo'], [opts.merge !== undefined, opts.merge ? '--merge' : '--no-merge'], [workers !== undefined, '--workers']] as const) {
        if (given) throw new InputError(flag, `with REDIS_URL set the workers extract and store: give it to sitrep worker (or ingest here with --no-queue)`);
      }
    }
  } catch (err) {
    return fail(err);
  }
  const { estimateArticles, expandPaths, readSources } = await import('../jobs/inputs.js');
  const { sources, errors } = expandPaths(paths);
  let total = errors.length;
  const estimates = new Map(sources.map((s) => [s, estimateArticles(s)] as const));
  for (const n of estimates.values()) total += n;

  if (sources.length === 0) {
    // Nothing to read: no store to open (nor a data directory to create).
    for (const e of errors) process.stderr.write(`sitrep: ${e.error?.message ?? `${e.label}: unreadable`}\n`);
    process.stderr.write(`ingest: no articles to read${paths.length ? '' : ' (no path given)'}\n`);
    return errors.length ? 2 : 0;
  }

  if (queue) return enqueueAll(queue, { errors, sources, total, published, log, json: opts.json === true, ...(attempts !== undefined ? { attempts } : {}) });

  // Loaded here, not at start-up: the store drivers and the annotators cost every other command time.
  const { openStore, resolveBackend } = await import('../store/index.js');
  const { ingestArticles } = await import('../jobs/pipeline.js');
  const { mergeCanonicals, singletonCanonicals } = await import('../jobs/merge-step.js');
  const { defaultWorkerCount, inProcessExtractor, workerExtractor } = await import('../jobs/extractor.js');
  // The workers load the pipeline (the gazetteer: a second of CPU) while the store opens.
  const pipeline = { geoparse: opts.geo !== false };
  const threads = workers ?? defaultWorkerCount(resolveBackend().kind);
  const extractor = threads > 0 ? workerExtractor(threads, { warmUp: pipeline }) : inProcessExtractor();
  let store: Store;
  try {
    store = await openStore();
  } catch (err) {
    await extractor.close();
    return fail(err);
  }

  const progress = process.stderr.isTTY ? barProgress(total) : lineProgress();
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(signal === 'SIGTERM' ? 143 : 130);
    stoppedBy = signal;
    progress.log(`ingest: ${signal}: stopping after the batch in hand (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  async function* inputs() {
    yield* errors;
    yield* readSources(sources, published ? { published } : {});
  }

  let summary: IngestSummary;
  try {
    summary = await ingestArticles(store, inputs(), {
      extractor,
      signal: controller.signal,
      pipeline,
      merge: opts.merge === true ? mergeCanonicals : singletonCanonicals,
      onError: (message) => {
        progress.log(`sitrep: ${message}`);
        log.warn({ err: message }, 'input failed');
      },
      onProgress: (counts) => {
        // A feed or a JSONL file may hold more (or fewer) articles than estimated.
        if (counts.done > total) total = counts.done;
        progress.update(counts, total);
      },
    });
  } catch (err) {
    // The store (or something unforeseen) failed: every article stored so far is whole.
    progress.stop();
    await store.close().catch(() => {});
    if (err instanceof InputError) return fail(err);
    process.stderr.write(`sitrep: ingest stopped: ${(err as Error)?.message ?? String(err)} (store: ${store.where}); the articles stored so far are whole, run the same command again to go on\n`);
    if (process.env['SITREP_DEBUG']) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return 1;
  } finally {
    await extractor.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (!summary.interrupted && summary.done !== total) {
    total = summary.done;
    progress.update(summary, total);
  }
  progress.stop();
  await store.close();
  process.stderr.write(`${summaryLine(summary, total)}\n`);
  log.info({ articles: summary.done, new: summary.new, replaced: summary.replaced, unchanged: summary.unchanged, failed: summary.failed, events: summary.events, seconds: summary.seconds, interrupted: summary.interrupted, store: store.kind }, 'ingest done');
  if (opts.json) {
    const { done, ...rest } = summary;
    const { timing, ...counts } = rest;
    const rounded = Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Number(v.toFixed(3))]));
    await writeLine(JSON.stringify({ articles: done, ...counts, seconds: Number(summary.seconds.toFixed(3)), store: store.kind, workers: threads, timing: rounded }));
  }
  if (summary.interrupted) return stoppedBy === 'SIGTERM' ? 143 : 130;
  return summary.failed ? 2 : 0;
}

interface EnqueueRun {
  errors: import('../jobs/inputs.js').IngestInput[];
  sources: import('../jobs/inputs.js').InputSource[];
  total: number;
  published: string | undefined;
  log: import('../log/index.js').Logger;
  json: boolean;
  attempts?: number;
}

/** `sitrep ingest` with REDIS_URL: every readable article becomes a job for the workers. */
async function enqueueAll(cfg: import('../queue/config.js').QueueConfig, run: EnqueueRun): Promise<number> {
  const { readSources } = await import('../jobs/inputs.js');
  const { enqueueInputs } = await import('../queue/enqueue.js');
  const { redactRedisUrl } = await import('../queue/config.js');
  let total = run.total;
  const progress = process.stderr.isTTY ? barProgress(total, 'enqueue') : lineProgress('enqueue');
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(signal === 'SIGTERM' ? 143 : 130);
    stoppedBy = signal;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  async function* inputs() {
    yield* run.errors;
    yield* readSources(run.sources, run.published ? { published: run.published } : {});
  }
  run.log.info({ queue: cfg.name, redis: redactRedisUrl(cfg.url), estimate: total }, 'enqueue started');
  let summary: import('../queue/enqueue.js').EnqueueSummary;
  const asCounts = (c: { done: number; failed: number }): IngestCounts => ({ done: c.done, failed: c.failed, new: 0, replaced: 0, unchanged: 0, extracted: 0, events: 0, canonical: 0 });
  try {
    summary = await enqueueInputs(inputs(), {
      config: cfg,
      signal: controller.signal,
      ...(run.attempts !== undefined ? { attempts: run.attempts } : {}),
      onError: (message) => {
        progress.log(`sitrep: ${message}`);
        run.log.warn({ err: message }, 'input failed');
      },
      onProgress: (c) => {
        if (c.done > total) total = c.done;
        progress.update(asCounts(c), total);
      },
    });
  } catch (err) {
    progress.stop();
    run.log.error({ err: (err as Error).message }, 'enqueue stopped');
    process.stderr.write(`sitrep: ingest stopped: ${(err as Error)?.message ?? String(err)}; the jobs enqueued so far stay queued, run the same command again to enqueue the rest (nothing is added twice)\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (!summary.interrupted && summary.done !== total) progress.update(asCounts(summary), (total = summary.done));
  progress.stop();
  process.stderr.write(
    `ingest: ${summary.done} article${summary.done === 1 ? '' : 's'}: ${summary.enqueued} enqueued on ${cfg.name}, ${summary.duplicate} queued or done already, ${summary.failed} failed; ${summary.seconds.toFixed(1)} s${summary.interrupted ? '; interrupted' : ''} (sitrep worker processes them; sitrep status shows the queue)\n`,
  );
  run.log.info({ ...summary }, 'enqueue done');
  if (run.json) {
    const { done, ...rest } = summary;
    await writeLine(JSON.stringify({ articles: done, ...rest, seconds: Number(summary.seconds.toFixed(3)), store: 'queue' }));
  }
  if (summary.interrupted) return stoppedBy === 'SIGTERM' ? 143 : 130;
  return summary.failed ? 2 : 0;
}
