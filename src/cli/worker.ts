/**
 * `sitrep worker`: takes article jobs from the queue (REDIS_URL) and runs the ingest pipeline on
 * them: extraction, storage (DATABASE_URL, else PGlite in the data directory: then one worker per
 * directory) and merging, with the group commit and merge locks of `sitrep ingest`. Any number of
 * workers, on any number of machines, can share one Redis and one PostgreSQL.
 *
 * Logs are JSON lines on standard error (pino; `--log-level` or SITREP_LOG_LEVEL, default info).
 * SIGTERM or SIGINT: no new jobs, the jobs in hand are stored and completed (for at most `--grace`
 * seconds, then handed back); a second signal hands them back at once. Exit code 0 after a clean
 * stop, 1 when the store or Redis cannot be opened.
 */
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import { fail } from './io.js';

interface WorkerCliOptions {
  concurrency?: string;
  threads?: string;
  geo?: boolean;
  merge?: boolean;
  logLevel?: string;
  grace?: string;
  drain?: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('process article jobs from the queue (REDIS_URL): extract, store (DATABASE_URL) and merge; stop with SIGTERM')
    .option('--concurrency <n>', 'jobs held at once (extracting, or waiting for their batch to be stored)', '32')
    .option('--threads <n>', 'extraction worker threads (0: extract on the main thread; default: one per spare core, at most 4)')
    .option('--no-geo', 'skip the geoparser (no gazetteer loaded; events carry no place)')
    .option('--merge', 'merge reports of one event across articles (src/merge/; default: the pipeline\'s default merge step)')
    .option('--no-merge', 'keep every article event its own canonical event')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default: SITREP_LOG_LEVEL or info)')
    .option('--grace <seconds>', 'on SIGTERM, how long to finish the jobs in hand before handing the rest back', '30')
    .option('--drain', 'exit once the queue has no waiting, delayed or active job left')
    .action(async (opts: WorkerCliOptions) => {
      process.exitCode = await runWorker(opts);
    });
}

function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InputError(flag, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

async function runWorker(opts: WorkerCliOptions): Promise<number> {
  let concurrency: number, threadsFlag: number | undefined, graceS: number;
  let level;
  let cfg;
  const { createLogger, resolveLogLevel } = await import('../log/index.js');
  const { requireQueueConfig } = await import('../queue/config.js');
  try {
    concurrency = wholeNumber(opts.concurrency ?? '32', '--concurrency', 1, 1000);
    threadsFlag = opts.threads !== undefined ? wholeNumber(opts.threads, '--threads', 0, 64) : undefined;
    graceS = wholeNumber(opts.grace ?? '30', '--grace', 0, 3600);
    level = resolveLogLevel(opts.logLevel, 'info');
    cfg = requireQueueConfig('sitrep worker');
  } catch (err) {
    return fail(err);
  }
  const log = createLogger('worker', { level });
  const { openStore, resolveBackend } = await import('../store/index.js');
  const { defaultWorkerCount, inProcessExtractor, workerExtractor } = await import('../jobs/extractor.js');
  const { mergeCanonicals, singletonCanonicals } = await import('../jobs/merge-step.js');
  const { startWorker } = await import('../queue/worker.js');
  const { openQueue } = await import('../queue/admin.js');
  const pipeline = { geoparse: opts.geo !== false };
  const threads = threadsFlag ?? defaultWorkerCount(resolveBackend().kind);
  const extractor = threads > 0 ? workerExtractor(threads, { warmUp: pipeline }) : inProcessExtractor();
  let store;
  try {
    store = await openStore();
  } catch (err) {
    await extractor.close();
    log.fatal({ err: (err as Error).message }, 'cannot open the store');
    return fail(err);
  }
  await extractor.ready?.();
  let worker;
  try {
    worker = await startWorker({ store, config: cfg, concurrency, extractor, pipeline, logger: log, ...(opts.merge === undefined ? {} : { merge: opts.merge ? mergeCanonicals : singletonCanonicals }) });
  } catch (err) {
    await extractor.close();
    await store.close().catch(() => {});
    log.fatal({ err: (err as Error).message }, 'cannot start the worker');
    return fail(err);
  }

  // A line of counts every 10 s while jobs come in.
  let last = { done: 0, at: performance.now() };
  const ticker = setInterval(() => {
    const c = worker.counts;
    if (c.done === last.done) return;
    const now = performance.now();
    log.info({ ...c, perSecond: Number(((c.done - last.done) / ((now - last.at) / 1000)).toFixed(1)) }, 'progress');
    last = { done: c.done, at: now };
  }, 10_000);

  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        log.info({ signal, graceSeconds: graceS }, 'stopping: finishing the jobs in hand (again to hand them back at once)');
        void worker.close('finish', graceS * 1000).then(() => resolve());
      } else if (signals === 2) {
        log.warn({ signal }, 'stopping: handing the jobs in hand back');
        void worker.close('hand-back').then(() => resolve());
      } else process.exit(signal === 'SIGTERM' ? 143 : 130);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    if (opts.drain) {
      void (async () => {
        const h = await openQueue(cfg);
        try {
          for (;;) {
            await new Promise((r) => setTimeout(r, 500));
            const c = await h.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
            if (Object.values(c).every((n) => n === 0)) break;
          }
        } finally {
          await h.close();
        }
        log.info({}, 'queue drained');
        await worker.close('finish', graceS * 1000);
        resolve();
      })().catch((err: unknown) => {
        log.error({ err: (err as Error).message }, 'drain check failed');
      });
    }
  });
  await stopped;
  clearInterval(ticker);
  await extractor.close();
  await store.close();
  return 0;
}
