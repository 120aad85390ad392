/**
 * Helpers for the queue tests: a BullMQ queue of its own per test (a unique queue name under the
 * `sitrep-test` key prefix, its keys deleted afterwards) on the Redis at SITREP_TEST_REDIS_URL or
 * redis://127.0.0.1:6379, PostgreSQL schemas of their own (test/ingest-store/helpers.ts), and the
 * real CLI (bin/sitrep.js) as ingest, worker, jobs and status processes.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { spawnCli } from '../ingest-store/helpers.js';
import { PG_URL } from '../store/backends.js';
import type { Store } from '../../src/store/index.js';

export const REDIS_URL = process.env['SITREP_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';
export const PREFIX = 'sitrep-test';

let serial = 0;

export interface TestQueue {
  name: string;
  env: NodeJS.ProcessEnv;
  /** Deletes the queue's keys. */
  remove(): Promise<void>;
}

export function freshQueue(extra: NodeJS.ProcessEnv = {}): TestQueue {
  const name = `q-${process.pid}-${Date.now().toString(36)}-${++serial}`;
  return {
    name,
    env: { REDIS_URL, SITREP_QUEUE: name, SITREP_QUEUE_PREFIX: PREFIX, ...extra },
    remove: () => deleteQueueKeys(REDIS_URL, PREFIX, name),
  };
}

/** Deletes every Redis key of one BullMQ queue (`prefix:name:*`), for tests and benchmarks that made it. */
export async function deleteQueueKeys(redisUrl: string, prefix: string, name: string): Promise<void> {
  const r = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:${name}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** A PostgreSQL schema of its own, for CLI processes (env) and for the test (open). */
export interface TestSchema {
  schema: string;
  env: NodeJS.ProcessEnv;
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  remove(): Promise<void>;
}

export async function freshSchema(): Promise<TestSchema> {
  const schema = `sitrep_t_queue_${process.pid}_${Date.now().toString(36)}_${++serial}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  // Migrated now, so that the test can count rows before a CLI process has opened it.
  const { openStore } = await import('../../src/store/index.js');
  await (await openStore({ url: PG_URL, schema })).close();
  return {
    schema,
    env: { DATABASE_URL: url.toString() },
    async sql(text, params) {
      await admin.query(`set search_path to "${schema}"`);
      return (await admin.query(text, params)).rows as Record<string, unknown>[];
    },
    async remove() {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    },
  };
}

/** Opens a store on the schema from the test. */
export async function openSchemaStore(s: TestSchema): Promise<Store> {
  const { openStore } = await import('../../src/store/index.js');
  return openStore({ url: PG_URL, schema: s.schema });
}

/** A running CLI process, its output gathered. */
export interface Proc {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawnCli(args, env);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.end();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => Buffer.concat(err).toString('utf8'), stdout: () => Buffer.concat(out).toString('utf8'), exited };
}

/** The JSON log lines a process wrote on standard error. */
export function logLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Polls `check` every `everyMs` until it returns true, or throws after `timeoutMs` with `what`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000, everyMs = 200): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Job counts of the queue, read directly from Redis through BullMQ. */
export async function jobCounts(q: TestQueue): Promise<Record<string, number>> {
  const { Queue } = await import('bullmq');
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(q.name, { connection, prefix: PREFIX });
  try {
    return await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** Every article's events as stored (article id → the events' JSON), for comparing two stores. */
export async function storedEvents(s: TestSchema): Promise<Map<string, string>> {
  const rows = await s.sql(`select article_id, event_id, data::text as data from article_events order by article_id, event_id`);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(String(r['article_id'])) ?? [];
    list.push(`${String(r['event_id'])} ${String(r['data'])}`);
    out.set(String(r['article_id']), list);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('\n')]));
}
