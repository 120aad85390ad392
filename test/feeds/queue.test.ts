/**
 * The watcher with the queue sink (REDIS_URL): each new item becomes one BullMQ job on the real
 * Redis at 127.0.0.1:6379 (a queue and key prefix of this test's own), reported `queued` once the
 * job is in Redis; a second poll adds nothing; the feed state is in the store (PGlite and
 * PostgreSQL). And `sitrep watch` with REDIS_URL set, through the real CLI.
 */
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queueSink } from '../../src/feeds/sink.js';
import { FeedWatcher } from '../../src/feeds/watcher.js';
import { queueConfig, type QueueConfig } from '../../src/queue/config.js';
import { enqueueInputs, type ArticleJobData } from '../../src/queue/enqueue.js';
import { pgliteBackend, runCli, SPAWN_TIMEOUT_MS } from '../ingest-store/helpers.js';
import { BACKENDS } from '../store/backends.js';
import { page, report, rss, startServer, type TestServer } from './server.js';

const REDIS_URL = process.env['SITREP_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';

describe.each(BACKENDS)('feed watcher into the queue, state on $name', (backend) => {
  let server: TestServer;
  let cfg: QueueConfig;
  let queue: Queue<ArticleJobData>;
  beforeAll(async () => {
    await backend.setup();
    server = await startServer();
    const id = `feeds-${process.pid}-${Date.now().toString(36)}-${backend.name}`;
    cfg = queueConfig({ REDIS_URL, SITREP_QUEUE: id, SITREP_QUEUE_PREFIX: `t-${id}` })!;
    queue = new Queue<ArticleJobData>(cfg.name, { connection: { url: REDIS_URL }, prefix: cfg.prefix });
  }, 60_000);
  afterAll(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await server.close();
    await backend.teardown();
  }, 60_000);
  afterEach(() => backend.cleanup(), 60_000);

  it('enqueues one job per new item, labelled by its link, and nothing again at the next poll', async () => {
    const store = await backend.open();
    const link = (x: string) => server.url(`/${backend.name}/${x}.html`);
    server.route(`/${backend.name}/a.html`, { body: page('Attack in Ségou', report('Ségou', 5)), contentType: 'text/html; charset=utf-8' });
    server.route(`/${backend.name}/b.html`, { body: page('Attack in Kona', report('Kona', 6)), contentType: 'text/html; charset=utf-8' });
    server.route(`/${backend.name}/feed.xml`, { body: rss('Q', [{ title: 'B', link: link('b') }, { title: 'A', link: link('a') }]), contentType: 'application/rss+xml' });
    const feed = { url: server.url(`/${backend.name}/feed.xml`) };
    const sink = queueSink((inputs, opts) => enqueueInputs(inputs, { ...opts, config: cfg }));
    const w = new FeedWatcher(store, sink, { intervalSeconds: 60 });

    expect(await w.poll(feed)).toMatchObject({ status: 'changed', fresh: 2, stored: 2, failed: 0 });
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
    expect(jobs.map((j) => j.data.label).sort()).toEqual([link('a'), link('b')]);
    expect(jobs.find((j) => j.data.label === link('a'))!.data.article.text).toContain('village of Ségou');
    expect((await w.state.items(feed.url, [link('a'), link('b')])).size).toBe(2);

    expect(await w.poll(feed)).toMatchObject({ status: 'changed', fresh: 0, stored: 0 });
    expect(await queue.count()).toBe(2);
    // No article was stored here: the workers do that.
    expect((await store.counts()).articles).toBe(0);
  });
});

describe('sitrep watch with REDIS_URL', () => {
  const backend = pgliteBackend();
  let server: TestServer;
  const id = `feeds-cli-${process.pid}-${Date.now().toString(36)}`;
  const env = { REDIS_URL, SITREP_QUEUE: id, SITREP_QUEUE_PREFIX: `t-${id}` };
  let queue: Queue<ArticleJobData>;
  beforeAll(async () => {
    await backend.setup();
    server = await startServer();
    queue = new Queue<ArticleJobData>(id, { connection: { url: REDIS_URL }, prefix: `t-${id}` });
  }, SPAWN_TIMEOUT_MS);
  afterAll(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await server.close();
    await backend.teardown();
  }, SPAWN_TIMEOUT_MS);

  it(
    'enqueues the new items instead of storing them; the workers\' options are refused here',
    async () => {
      const s = await backend.fresh();
      server.route('/c/a.html', { body: page('Attack in Niono', report('Niono', 5)), contentType: 'text/html' });
      server.route('/c/feed.xml', { body: rss('C', [{ title: 'A', link: server.url('/c/a.html') }]), contentType: 'application/rss+xml', etag: '"c"' });
      const feed = server.url('/c/feed.xml');
      const r = await runCli(['watch', '--once', '--json', feed], { ...s.env, ...env });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toMatchObject({ feed, status: 'changed', fresh: 1, stored: 1 });
      expect((await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active'])).map((j) => j.data.label)).toEqual([server.url('/c/a.html')]);
      const again = await runCli(['watch', '--once', '--json', feed], { ...s.env, ...env });
      expect(JSON.parse(again.stdout.trim())).toMatchObject({ status: 'not-modified' });
      expect(await queue.count()).toBe(1);
      const store = await s.open();
      try {
        expect((await store.counts()).articles).toBe(0);
      } finally {
        await store.close();
      }
      const bad = await runCli(['watch', '--once', '--merge', feed], { ...s.env, ...env });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe('sitrep: --merge: with REDIS_URL set the workers extract and store: give it to sitrep worker (or watch with --no-queue)\n');
      await s.remove();
    },
    SPAWN_TIMEOUT_MS,
  );
});
