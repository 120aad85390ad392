/**
 * The producer side: `enqueueInputs` puts each article read (an `IngestInput`, as `sitrep ingest`
 * and `sitrep watch` produce them) on the BullMQ queue as one job, for `sitrep worker`s to extract,
 * store and merge.
 *
 * - **Job ids are idempotent**: `art-` + a hash of the article's id (the one the pipeline stores it
 *   under: the input's, else from its URL, else from its text) and of its normalised text. Adding an
 *   article whose job is still known to Redis (waiting, running, done within the retention, or
 *   failed) adds nothing; a changed text is a new job. Whatever runs twice anyway (a job retried
 *   after a crash) is harmless: the store's putArticle finds the article unchanged.
 * - **Retries**: `attempts` (default 5) with exponential backoff from `backoffMs` (default 2000)
 *   for failures that are not the input's fault; a refused input goes to the failed list at once.
 *   Failed jobs are kept (the dead-letter list: `sitrep jobs failed`, `sitrep jobs retry`).
 * - Inputs that cannot be read are not enqueued: each is reported through `onError`, naming it.
 */
import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Article } from '../core/types.js';
import { InputError } from '../core/types.js';
import type { IngestInput } from '../jobs/inputs.js';
import { articleIdFor } from '../jobs/pipeline.js';
import { contentHash } from '../store/index.js';
import { checkRedis, connectRedis, queueConfig, type QueueConfig } from './config.js';

/** What a job carries: the article under the id it is to be stored under. */
export interface ArticleJobData {
  /** Names the input in messages ("line 3 of a.jsonl", a feed item's URL). */
  label: string;
  article: Article;
}

/** What a completed job returns (its BullMQ return value). */
export interface ArticleJobResult {
  status: 'new' | 'replaced' | 'unchanged';
  articleId: string;
  events: number;
}

export const JOB_NAME = 'article';
export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 2000;
/** Completed jobs are kept this long (and at most this many), so that re-adding them adds nothing. */
export const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 200_000 };

/** The job id of an article: the same article id and text give the same id. */
export function jobIdFor(article: { id: string; text: string }): string {
  return `art-${createHash('sha256').update(article.id, 'utf8').update('\u0000').update(contentHash(article.text)).digest('hex').slice(0, 32)}`;
}

export interface EnqueueCounts {
  /** Inputs seen. */
  done: number;
  /** Jobs added. */
  enqueued: number;
  /** Articles whose job Redis knew already (nothing added). */
  duplicate: number;
  /** Inputs that could not be read (not enqueued). */
  failed: number;
}

export interface EnqueueSummary extends EnqueueCounts {
  seconds: number;
  interrupted: boolean;
  queue: string;
}

export interface EnqueueOptions {
  /** Default: `queueConfig()` from the environment (REDIS_URL must be set). */
  config?: QueueConfig;
  /** Tries per job (default 5). */
  attempts?: number;
  /** First retry delay; doubled for each further one (default 2000 ms). */
  backoffMs?: number;
  /** Jobs per round trip to Redis (default 200). */
  chunk?: number;
  /** After each chunk (and for each unreadable input), with the counts so far. */
  onProgress?: (counts: Readonly<EnqueueCounts>) => void;
  /** For each input that could not be read: `message` names it. */
  onError?: (message: string, input: IngestInput) => void;
  /** Stops before the next chunk. */
  signal?: AbortSignal;
}

/** A chunk's articles added to the queue; returns how many were there already. */
async function addChunk(queue: Queue<ArticleJobData>, client: Redis, chunk: ArticleJobData[], opts: JobsOptions, cfg: QueueConfig): Promise<number> {
  const ids = chunk.map((d) => jobIdFor(d.article));
  // Informational only (the add itself skips a known id): which ids Redis knows already.
  const known = await client.pipeline(ids.map((id) => ['exists', `${cfg.prefix}:${cfg.name}:${id}`])).exec();
  const duplicate = (known ?? []).filter(([, n]: [Error | null, unknown]) => n === 1).length;
  await queue.addBulk(chunk.map((data, i) => ({ name: JOB_NAME, data, opts: { ...opts, jobId: ids[i]! } })));
  return duplicate;
}

/**
 * Enqueues every readable input as a job (in chunks); returns the counts. Throws when Redis
 * cannot be reached or fails (the chunks before are enqueued; enqueueing again adds the rest).
 */
export async function enqueueInputs(inputs: Iterable<IngestInput> | AsyncIterable<IngestInput>, opts: EnqueueOptions = {}): Promise<EnqueueSummary> {
  const started = performance.now();
  const cfg = opts.config ?? queueConfig();
  if (!cfg) throw new InputError('enqueue', 'REDIS_URL is not set');
  const chunkSize = Math.max(1, opts.chunk ?? 200);
  const jobOpts: JobsOptions = {
    attempts: Math.max(1, opts.attempts ?? DEFAULT_ATTEMPTS),
    backoff: { type: 'exponential', delay: Math.max(0, opts.backoffMs ?? DEFAULT_BACKOFF_MS) },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
  const connection = connectRedis(cfg);
  const queue = new Queue<ArticleJobData>(cfg.name, { connection, prefix: cfg.prefix });
  queue.on('error', () => {});
  const counts: EnqueueCounts = { done: 0, enqueued: 0, duplicate: 0, failed: 0 };
  let interrupted = false;
  try {
    await checkRedis(connection, cfg);
    let chunk: ArticleJobData[] = [];
    const flush = async () => {
      if (!chunk.length) return;
      const dup = await addChunk(queue, connection, chunk, jobOpts, cfg);
      counts.duplicate += dup;
      counts.enqueued += chunk.length - dup;
      counts.done += chunk.length;
      chunk = [];
      opts.onProgress?.(counts);
    };
    for await (const input of inputs) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      if (input.error || !input.article) {
        counts.done++;
        counts.failed++;
        const message = input.error instanceof InputError ? input.error.message : `${input.label}: ${input.error?.message ?? 'unreadable'}`;
        opts.onError?.(message, input);
        opts.onProgress?.(counts);
        continue;
      }
      const article: Article = { ...input.article, id: articleIdFor({ ...input, article: input.article }) };
      chunk.push({ label: input.label, article });
      if (chunk.length >= chunkSize) await flush();
    }
    if (!interrupted) await flush();
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
  return { ...counts, seconds: (performance.now() - started) / 1000, interrupted, queue: cfg.name };
}
