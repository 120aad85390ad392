/**
 * The queue through the real CLI (bin/sitrep.js), on Redis and PostgreSQL: `sitrep ingest` with
 * REDIS_URL enqueues (idempotent job ids), `sitrep worker` stores exactly what an in-process
 * ingest stores, failures are retried with backoff and then kept on the failed list, `sitrep jobs
 * failed` shows them and `sitrep jobs retry` replays them, SIGTERM finishes the jobs in hand, and
 * `sitrep status` reports the queue and the store.
 */
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, warnIfStaleBuild } from '../ingest-store/helpers.js';
import { generatedJsonl } from '../ingest-store/generate.js';
import { tempDir } from '../cli/run.js';
import { enqueueInputs } from '../../src/queue/enqueue.js';
import { queueConfig } from '../../src/queue/config.js';
import { freshQueue, freshSchema, jobCounts, logLines, start, storedEvents, waitFor, type TestQueue, type TestSchema } from './helpers.js';

warnIfStaleBuild();

const tmp = tempDir('sitrep-queue-');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(() => tmp.remove());

async function setup(extraQueueEnv: NodeJS.ProcessEnv = {}): Promise<{ q: TestQueue; s: TestSchema; env: NodeJS.ProcessEnv }> {
  const q = freshQueue(extraQueueEnv);
  const s = await freshSchema();
  cleanups.push(() => q.remove(), () => s.remove());
  return { q, s, env: { ...q.env, ...s.env } };
}

const count = async (s: TestSchema, table: string) => Number((await s.sql(`select count(*)::int as n from ${table}`))[0]!['n']);

describe('sitrep ingest with REDIS_URL, and sitrep worker', () => {
  beforeAll(() => undefined);

  it('enqueues each article once and a worker stores exactly what an in-process ingest stores', async () => {
    const file = tmp.write('sixty.jsonl', generatedJsonl(60) + '{"id": "bad", "text": 5}\n');
    const local = await setup();
    const queued = await setup();

    const inProcess = await runCli(['ingest', file, '--no-queue', '--json'], local.env);
    expect(inProcess.code, inProcess.stderr).toBe(2); // the bad line
    expect(JSON.parse(inProcess.stdout.trim())).toMatchObject({ articles: 61, new: 60, failed: 1 });

    const first = await runCli(['ingest', file, '--json'], queued.env);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stderr).toMatch(/line 61/);
    expect(JSON.parse(first.stdout.trim())).toMatchObject({ articles: 61, enqueued: 60, duplicate: 0, failed: 1, queue: queued.q.name });
    const again = await runCli(['ingest', file, '--json'], queued.env);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ enqueued: 0, duplicate: 60 });
    expect(await jobCounts(queued.q)).toMatchObject({ waiting: 60, completed: 0 });
    expect(await count(queued.s, 'articles')).toBe(0);

    const status = await runCli(['status', '--json'], queued.env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ queue: { queue: queued.q.name, counts: { waiting: 60, failed: 0 } }, store: { kind: 'postgres', articles: 0 } });

    const worker = await runCli(['worker', '--drain', '--threads', '0', '--concurrency', '16'], queued.env);
    expect(worker.code, worker.stderr).toBe(0);
    const logs = logLines(worker.stderr);
    expect(logs.find((l) => l['msg'] === 'worker started')).toMatchObject({ component: 'worker', level: 'info', queue: queued.q.name, concurrency: 16 });
    expect(logs.find((l) => l['msg'] === 'worker stopped')).toMatchObject({ done: 60, new: 60, failed: 0 });

    expect(await jobCounts(queued.q)).toMatchObject({ waiting: 0, active: 0, completed: 60, failed: 0 });
    const want = await storedEvents(local.s);
    expect(want.size).toBeGreaterThan(40);
    expect(await storedEvents(queued.s)).toEqual(want);
    expect(await count(queued.s, 'canonical_events')).toBe(await count(local.s, 'canonical_events'));

    const afterJson = JSON.parse((await runCli(['status', '--json'], queued.env)).stdout) as { queue: { throughput: Record<string, number>; workers: unknown[] } };
    expect(afterJson.queue.throughput).toMatchObject({ completedTotal: 60, completedPerMinute15: 4, failedTotal: 0 });
    expect(afterJson.queue.workers).toEqual([]);
    const after = await runCli(['status'], queued.env);
    expect(after.stdout).toMatch(new RegExp(`queue ${queued.q.name} .*: 0 waiting, 0 active, 0 delayed \\(retries\\), 0 failed, 60 completed`));
    expect(after.stdout).toMatch(/store \(postgres, .*\): 60 articles/);
    expect(after.stdout).toMatch(/throughput: \d+ jobs done this minute/);
  }, 180_000);

  it('retries failed jobs with backoff, keeps them on the failed list, and replays them with sitrep jobs retry', async () => {
    const { q, s, env } = await setup();
    const worker = start(['worker', '--threads', '0', '--log-level', 'warn'], env);
    cleanups.push(async () => {
      worker.child.kill('SIGKILL');
    });
    await waitFor('the worker to start', async () => (await s.sql(`select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'articles'`, [s.schema]))[0]!['n'] === 1);
    // The store breaks under the running worker: every put fails (not the articles' fault).
    await s.sql('alter table articles rename to articles_away');
    const file = tmp.write('five.jsonl', generatedJsonl(5, 100));
    const enq = await runCli(['ingest', file, '--attempts', '2'], env);
    expect(enq.code, enq.stderr).toBe(0);
    await waitFor('the jobs to run out of attempts', async () => (await jobCounts(q)).failed === 5, 60_000, 300);

    const failed = await runCli(['jobs', 'failed', '--json'], env);
    expect(failed.code, failed.stderr).toBe(0);
    const dead = failed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; attempts: number; reason: string; label: string; articleId: string });
    expect(dead).toHaveLength(5);
    for (const d of dead) {
      expect(d.attempts).toBe(2); // tried twice: retried once after a backoff
      expect(d.reason).toMatch(/store failed: .*articles/);
      expect(d.label).toMatch(/five\.jsonl/);
    }
    const st = JSON.parse((await runCli(['status', '--json'], env)).stdout) as { queue: { counts: Record<string, number>; throughput: Record<string, number>; workers: Array<{ name: string }> } };
    expect(st.queue.counts.failed).toBe(5);
    expect(st.queue.throughput['failedTotal']).toBe(5); // jobs that ended on the failed list (retried attempts are not counted)
    expect(st.queue.workers).toHaveLength(1);
    expect(st.queue.workers[0]!.name).toBe(`${hostname()}:${worker.child.pid}`);
    const table = await runCli(['jobs', 'failed'], env);
    expect(table.stdout).toMatch(/^5 failed jobs in queue /);
    const warned = logLines(worker.stderr()).filter((l) => l['level'] === 'warn' && typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('job failed'));
    expect(warned.some((l) => l['deadLetter'] === false)).toBe(true);
    expect(warned.filter((l) => l['deadLetter'] === true)).toHaveLength(5);

    // Fixed: replay two by id, then the rest.
    await s.sql('alter table articles_away rename to articles');
    const two = await runCli(['jobs', 'retry', dead[0]!.id, dead[1]!.id, 'no-such-job'], env);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/job no-such-job: no such job/);
    expect(two.stderr).toMatch(/2 jobs back on the waiting list, 1 refused/);
    await waitFor('the two to be stored', async () => (await count(s, 'articles')) === 2, 60_000, 300);
    const rest = await runCli(['jobs', 'retry', '--all'], env);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stderr).toMatch(/3 jobs back on the waiting list/);
    await waitFor('all five to be stored', async () => (await count(s, 'articles')) === 5, 60_000, 300);
    await waitFor('the queue to settle', async () => {
      const c = await jobCounts(q);
      return c.completed === 5 && c.failed === 0 && c.active === 0;
    });
    expect((await runCli(['jobs', 'failed'], env)).stdout).toMatch(/^0 failed jobs/);

    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  }, 180_000);

  it('puts an article the store refuses on the failed list at once, naming it', async () => {
    const { q, env } = await setup();
    const cfg = queueConfig(env)!;
    const summary = await enqueueInputs(
      [{ label: 'refused.json', idGiven: true, article: { id: 'refused-1', title: null, url: null, published: '2023-02-30', text: 'Gunmen killed 5 villagers near Mopti on Monday, officials said.', removed: [] } }],
      { config: cfg },
    );
    expect(summary).toMatchObject({ enqueued: 1, failed: 0 });
    const worker = await runCli(['worker', '--drain', '--threads', '0', '--log-level', 'warn'], env);
    expect(worker.code, worker.stderr).toBe(0);
    expect(await jobCounts(q)).toMatchObject({ failed: 1, completed: 0, delayed: 0 });
    const failed = await runCli(['jobs', 'failed', '--json'], env);
    const [dead] = failed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { attempts: number; reason: string; articleId: string });
    expect(dead).toMatchObject({ attempts: 1, articleId: 'refused-1' });
    expect(dead!.reason).toMatch(/refused/);
    expect(dead!.reason).toMatch(/2023-02-30/);
  }, 120_000);

  it('on SIGTERM finishes the jobs in hand, takes no new ones, and exits 0', async () => {
    const { q, s, env } = await setup();
    const file = tmp.write('many.jsonl', generatedJsonl(400, 1000));
    expect((await runCli(['ingest', file], env)).code).toBe(0);
    const worker = start(['worker', '--threads', '0', '--concurrency', '32'], env);
    await waitFor('some jobs to be done', async () => (await count(s, 'articles')) >= 40, 90_000, 100);
    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(code, worker.stderr()).toBe(0);
    const logs = logLines(worker.stderr());
    expect(logs.some((l) => l['msg'] === 'stopping: finishing the jobs in hand (again to hand them back at once)')).toBe(true);
    const stopped = logs.find((l) => l['msg'] === 'worker stopped')!;
    const c = await jobCounts(q);
    // Nothing left running or lost: what it took is done, the rest waits.
    expect(c.active).toBe(0);
    expect(c.failed).toBe(0);
    expect(c.completed + c.waiting).toBe(400);
    expect(c.waiting).toBeGreaterThan(0);
    expect(c.completed).toBe(stopped['done']);
    expect(await count(s, 'articles')).toBe(c.completed);
    // Another worker does the rest.
    const rest = await runCli(['worker', '--drain', '--threads', '0'], env);
    expect(rest.code, rest.stderr).toBe(0);
    expect(await count(s, 'articles')).toBe(400);
    expect(await jobCounts(q)).toMatchObject({ completed: 400, waiting: 0, failed: 0 });
  }, 180_000);
});

describe('sitrep worker, jobs and status: bad settings', () => {
  it('names what is wrong', async () => {
    const noRedis = await runCli(['worker'], {});
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toMatch(/sitrep worker: REDIS_URL is not set/);
    const jobs = await runCli(['jobs', 'failed'], {});
    expect(jobs.stderr).toMatch(/sitrep jobs: REDIS_URL is not set/);
    const badUrl = await runCli(['status'], { REDIS_URL: 'http://x' });
    expect(badUrl.stderr).toMatch(/REDIS_URL: is not a redis:\/\/ URL/);
    const level = await runCli(['worker', '--log-level', 'loud'], { REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(level.stderr).toMatch(/--log-level: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/);
    const envLevel = await runCli(['worker'], { REDIS_URL: 'redis://127.0.0.1:6379', SITREP_LOG_LEVEL: 'chatty' });
    expect(envLevel.stderr).toMatch(/SITREP_LOG_LEVEL: must be one of/);
    const conc = await runCli(['worker', '--concurrency', '0'], { REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(conc.stderr).toMatch(/--concurrency: must be a whole number from 1 to 1000, got "0"/);
    const geo = await runCli(['ingest', 'samples', '--no-geo'], { REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(geo.code).toBe(1);
    expect(geo.stderr).toMatch(/--no-geo: with REDIS_URL set the workers extract and store: give it to sitrep worker/);
    const down = await runCli(['ingest', 'samples'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    const retry = await runCli(['jobs', 'retry'], { REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(retry.stderr).toMatch(/name the job ids to retry/);
    for (const r of [noRedis, jobs, badUrl, level, conc, geo, down, retry]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
