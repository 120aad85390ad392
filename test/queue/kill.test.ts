/**
 * No loss, no doubles: 2,000 articles enqueued, two `sitrep worker` processes, one killed with
 * SIGKILL mid-run and started again; afterwards the store holds exactly the article events (ids
 * and JSON) and canonical events that one in-process `sitrep ingest` of the same articles stores,
 * every job is completed once and none failed. The killed worker's jobs come back through BullMQ's
 * stalled check (short locks here: SITREP_QUEUE_LOCK_MS, SITREP_QUEUE_STALLED_MS); the articles it
 * had committed are found unchanged when they run again, the ones of its open transaction were
 * rolled back by PostgreSQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, warnIfStaleBuild } from '../ingest-store/helpers.js';
import { generatedJsonl } from '../ingest-store/generate.js';
import { tempDir } from '../cli/run.js';
import { freshQueue, freshSchema, jobCounts, start, storedEvents, waitFor, type TestSchema } from './helpers.js';

warnIfStaleBuild();

const N = 2000;
const tmp = tempDir('sitrep-queue-kill-');
afterAll(() => tmp.remove());

const count = async (s: TestSchema, table: string) => Number((await s.sql(`select count(*)::int as n from ${table}`))[0]!['n']);

describe('two workers, one killed with SIGKILL mid-run', () => {
  it(`store exactly what one in-process run stores for ${N} articles`, async () => {
    const file = tmp.write('articles.jsonl', generatedJsonl(N, 20_000));
    const local = await freshSchema();
    const queued = await freshSchema();
    const q = freshQueue({ SITREP_QUEUE_LOCK_MS: '3000', SITREP_QUEUE_STALLED_MS: '1000' });
    try {
      const env = { ...q.env, ...queued.env };
      const enq = await runCli(['ingest', file, '--json'], env);
      expect(enq.code, enq.stderr).toBe(0);
      expect(JSON.parse(enq.stdout.trim())).toMatchObject({ enqueued: N });

      // Without the geoparser on both sides (the same pipeline either way): the test is about the
      // queue, and it keeps the run within a few minutes on a loaded machine.
      const args = ['worker', '--drain', '--threads', '0', '--concurrency', '32', '--log-level', 'warn', '--no-geo'];
      const first = start(args, env);
      const second = start(args, env);
      await waitFor('a quarter of the articles to be stored', async () => (await count(queued, 'articles')) >= N / 4, 150_000, 100);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const atKill = await count(queued, 'articles');
      expect(atKill).toBeLessThan(N);
      const again = start(args, env);

      // Meanwhile, the reference: the same file through the in-process pipeline.
      const inProcess = await runCli(['ingest', file, '--no-queue', '--no-geo', '--json'], local.env);
      expect(inProcess.code, inProcess.stderr).toBe(0);
      expect(JSON.parse(inProcess.stdout.trim())).toMatchObject({ articles: N, new: N, failed: 0 });

      const [a, b] = await Promise.all([second.exited, again.exited]);
      expect(a.code, second.stderr()).toBe(0);
      expect(b.code, again.stderr()).toBe(0);

      expect(await jobCounts(q)).toMatchObject({ completed: N, failed: 0, active: 0, waiting: 0, delayed: 0 });
      expect(await count(queued, 'articles')).toBe(N);
      expect(await count(queued, 'article_versions')).toBe(0);
      const want = await storedEvents(local);
      const got = await storedEvents(queued);
      expect(got.size).toBe(want.size);
      expect(got).toEqual(want);
      for (const t of ['article_events', 'claims', 'evidence', 'canonical_events', 'canonical_members']) expect(await count(queued, t), t).toBe(await count(local, t));
      const canon = `select id, status, data::text as data from canonical_events order by id`;
      expect(await queued.sql(canon)).toEqual(await local.sql(canon));
    } finally {
      await q.remove();
      await local.remove();
      await queued.remove();
    }
  }, 420_000);
});
