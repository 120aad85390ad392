/**
 * Where the job queue lives: BullMQ on the Redis at `REDIS_URL`. Without REDIS_URL there is no
 * queue and `sitrep ingest` runs the pipeline in-process.
 *
 * - `REDIS_URL`: redis://[user:password@]host:port[/db]
 * - `SITREP_QUEUE`: the BullMQ queue name (default `sitrep-ingest`); `SITREP_QUEUE_PREFIX`: the Redis
 *   key prefix (default `sitrep`). Tests set both to names of their own.
 * - `SITREP_QUEUE_LOCK_MS` (default 30000): how long a worker's hold on a job lasts without being
 *   renewed (it renews every half of that); a worker killed with SIGKILL hands its jobs back once
 *   their locks expire and another worker's stalled check (every `SITREP_QUEUE_STALLED_MS`,
 *   default 15000) finds them.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { InputError } from '../core/types.js';
import { redactUrl } from '../store/driver.js';

export const DEFAULT_QUEUE_NAME = 'sitrep-ingest';
export const DEFAULT_QUEUE_PREFIX = 'sitrep';

export interface QueueConfig {
  url: string;
  /** BullMQ queue name. */
  name: string;
  /** Redis key prefix (BullMQ's `prefix`). */
  prefix: string;
  lockMs: number;
  stalledMs: number;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function positiveMs(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 100 || n > 3_600_000) throw new InputError(key, `must be a whole number of milliseconds from 100 to 3600000, got ${JSON.stringify(raw)}`);
  return n;
}

/** The queue the environment names, or null when REDIS_URL is not set. Throws InputError for bad values. */
export function queueConfig(env: NodeJS.ProcessEnv = process.env): QueueConfig | null {
  const url = env['REDIS_URL']?.trim();
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`protocol ${u.protocol}`);
  } catch (err) {
    throw new InputError('REDIS_URL', `is not a redis:// URL (${(err as Error).message})`);
  }
  const name = env['SITREP_QUEUE']?.trim() || DEFAULT_QUEUE_NAME;
  const prefix = env['SITREP_QUEUE_PREFIX']?.trim() || DEFAULT_QUEUE_PREFIX;
  if (!NAME.test(name)) throw new InputError('SITREP_QUEUE', `must be 1-100 letters, digits, '_', '.' or '-', got ${JSON.stringify(name)}`);
  if (!NAME.test(prefix)) throw new InputError('SITREP_QUEUE_PREFIX', `must be 1-100 letters, digits, '_', '.' or '-', got ${JSON.stringify(prefix)}`);
  return { url, name, prefix, lockMs: positiveMs(env, 'SITREP_QUEUE_LOCK_MS', 30_000), stalledMs: positiveMs(env, 'SITREP_QUEUE_STALLED_MS', 15_000) };
}

/** The config, or an InputError saying that the command needs REDIS_URL. */
export function requireQueueConfig(command: string, env: NodeJS.ProcessEnv = process.env): QueueConfig {
  const cfg = queueConfig(env);
  if (!cfg) throw new InputError(command, 'REDIS_URL is not set (the job queue lives in Redis; e.g. REDIS_URL=redis://127.0.0.1:6379)');
  return cfg;
}

/** The URL without its password, for messages. */
export const redactRedisUrl = (url: string): string => redactUrl(url, 'REDIS_URL');

/**
 * A Redis connection. `blocking`: for a BullMQ Worker (commands wait for Redis to come back instead
 * of failing). Otherwise commands fail after a few reconnection attempts, so that a one-off command
 * reports an unreachable Redis instead of hanging.
 */
export function connectRedis(cfg: QueueConfig, opts: { blocking?: boolean } = {}): Redis {
  const options: RedisOptions = opts.blocking
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : { maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: (times) => (times > 3 ? null : 200 * times) };
  const redis = new Redis(cfg.url, options);
  // Errors surface through the commands that fail; without a listener ioredis prints each one.
  redis.on('error', () => {});
  return redis;
}

/** Checks that Redis answers; an Error naming the URL otherwise. */
export async function checkRedis(redis: Redis, cfg: QueueConfig): Promise<void> {
  try {
    await redis.ping();
  } catch (err) {
    throw new Error(`cannot reach Redis at ${redactRedisUrl(cfg.url)}: ${(err as Error).message}`, { cause: err });
  }
}
