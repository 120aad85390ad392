/**
 * The consumer side: a BullMQ worker that runs the ingest pipeline (src/jobs/pipeline.ts) over the
 * jobs it holds. Jobs are not processed one by one: the worker feeds them, as they arrive, to one
 * long-running `ingestArticles` (live mode), so that they are previewed, extracted and stored with
 * the same group commit, merge step and merge locks as an in-process ingest; a job completes once
 * the transaction holding its article has committed.
 *
 * - `concurrency`: how many jobs the worker holds at once (being extracted, or waiting for their
 *   batch's transaction); a batch holds at most that many (and at most 64).
 * - A job whose input the pipeline or the store refuses fails at once (UnrecoverableError: it is
 *   not retried) and lands on the failed list. Any other failure (an extraction thread died, the
 *   store failed) is retried with the backoff the job was enqueued with; when the store fails, the
 *   jobs in hand are given back to the queue that way and the pipeline starts again after a pause.
 * - `close('finish')` (SIGTERM): no new jobs; the ones in hand are stored and completed. After
 *   `graceMs`, or with `close('hand-back')` (a second SIGTERM), the pipeline stops after the batch
 *   in hand and the jobs not stored go back to the waiting list at once (moveToWait), for another
 *   worker. A worker killed outright (SIGKILL) cannot do that: its jobs' locks expire and another
 *   worker's stalled check puts them back (`SITREP_QUEUE_LOCK_MS`, `SITREP_QUEUE_STALLED_MS`); what
 *   it had committed is found unchanged when they run again.
 */
import { hostname } from 'node:os';
import { MetricsTime, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { silentLogger, type Logger } from '../log/index.js';
import type { Extractor } from '../jobs/extractor.js';
import { inProcessExtractor } from '../jobs/extractor.js';
import type { IngestInput } from '../jobs/inputs.js';
import type { MergeStep } from '../jobs/merge-step.js';
import { ingestArticles, type IngestOutcome } from '../jobs/pipeline.js';
import type { PipelineOptions } from '../pipeline/extract.js';
import type { Store } from '../store/index.js';
import { checkRedis, connectRedis, queueConfig, redactRedisUrl, type QueueConfig } from './config.js';
import type { ArticleJobData, ArticleJobResult } from './enqueue.js';

export const DEFAULT_CONCURRENCY = 32;

export interface WorkerOptions {
  store: Store;
  /** Default: `queueConfig()` from the environment. */
  config?: QueueConfig;
  /** Jobs held at once (default 32). */
  concurrency?: number;
  /** Default: extraction on the worker's main thread. */
  extractor?: Extractor;
  pipeline?: PipelineOptions;
  /** Default: the pipeline's (the merger). */
  merge?: MergeStep;
  logger?: Logger;
  /** A transaction takes no further article after this many milliseconds (default 250). */
  batchMs?: number;
  /** How the worker names itself in Redis (`sitrep status` lists them); default host:pid. */
  name?: string;
  /** After each job's article is stored (or refused). */
  onOutcome?: (outcome: IngestOutcome) => void;
}

export interface WorkerCounts {
  /** Jobs finished by this worker (completed or failed). */
  done: number;
  new: number;
  replaced: number;
  unchanged: number;
  /** Jobs that failed here (refused, or to be retried). */
  failed: number;
  /** Jobs given back to the queue unprocessed (shutdown, or the store failed). */
  handedBack: number;
  events: number;
}

export interface QueueWorker {
  readonly counts: Readonly<WorkerCounts>;
  readonly name: string;
  /**
   * Stops: 'finish' completes the jobs in hand (handing back what is left after `graceMs`, default
   * 30 s); 'hand-back' gives them back at once (after the batch being stored).
   */
  close(mode?: 'finish' | 'hand-back', graceMs?: number): Promise<WorkerCounts>;
}

/** Async iterable fed by `push`, ended by `end`. */
class Channel<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiters: Array<(r: IteratorResult<T>) => void> = [];
  private ended = false;
  push(item: T): void {
    const w = this.waiters.shift();
    if (w) w({ value: item, done: false });
    else this.items.push(item);
  }
  end(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => this.waiters.push(r));
      },
      return: async () => {
        this.end();
        return { value: undefined, done: true };
      },
    };
  }
}

interface Held {
  job: Job<ArticleJobData>;
  token: string | undefined;
  resolve(outcome: IngestOutcome): void;
  reject(err: Error): void;
}

/** One run of the pipeline: the jobs fed to it, in order; outcomes come back in the same order. */
interface Runner {
  channel: Channel<IngestInput>;
  held: Held[];
  abort: AbortController;
  /** No job can be added any more (it stopped or is stopping). */
  closed: boolean;
  done: Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<QueueWorker> {
  const cfg = opts.config ?? queueConfig();
  if (!cfg) throw new Error('startWorker: REDIS_URL is not set');
  const log = opts.logger ?? silentLogger;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const extractor = opts.extractor ?? inProcessExtractor();
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const counts: WorkerCounts = { done: 0, new: 0, replaced: 0, unchanged: 0, failed: 0, handedBack: 0, events: 0 };
  let closing = false;
  let pauseMs = 0;

  const probe = connectRedis(cfg);
  try {
    await checkRedis(probe, cfg);
  } finally {
    probe.disconnect();
  }

  const handBack = async (h: Held, why: string) => {
    try {
      await h.job.moveToWait(h.token);
      counts.handedBack++;
      log.info({ job: h.job.id, article: h.job.data.article.id, why }, 'job handed back');
      h.reject(new WaitingError());
    } catch (err) {
      // The lock was lost meanwhile (another worker took it over): nothing to hand back.
      h.reject(err as Error);
    }
  };

  const newRunner = (delayMs: number): Runner => {
    const r: Runner = { channel: new Channel(), held: [], abort: new AbortController(), closed: false, done: Promise.resolve() };
    r.done = (async () => {
      if (delayMs > 0) await new Promise((res) => setTimeout(res, delayMs));
      try {
        await ingestArticles(opts.store, r.channel, {
          live: true,
          extractor,
          batchSize: Math.min(64, concurrency),
          ...(opts.batchMs !== undefined ? { batchMs: opts.batchMs } : {}),
          ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
          ...(opts.merge ? { merge: opts.merge } : {}),
          signal: r.abort.signal,
          onProgress: (_c, outcome) => {
            pauseMs = 0;
            r.held.shift()?.resolve(outcome);
          },
        });
        r.closed = true;
        await Promise.all(r.held.splice(0).map((h) => handBack(h, 'shutdown')));
      } catch (err) {
        r.closed = true;
        const message = (err as Error)?.message ?? String(err);
        const left = r.held.splice(0);
        log.error({ err: message, jobs: left.length }, 'pipeline stopped: the jobs in hand go back for a retry');
        for (const h of left) h.reject(new Error(`store failed: ${message}`));
        if (!closing) {
          pauseMs = Math.min(30_000, Math.max(1000, pauseMs * 2));
          current = newRunner(pauseMs);
        }
      }
    })();
    return r;
  };
  let current = newRunner(0);

  const processor = async (job: Job<ArticleJobData>, token?: string): Promise<ArticleJobResult> => {
    const outcome = await new Promise<IngestOutcome>((resolve, reject) => {
      const h: Held = { job, token, resolve, reject };
      const r = current;
      if (r.closed || closing && r.abort.signal.aborted) {
        void handBack(h, 'shutdown');
        return;
      }
      r.held.push(h);
      r.channel.push({ label: job.data.label, article: job.data.article, idGiven: true });
    });
    opts.onOutcome?.(outcome);
    if (outcome.status === 'failed') {
      const reason = outcome.reason ?? `${job.data.label}: failed`;
      if (!outcome.retryable) throw new UnrecoverableError(reason);
      throw new Error(reason);
    }
    return { status: outcome.status, articleId: outcome.articleId ?? job.data.article.id, events: outcome.events ?? 0 };
  };

  // BullMQ does not close a connection it is given: closed below, once the worker has stopped.
  const connection = connectRedis(cfg, { blocking: true });
  const worker = new Worker<ArticleJobData, ArticleJobResult>(cfg.name, processor, {
    connection,
    prefix: cfg.prefix,
    concurrency,
    name,
    lockDuration: cfg.lockMs,
    stalledInterval: cfg.stalledMs,
    maxStalledCount: 5,
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
    autorun: false,
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'queue error'));
  worker.on('completed', (job, result) => {
    counts.done++;
    counts[result.status]++;
    counts.events += result.events;
    log.debug({ job: job.id, article: result.articleId, status: result.status, events: result.events, waitedMs: (job.processedOn ?? 0) - job.timestamp }, 'job done');
  });
  worker.on('failed', (job, err) => {
    if (!job || err instanceof WaitingError || err.name === 'WaitingError') return;
    counts.done++;
    counts.failed++;
    const attempts = job.opts.attempts ?? 1;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    log.warn({ job: job.id, label: job.data?.label, attempt: job.attemptsMade, attempts, err: err.message, deadLetter: final }, final ? 'job failed: on the failed list' : 'job failed: will be retried');
  });
  void worker.run().catch((err: unknown) => log.error({ err: (err as Error).message }, 'worker stopped'));
  await worker.waitUntilReady();
  log.info({ queue: cfg.name, prefix: cfg.prefix, redis: redactRedisUrl(cfg.url), store: opts.store.where, concurrency, threads: extractor.threads ?? 0, name }, 'worker started');

  let closed: Promise<WorkerCounts> | null = null;
  const stopRunner = () => {
    current.closed = true;
    current.abort.abort();
    current.channel.end();
  };
  return {
    counts,
    name,
    close(mode = 'finish', graceMs = 30_000) {
      if (mode === 'hand-back') {
        closing = true;
        stopRunner();
      }
      closed ??= (async () => {
        closing = true;
        const timer = setTimeout(() => {
          log.warn({ graceMs }, 'shutdown: jobs in hand not done in time, handing them back');
          stopRunner();
        }, graceMs);
        try {
          await worker.close();
          current.closed = true;
          current.channel.end();
          await current.done;
        } finally {
          clearTimeout(timer);
          connection.disconnect();
        }
        const cpu = process.cpuUsage();
        log.info({ ...counts, cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)), rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, 'worker stopped');
        return { ...counts };
      })();
      return closed;
    },
  };
}
