/**
 * What operators ask of the queue: the failed list (dead letters), replaying it, and the numbers
 * `sitrep status` shows (depth, throughput, failures, workers).
 */
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkRedis, connectRedis, type QueueConfig } from './config.js';
import type { ArticleJobData, ArticleJobResult } from './enqueue.js';

/** A queue handle for one command; `close()` it. */
export interface QueueHandle {
  queue: Queue<ArticleJobData, ArticleJobResult>;
  redis: Redis;
  close(): Promise<void>;
}

export async function openQueue(cfg: QueueConfig): Promise<QueueHandle> {
  const redis = connectRedis(cfg);
  try {
    await checkRedis(redis, cfg);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const queue = new Queue<ArticleJobData, ArticleJobResult>(cfg.name, { connection: redis, prefix: cfg.prefix });
  queue.on('error', () => {});
  return {
    queue,
    redis,
    async close() {
      await queue.close().catch(() => {});
      redis.disconnect();
    },
  };
}

/** One dead letter. */
export interface FailedJob {
  id: string;
  label: string;
  articleId: string;
  attempts: number;
  reason: string;
  /** ISO time of the last failure. */
  failedAt: string | null;
  enqueuedAt: string;
}

const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);

function describeFailed(job: Job<ArticleJobData>): FailedJob {
  return {
    id: String(job.id),
    label: job.data?.label ?? '?',
    articleId: job.data?.article?.id ?? '?',
    attempts: job.attemptsMade,
    reason: job.failedReason ?? '',
    failedAt: iso(job.finishedOn),
    enqueuedAt: iso(job.timestamp) ?? '',
  };
}

/** Failed jobs, newest first: `offset`, at most `limit`; and how many there are in all. */
export async function listFailed(h: QueueHandle, offset = 0, limit = 100): Promise<{ total: number; jobs: FailedJob[] }> {
  const total = await h.queue.getFailedCount();
  const jobs = limit > 0 ? await h.queue.getFailed(offset, offset + limit - 1) : [];
  return { total, jobs: jobs.filter((j): j is Job<ArticleJobData> => !!j).map(describeFailed) };
}

/** What `retryFailed` did with each id. */
export interface RetryResult {
  retried: string[];
  /** Ids that are not on the failed list (unknown, or not failed), with why. */
  refused: Array<{ id: string; reason: string }>;
}

/** Moves failed jobs back to the waiting list with their attempts reset. `ids`: those; omitted: all of them. */
export async function retryFailed(h: QueueHandle, ids?: readonly string[], onProgress?: (done: number, total: number) => void): Promise<RetryResult> {
  const out: RetryResult = { retried: [], refused: [] };
  let list: string[];
  if (ids) list = [...new Set(ids)];
  else {
    list = [];
    const total = await h.queue.getFailedCount();
    for (let at = 0; at < total; at += 1000) for (const j of await h.queue.getFailed(at, at + 999)) if (j?.id) list.push(j.id);
  }
  let done = 0;
  for (const id of list) {
    const job = await h.queue.getJob(id);
    if (!job) out.refused.push({ id, reason: 'no such job' });
    else {
      const state = await job.getState();
      if (state !== 'failed') out.refused.push({ id, reason: `is ${state}, not failed` });
      else {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        out.retried.push(id);
      }
    }
    onProgress?.(++done, list.length);
  }
  return out;
}

export interface QueueStatus {
  queue: string;
  prefix: string;
  counts: { waiting: number; active: number; delayed: number; prioritized: number; completed: number; failed: number };
  /** Workers connected now (BullMQ's client names). */
  workers: Array<{ name: string; addr: string; age: number }>;
  /** Jobs finished, from the workers' metrics: in the current minute so far, per minute over the last 15 (this one included), and in all. */
  throughput: { completedLastMinute: number; completedPerMinute15: number; failedLastMinute: number; failedPerMinute15: number; completedTotal: number; failedTotal: number };
}

/**
 * Jobs finished per minute, newest first, the current minute first. BullMQ keeps the count of the
 * minute that started at `prevTS` (count − prevCount) open until a job finishes in a later minute,
 * then pushes it and a zero for each idle minute in between: done here when the workers are idle.
 */
function perMinute(m: { meta: { count: number; prevTS: number; prevCount: number }; data: number[] }, now = Date.now()): number[] {
  const open = Math.max(0, m.meta.count - m.meta.prevCount);
  const idle = m.meta.prevTS > 0 ? Math.max(0, Math.floor((now - m.meta.prevTS) / 60_000)) : 0;
  return [...new Array<number>(idle).fill(0), open, ...m.data];
}

const sumFirst = (data: number[], n: number) => data.slice(0, n).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);

export async function queueStatus(h: QueueHandle, cfg: QueueConfig): Promise<QueueStatus> {
  const c = await h.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  const [done, failed, workers] = await Promise.all([h.queue.getMetrics('completed', 0, 14), h.queue.getMetrics('failed', 0, 14), h.queue.getWorkers()]);
  return {
    queue: cfg.name,
    prefix: cfg.prefix,
    counts: { waiting: c['waiting'] ?? 0, active: c['active'] ?? 0, delayed: c['delayed'] ?? 0, prioritized: c['prioritized'] ?? 0, completed: c['completed'] ?? 0, failed: c['failed'] ?? 0 },
    // A named worker's client is "<queue client>:w:<name>" (the name `sitrep worker` gives itself: host:pid).
    workers: workers.map((w) => ({ name: (w['rawname'] ?? '').split(':w:')[1] ?? w['rawname'] ?? '?', addr: w['addr'] ?? '', age: Number(w['age'] ?? 0) })),
    throughput: {
      completedLastMinute: perMinute(done)[0]!,
      completedPerMinute15: sumFirst(perMinute(done), 15) / 15,
      failedLastMinute: perMinute(failed)[0]!,
      failedPerMinute15: sumFirst(perMinute(failed), 15) / 15,
      completedTotal: done.meta.count,
      failedTotal: failed.meta.count,
    },
  };
}
