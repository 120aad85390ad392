/**
 * The feed watcher through its module API (src/feeds/watcher.ts, state.ts), on PGlite and on
 * PostgreSQL, against a real HTTP server on 127.0.0.1 and the real in-process sink (ingestArticles):
 * what the CLI tests cannot reach, a clock of the test's own (backoff doubling up to its cap,
 * Retry-After), item pages that fail for now and later, the bound on remembered items, and a stop
 * half-way through a feed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSink, type Sink } from '../../src/feeds/sink.js';
import { backoffMs, FeedWatcher, type WatchOptions } from '../../src/feeds/watcher.js';
import type { Store } from '../../src/store/index.js';
import { BACKENDS } from '../store/backends.js';
import { page, report, rss, startServer, type TestServer } from './server.js';

const MIN = 60_000;

// Real servers and stores on a shared 2-core machine: a poll takes seconds under load.
vi.setConfig({ testTimeout: 60_000 });

describe('backoffMs', () => {
  it('doubles from the interval per consecutive failure, up to the cap; a longer Retry-After is honoured up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, MIN, 30 * MIN))).toEqual([1, 2, 4, 8, 16, 30, 30].map((m) => m * MIN));
    expect(backoffMs(1, MIN, 30 * MIN, 10 * MIN)).toBe(10 * MIN);
    expect(backoffMs(3, MIN, 30 * MIN, 1000)).toBe(4 * MIN);
    expect(backoffMs(1, MIN, 30 * MIN, 5 * 3600_000)).toBe(30 * MIN);
    expect(backoffMs(500, MIN, 30 * MIN)).toBe(30 * MIN);
  });
});

describe.each(BACKENDS)('feed watcher on $name', (backend) => {
  let server: TestServer;
  let store: Store;
  let lines: string[];
  let clock: number;

  beforeAll(async () => {
    await backend.setup();
    server = await startServer();
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await backend.teardown();
  }, 60_000);
  beforeEach(async () => {
    store = await backend.open();
    lines = [];
    clock = Date.parse('2026-01-01T00:00:00Z');
  });
  afterEach(() => backend.cleanup(), 60_000);

  const sink = (opts: { batchSize?: number } = {}): Sink => storeSink(store, { pipeline: { geoparse: false }, ...opts });
  const watcher = (opts: Partial<WatchOptions> = {}, s: Sink = sink()) =>
    new FeedWatcher(store, s, { intervalSeconds: 60, backoffMaxSeconds: 30 * 60, timeoutSeconds: 2, log: (l) => lines.push(l), now: () => clock, ...opts });
  let n = 0;
  /** A fresh path prefix per test: the server is shared by the tests of a file. */
  const prefix = () => `/t${++n}`;

  it('backs off a failing feed per feed: skipped until its retry time, waits doubling to the cap, reset by a good poll; the other feed goes on', async () => {
    const p = prefix();
    server.route(`${p}/bad.xml`, { status: 500 });
    server.route(`${p}/good.xml`, { body: rss('Good', [{ title: 'Raid', link: server.url(`${p}/g1.html`) }]), contentType: 'application/rss+xml' });
    server.route(`${p}/g1.html`, { body: page('Raid', report('Kona', 4)), contentType: 'text/html; charset=utf-8' });
    const bad = { url: server.url(`${p}/bad.xml`) };
    const good = { url: server.url(`${p}/good.xml`) };
    const w = watcher();

    const [r1, g1] = await w.pollAll([bad, good]);
    expect(r1).toMatchObject({ status: 'failed', error: 'HTTP 500 Internal Server Error', failures: 1, retryAt: new Date(clock + MIN).toISOString() });
    expect(g1).toMatchObject({ status: 'changed', fresh: 1, stored: 1 });
    expect(lines).toContain(`sitrep: feed ${bad.url}: HTTP 500 Internal Server Error (failure 1 in a row; next try in 60 s)`);

    // Before the retry time: not even asked.
    clock += 30_000;
    expect(await w.poll(bad)).toMatchObject({ status: 'skipped', failures: 1 });
    expect(server.hits(`${p}/bad.xml`)).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/skipped, backing off after 1 failed poll \(last: HTTP 500 Internal Server Error\); next try in 30 s/);

    const waits: number[] = [];
    for (let i = 2; i <= 7; i++) {
      clock = (await w.state.get(bad.url))!.retryAt!;
      const r = await w.poll(bad);
      expect(r).toMatchObject({ status: 'failed', failures: i });
      waits.push(Date.parse(r.retryAt!) - clock);
    }
    expect(waits).toEqual([2, 4, 8, 16, 30, 30].map((m) => m * MIN));
    expect(server.hits(`${p}/bad.xml`)).toHaveLength(7);
    // The backoff is in the store: a new watcher (a restart) still waits.
    const again = watcher();
    expect(await again.poll(bad)).toMatchObject({ status: 'skipped', failures: 7 });

    server.route(`${p}/bad.xml`, { body: rss('Back', []), contentType: 'application/rss+xml' });
    clock += 30 * MIN;
    expect(await again.poll(bad)).toMatchObject({ status: 'changed', items: 0 });
    expect(await again.state.get(bad.url)).toMatchObject({ failures: 0, retryAt: null, lastError: null });
  });

  it('honours Retry-After on 503 (up to the cap)', async () => {
    const p = prefix();
    server.route(`${p}/busy.xml`, { status: 503, headers: { 'retry-after': '600' } });
    const r = await watcher().poll({ url: server.url(`${p}/busy.xml`) });
    expect(r).toMatchObject({ status: 'failed', error: 'HTTP 503 Service Unavailable', retryAt: new Date(clock + 10 * MIN).toISOString() });
  });

  it('tries an item whose page failed for now again at the next poll (the feed fetched whole), and gives it up after maxItemAttempts', async () => {
    const p = prefix();
    const feed = { url: server.url(`${p}/feed.xml`) };
    server.route(`${p}/feed.xml`, {
      body: rss('F', [
        { title: 'Flaky', link: server.url(`${p}/flaky.html`) },
        { title: 'Down', link: server.url(`${p}/down.html`) },
        { title: 'Gone', link: server.url(`${p}/gone.html`) },
      ]),
      contentType: 'application/rss+xml',
      etag: '"e1"',
    });
    server.route(`${p}/flaky.html`, { status: 502 });
    server.route(`${p}/down.html`, { status: 500 });
    // /gone.html: no route, a 404: given up at once.
    const w = watcher({ maxItemAttempts: 3 });
    expect(await w.poll(feed)).toMatchObject({ status: 'changed', fresh: 3, stored: 0, failed: 1, retry: 2 });
    expect(lines).toContain(`sitrep: ${server.url(`${p}/flaky.html`)}: HTTP 502 Bad Gateway (item 1 ("Flaky") of ${feed.url}); tried again at the next poll (attempt 1 of 3)`);
    expect(lines).toContain(`sitrep: ${server.url(`${p}/gone.html`)}: HTTP 404 Not Found (item 3 ("Gone") of ${feed.url})`);
    // Items left to retry: the validators were not kept, so the next poll gets the feed whole.
    expect((await w.state.get(feed.url))!.etag).toBeNull();

    server.route(`${p}/flaky.html`, { body: page('Flaky', report('Sofara', 6)), contentType: 'text/html' });
    expect(await w.poll(feed)).toMatchObject({ status: 'changed', fresh: 2, stored: 1, retry: 1, failed: 0 });
    expect(server.hits(`${p}/feed.xml`).map((h) => h.headers['if-none-match'] ?? null)).toEqual([null, null]);
    expect(await w.poll(feed)).toMatchObject({ fresh: 1, stored: 0, failed: 1, retry: 0 });
    expect(lines.at(-2)).toMatch(/down\.html: HTTP 500 Internal Server Error .*; given up after 3 attempts$/);
    // Everything has an outcome now: the ETag is kept and the next poll is a 304.
    expect((await w.state.get(feed.url))!.etag).toBe('"e1"');
    expect(await w.poll(feed)).toMatchObject({ status: 'not-modified' });
    expect(server.hits(`${p}/down.html`)).toHaveLength(3);
    expect(server.hits(`${p}/flaky.html`)).toHaveLength(2);
    expect(server.hits(`${p}/gone.html`)).toHaveLength(1);
    expect((await store.counts()).articles).toBe(1);
  });

  it('stopped after the first item, finishes the others at the next start and none twice', async () => {
    const p = prefix();
    const feed = { url: server.url(`${p}/feed.xml`) };
    const items = ['Kidal', 'Gao', 'Ménaka'].map((place, i) => ({ title: `Attack in ${place}`, link: server.url(`${p}/a${i}.html`), place }));
    for (const [i, it] of items.entries()) server.route(`${p}/a${i}.html`, { body: page(it.title, report(it.place, 3 + i, 3 + i)), contentType: 'text/html; charset=utf-8' });
    server.route(`${p}/feed.xml`, { body: rss('F', items), contentType: 'application/rss+xml', etag: '"x"' });

    const controller = new AbortController();
    const inner = sink({ batchSize: 1 });
    const stopping: Sink = (inputs, hooks) =>
      inner(inputs, {
        ...hooks,
        onOutcome: (label, o) => {
          hooks.onOutcome(label, o);
          controller.abort();
        },
      });
    const first = await watcher({ signal: controller.signal, pageConcurrency: 1 }, stopping).poll(feed);
    expect(first).toMatchObject({ status: 'stopped', fresh: 3, stored: 1 });
    expect((await store.counts()).articles).toBe(1);
    expect((await watcher().state.get(feed.url))!.etag).toBeNull();

    const second = await watcher().poll(feed);
    expect(second).toMatchObject({ status: 'changed', fresh: 2, stored: 2, unchanged: 0 });
    expect((await store.counts()).articles).toBe(3);
    // The oldest item (listed last) went first, and no page was stored twice.
    expect(server.hits(`${p}/a2.html`)).toHaveLength(1);
    expect(await watcher().poll(feed)).toMatchObject({ status: 'not-modified' });
  });

  it('polls feeds side by side (a slow feed holds up no other), reports in feed order; one at a time in list order', async () => {
    const p = prefix();
    server.route(`${p}/slow.xml`, { body: rss('Slow', []), contentType: 'application/rss+xml', delayMs: 3000 });
    server.route(`${p}/fast.xml`, { body: rss('Fast', []), contentType: 'application/rss+xml' });
    const slow = { url: server.url(`${p}/slow.xml`) };
    const fast = { url: server.url(`${p}/fast.xml`) };
    const ended: string[] = [];
    const reports = await watcher({ feedConcurrency: 2, timeoutSeconds: 20 }).pollAll([slow, fast], (r) => ended.push(r.feed));
    expect(ended).toEqual([fast.url, slow.url]);
    expect(reports.map((r) => [r.feed, r.status])).toEqual([
      [slow.url, 'changed'],
      [fast.url, 'changed'],
    ]);
    const inTurn: string[] = [];
    await watcher({ feedConcurrency: 1, timeoutSeconds: 20 }).pollAll([slow, fast], (r) => inTurn.push(r.feed));
    expect(inTurn).toEqual([slow.url, fast.url]);
  });

  it('run() ends with the error when the sink fails (the store is down), after the polls under way', async () => {
    const p = prefix();
    server.route(`${p}/a.xml`, { body: rss('A', [{ title: 'A', description: report('Kona', 3).join(' ') }]), contentType: 'application/rss+xml' });
    server.route(`${p}/b.xml`, { body: rss('B', []), contentType: 'application/rss+xml' });
    const down: Sink = async (inputs) => {
      for await (const _ of inputs) throw new Error('the store is down');
    };
    const seen: string[] = [];
    await expect(watcher({}, down).run([{ url: server.url(`${p}/a.xml`) }, { url: server.url(`${p}/b.xml`) }], (r) => seen.push(r.status))).rejects.toThrow('the store is down');
    // The other feed's poll was under way: it ended (or stopped where it was), and none started after.
    expect(seen.length).toBeLessThanOrEqual(1);
    for (const status of seen) expect(['changed', 'stopped']).toContain(status);
  });

  it('remembers at most maxSeen items per feed besides those the feed lists now', async () => {
    const p = prefix();
    const url = server.url(`${p}/feed.xml`);
    const w = watcher();
    await w.state.open(url);
    for (const k of ['k1', 'k2', 'k3', 'k4', 'k5']) await w.state.recordItems(url, [{ key: k, status: 'done' }]);
    expect(await w.state.itemCount(url)).toBe(5);
    await w.state.recordItems(url, [], { keep: 2, protect: ['k1'] });
    expect([...(await w.state.items(url, ['k1', 'k2', 'k3', 'k4', 'k5'])).keys()].sort()).toEqual(['k1', 'k4', 'k5']);
    // A second attempt counts.
    await w.state.recordItems(url, [{ key: 'k5', status: 'retry', error: 'x' }]);
    expect((await w.state.items(url, ['k5'])).get('k5')).toMatchObject({ status: 'retry', attempts: 2, error: 'x' });

    // Through a poll: a feed longer than the bound is never processed twice.
    const many = Array.from({ length: 6 }, (_, i) => ({ title: `Item ${i}`, description: report(`Place${i}`, i + 2).join(' ') }));
    server.route(`${p}/long.xml`, { body: rss('Long', many), contentType: 'application/rss+xml' });
    const long = { url: server.url(`${p}/long.xml`) };
    const small = watcher({ maxSeen: 2 });
    expect(await small.poll(long)).toMatchObject({ fresh: 6, stored: 6 });
    expect(await small.state.itemCount(long.url)).toBe(6);
    expect(await small.poll(long)).toMatchObject({ status: 'changed', fresh: 0 });
    server.route(`${p}/long.xml`, { body: rss('Long', many.slice(0, 1)), contentType: 'application/rss+xml' });
    expect(await small.poll(long)).toMatchObject({ fresh: 0 });
    // The 2 most recent and the one listed now (which may be one of them).
    expect(await small.state.itemCount(long.url)).toBeGreaterThanOrEqual(2);
    expect(await small.state.itemCount(long.url)).toBeLessThanOrEqual(3);
    expect(await small.poll(long)).toMatchObject({ fresh: 0 });
  });
});
