/**
 * `sitrep watch` through the real CLI (`node bin/sitrep.js watch`, the compiled dist/), against feeds
 * and pages served by a real HTTP server on 127.0.0.1:
 * - on PGlite and PostgreSQL: a feed that changes between polls, each run a new process (a
 *   restart): new items stored, old ones never fetched again; conditional requests (the server
 *   sees If-None-Match / If-Modified-Since and answers 304, nothing is reprocessed);
 * - a 500, a slow server (timeout), malformed XML and a 404 page in one run: a line each naming the
 *   URL, the good feed stored; the next run skips the failing feeds (backoff kept in the store);
 * - pages and a feed in windows-1252 / ISO-8859-1 decoded right (Ségou, Ménaka);
 * - the long-running mode: polls again after --interval, SIGTERM stops it cleanly;
 * - the config file (--config, SITREP_CONFIG) and its errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedStateStore } from '../../src/feeds/state.js';
import type { PollReport } from '../../src/feeds/watcher.js';
import { CLI_BACKENDS, expectNoStackTrace, pgliteBackend, runCli, spawnCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild, type CliBackend, type CliResult, type CliStore } from '../ingest-store/helpers.js';
import { page, report, rss, startServer, type TestServer } from './server.js';

const RSS = 'application/rss+xml; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

let server: TestServer;
const tmp = mkdtempSync(join(tmpdir(), 'sitrep-watch-'));
beforeAll(async () => {
  warnIfStaleBuild();
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The --json reports of a run, by feed URL. */
function reports(r: CliResult): Map<string, PollReport> {
  const out = new Map<string, PollReport>();
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const rep = JSON.parse(line) as PollReport;
    out.set(rep.feed, rep);
  }
  return out;
}

async function inStore<T>(s: CliStore, fn: (store: Awaited<ReturnType<CliStore['open']>>) => Promise<T>): Promise<T> {
  const store = await s.open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

let n = 0;
const prefix = () => `/w${++n}`;
/** The store's environment, in-process even if the test runner has REDIS_URL set (queue.test.ts covers the queue). */
const local = (s: CliStore): NodeJS.ProcessEnv => ({ ...s.env, REDIS_URL: '' });
const watch = (s: CliStore, args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['watch', '--once', '--json', '--no-geo', ...args], { ...local(s), ...env });

describe.each(CLI_BACKENDS)('sitrep watch on $name', (backend: CliBackend) => {
  beforeAll(() => backend.setup(), SPAWN_TIMEOUT_MS);
  afterAll(() => backend.teardown(), SPAWN_TIMEOUT_MS);

  it(
    'stores new items of a changing feed, never fetches an old one again across restarts, and sends validators that the server answers with 304',
    async () => {
      const p = prefix();
      const s = await backend.fresh();
      const A = server.url(`${p}/a/feed.xml`);
      const B = server.url(`${p}/b/feed.xml`);
      const link = (x: string) => server.url(`${p}/${x}.html`);
      const items = [
        { title: 'Attack near Kidal', link: link('a1'), place: 'Kidal' },
        { title: 'Clashes in Gao', link: link('a2'), place: 'Gao' },
        { title: 'Raid on Ménaka', link: link('a3'), place: 'Ménaka' },
        { title: 'Ambush near Douentza', link: link('b1'), place: 'Douentza' },
      ];
      items.forEach((it, i) => server.route(`${p}/${it.link.split('/').pop()}`, { body: page(it.title, report(it.place, 3 + i, 3 + i)), contentType: HTML }));
      // A: ETag only (newest item first, as feeds list them). B: Last-Modified only.
      server.route(`${p}/a/feed.xml`, { body: rss('A', [items[1]!, items[0]!]), contentType: RSS, etag: '"a-1"' });
      server.route(`${p}/b/feed.xml`, { body: rss('B', [items[3]!]), contentType: RSS, lastModified: 'Sun, 03 Mar 2024 10:00:00 GMT' });
      const pages = () => server.requests.filter((r) => r.path.startsWith(p) && r.path.endsWith('.html')).map((r) => r.path.slice(p.length + 1));

      const r1 = await watch(s, [A, B]);
      expect(r1.code, r1.stderr).toBe(0);
      expectNoStackTrace(r1.stderr);
      expect(reports(r1).get(A)).toMatchObject({ status: 'changed', items: 2, fresh: 2, stored: 2, failed: 0 });
      expect(reports(r1).get(B)).toMatchObject({ status: 'changed', items: 1, fresh: 1, stored: 1 });
      expect(pages().sort()).toEqual(['a1.html', 'a2.html', 'b1.html']);
      expect(server.hits(`${p}/a/feed.xml`)[0]!.headers['if-none-match']).toBeUndefined();
      expect(server.hits(`${p}/a/feed.xml`)[0]!.headers['user-agent']).toMatch(/^sitrep\//);
      expect(r1.stderr).toContain(`watch: ${A}: 2 items, 2 new: 2 stored, 0 failed`);

      // A restart: both feeds asked conditionally, both 304, nothing fetched or stored again.
      const r2 = await watch(s, [A, B]);
      expect(r2.code, r2.stderr).toBe(0);
      expect(reports(r2).get(A)).toMatchObject({ status: 'not-modified', fresh: 0, stored: 0 });
      expect(reports(r2).get(B)).toMatchObject({ status: 'not-modified' });
      expect(server.hits(`${p}/a/feed.xml`)[1]).toMatchObject({ status: 304, headers: { 'if-none-match': '"a-1"' } });
      expect(server.hits(`${p}/b/feed.xml`)[1]).toMatchObject({ status: 304, headers: { 'if-modified-since': 'Sun, 03 Mar 2024 10:00:00 GMT' } });
      expect(pages()).toHaveLength(3);

      // A gets a new item (and a new ETag); B's server stops sending validators: the old items are
      // in both bodies and are neither fetched nor stored again.
      server.route(`${p}/a/feed.xml`, { body: rss('A', [items[2]!, items[1]!, items[0]!]), contentType: RSS, etag: '"a-2"' });
      server.route(`${p}/b/feed.xml`, { body: rss('B', [items[3]!]), contentType: RSS });
      const r3 = await watch(s, [A, B]);
      expect(r3.code, r3.stderr).toBe(0);
      expect(reports(r3).get(A)).toMatchObject({ status: 'changed', items: 3, fresh: 1, stored: 1, unchanged: 0 });
      expect(reports(r3).get(B)).toMatchObject({ status: 'changed', items: 1, fresh: 0, stored: 0 });
      expect(pages().sort()).toEqual(['a1.html', 'a2.html', 'a3.html', 'b1.html']);

      const r4 = await watch(s, [A]);
      expect(reports(r4).get(A)).toMatchObject({ status: 'not-modified' });
      expect(server.hits(`${p}/a/feed.xml`).at(-1)!.headers['if-none-match']).toBe('"a-2"');

      await inStore(s, async (store) => {
        expect((await store.counts()).articles).toBe(4);
        const a3 = await store.getArticleByUrl(link('a3'));
        expect(a3).toMatchObject({ title: 'Raid on Ménaka', published: '2024-03-03' });
        expect(a3!.text).toContain('village of Ménaka');
        expect(a3!.text).not.toContain('Subscribe to our newsletter');
        const state = new FeedStateStore(store);
        expect(await state.get(A)).toMatchObject({ etag: '"a-2"', failures: 0, title: 'A' });
        expect(await state.itemCount(A)).toBe(3);
        expect((await state.items(A, [link('a1')])).get(link('a1'))).toMatchObject({ status: 'done', attempts: 1 });
      });
      await s.remove();
    },
    SPAWN_TIMEOUT_MS * 2,
  );
});

describe('sitrep watch: bad feeds and pages, encodings, the loop, the config (PGlite)', () => {
  const backend = pgliteBackend();
  beforeAll(() => backend.setup(), SPAWN_TIMEOUT_MS);
  afterAll(() => backend.teardown(), SPAWN_TIMEOUT_MS);

  it(
    'reports a 500, a timeout, malformed XML and a 404 page, each naming its URL, stores the rest, and backs off the failing feeds in the next run',
    async () => {
      const p = prefix();
      const s = await backend.fresh();
      const url = (x: string) => server.url(`${p}/${x}`);
      server.route(`${p}/500.xml`, { status: 500 });
      server.route(`${p}/slow.xml`, { body: rss('Slow', []), contentType: RSS, delayMs: 4000 });
      server.route(`${p}/bad.xml`, { body: '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>x</item></channel>', contentType: RSS });
      server.route(`${p}/good.xml`, {
        body: rss('Good', [
          { title: 'Attack in Bandiagara', link: url('ok.html') },
          { title: 'Missing page', link: url('missing.html') },
        ]),
        contentType: RSS,
      });
      server.route(`${p}/ok.html`, { body: page('Attack in Bandiagara', report('Bandiagara', 9)), contentType: HTML });
      const feeds = ['500.xml', 'slow.xml', 'bad.xml', 'good.xml'].map(url);

      const r1 = await watch(s, ['--timeout', '1', '--interval', '600', ...feeds]);
      expect(r1.code, r1.stderr).toBe(2);
      expectNoStackTrace(r1.stderr);
      expect(r1.stderr).toContain(`sitrep: feed ${url('500.xml')}: HTTP 500 Internal Server Error (failure 1 in a row; next try in 10 min)`);
      expect(r1.stderr).toContain(`sitrep: feed ${url('slow.xml')}: no complete answer within 1 s (timed out) (failure 1 in a row; next try in 10 min)`);
      expect(r1.stderr).toMatch(new RegExp(`sitrep: feed ${url('bad.xml').replace(/[.?]/g, '\\$&')}: is not a readable RSS or Atom feed \\(.+\\) \\(failure 1 in a row`));
      expect(r1.stderr).toContain(`sitrep: ${url('missing.html')}: HTTP 404 Not Found (item 2 ("Missing page") of ${url('good.xml')})`);
      const rep = reports(r1);
      expect(rep.get(url('500.xml'))).toMatchObject({ status: 'failed', error: 'HTTP 500 Internal Server Error', failures: 1 });
      expect(rep.get(url('slow.xml'))).toMatchObject({ status: 'failed', error: 'no complete answer within 1 s (timed out)' });
      expect(rep.get(url('bad.xml'))).toMatchObject({ status: 'failed' });
      expect(rep.get(url('good.xml'))).toMatchObject({ status: 'changed', fresh: 2, stored: 1, failed: 1 });

      // The next run: the failing feeds are not asked again before their retry time; the good one goes on.
      const before = (x: string) => server.hits(`${p}/${x}`).length;
      const counts = ['500.xml', 'slow.xml', 'bad.xml'].map(before);
      const r2 = await watch(s, ['--timeout', '1', '--interval', '600', ...feeds]);
      expect(r2.code, r2.stderr).toBe(0);
      for (const f of ['500.xml', 'slow.xml', 'bad.xml']) {
        expect(reports(r2).get(url(f))).toMatchObject({ status: 'skipped', failures: 1 });
        expect(r2.stderr).toContain(`watch: ${url(f)}: skipped, backing off after 1 failed poll`);
      }
      expect(['500.xml', 'slow.xml', 'bad.xml'].map(before)).toEqual(counts);
      expect(reports(r2).get(url('good.xml'))).toMatchObject({ status: 'changed', fresh: 0 });
      expect(server.hits(`${p}/missing.html`)).toHaveLength(1);
      await inStore(s, async (store) => expect((await store.counts()).articles).toBe(1));
      await s.remove();
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'decodes pages and a feed in windows-1252 and ISO-8859-1 (header, <meta>, XML declaration): Ségou, Ménaka, Tombouctou stored right',
    async () => {
      const p = prefix();
      const s = await backend.fresh();
      const url = (x: string) => server.url(`${p}/${x}`);
      const latin1 = (text: string) => Buffer.from(text, 'latin1');
      // The feed itself in ISO-8859-1, said only by its XML declaration.
      server.route(`${p}/feed.xml`, {
        body: latin1(
          rss(
            'Actualités du Mali',
            [
              { title: 'Attaque près de Ségou', link: url('segou.html') },
              { title: 'Violences à Ménaka', link: url('menaka.html') },
            ],
            'ISO-8859-1',
          ),
        ),
        contentType: 'application/rss+xml',
      });
      // windows-1252 by the header, with its own quotes and dash; ISO-8859-1 by <meta> only.
      const segou = report('Ségou', 11).map((l, i) => (i === 1 ? `“They came at dawn” – a resident of Ségou told reporters.` : l));
      server.route(`${p}/segou.html`, { body: cp1252(page('Attaque près de Ségou', segou)), contentType: 'text/html; charset=windows-1252' });
      server.route(`${p}/menaka.html`, {
        body: latin1(page('Violences à Ménaka', [...report('Ménaka', 8), 'Des renforts sont arrivés de Tombouctou.'], '<meta charset="iso-8859-1">')),
        contentType: 'text/html',
      });

      const r = await watch(s, [url('feed.xml')]);
      expect(r.code, r.stderr).toBe(0);
      expect(reports(r).get(url('feed.xml'))).toMatchObject({ status: 'changed', fresh: 2, stored: 2 });
      await inStore(s, async (store) => {
        const a = await store.getArticleByUrl(url('segou.html'));
        const b = await store.getArticleByUrl(url('menaka.html'));
        // The title comes from the (ISO-8859-1) feed, the text from the pages.
        expect(a!.title).toBe('Attaque près de Ségou');
        expect(a!.text).toContain('the village of Ségou in central Mali');
        expect(a!.text).toContain('“They came at dawn” – a resident of Ségou told reporters.');
        expect(b!.title).toBe('Violences à Ménaka');
        expect(b!.text).toContain('Des renforts sont arrivés de Tombouctou.');
        for (const t of [a!.text, b!.text, a!.title!, b!.title!]) expect(t).not.toMatch(/\ufffd|Ã|[\u0080-\u009f]/);
      });
      await s.remove();
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'keeps polling every --interval seconds until SIGTERM, which stops it cleanly (exit 0)',
    async () => {
      const p = prefix();
      const s = await backend.fresh();
      const url = (x: string) => server.url(`${p}/${x}`);
      server.route(`${p}/one.html`, { body: page('Attack in Tessit', report('Tessit', 5)), contentType: HTML });
      server.route(`${p}/two.html`, { body: page('Attack in Ansongo', report('Ansongo', 7, 4)), contentType: HTML });
      server.route(`${p}/feed.xml`, { body: rss('F', [{ title: 'One', link: url('one.html') }]), contentType: RSS, etag: '"1"' });
      const child = spawnCli(['watch', '--interval', '1', '--no-geo', url('feed.xml')], local(s));
      let stderr = '';
      const waiters: Array<{ re: RegExp; count: number; resolve: () => void }> = [];
      const check = () => {
        for (const w of [...waiters]) {
          if ((stderr.match(new RegExp(w.re.source, 'g')) ?? []).length >= w.count) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      };
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString('utf8');
        check();
      });
      const until = (re: RegExp, count = 1) => new Promise<void>((resolve) => {
        waiters.push({ re, count, resolve });
        check();
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
      try {
        await until(/1 items?, 1 new: 1 stored/);
        await until(/: not modified/);
        server.route(`${p}/feed.xml`, { body: rss('F', [{ title: 'Two', link: url('two.html') }, { title: 'One', link: url('one.html') }]), contentType: RSS, etag: '"2"' });
        await until(/2 items, 1 new: 1 stored/);
      } finally {
        child.kill('SIGTERM');
      }
      const { code } = await exited;
      expect(code, stderr).toBe(0);
      expect(stderr).toContain('watch: SIGTERM: stopping after the item in hand');
      expect(stderr).toContain('watch: stopped by SIGTERM');
      expectNoStackTrace(stderr);
      expect(server.hits(`${p}/one.html`)).toHaveLength(1);
      await inStore(s, async (store) => expect((await store.counts()).articles).toBe(2));
      await s.remove();
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'reads feeds from a config file (--config, or SITREP_CONFIG), merged with the arguments; a bad config or no feed is one clear line',
    async () => {
      const p = prefix();
      const s = await backend.fresh();
      const url = (x: string) => server.url(`${p}/${x}`);
      server.route(`${p}/c1.xml`, { body: rss('C1', [{ title: 'Attack in Niono', description: report('Niono', 6).join(' ') }]), contentType: RSS });
      server.route(`${p}/c2.xml`, { body: rss('C2', [{ title: 'Attack in Macina', description: report('Macina', 4).join(' ') }]), contentType: RSS });
      const cfg = join(tmp, `cfg-${n}.json`);
      writeFileSync(cfg, JSON.stringify({ feeds: [url('c1.xml'), { url: url('c2.xml'), interval: 900 }], timeout: 5 }));
      const r = await watch(s, ['--config', cfg, url('c1.xml')]);
      expect(r.code, r.stderr).toBe(0);
      expect([...reports(r).keys()]).toEqual([url('c1.xml'), url('c2.xml')]);
      expect(reports(r).get(url('c2.xml'))).toMatchObject({ stored: 1 });
      const again = await watch(s, [], { SITREP_CONFIG: cfg });
      expect([...reports(again).values()].map((x) => x.fresh)).toEqual([0, 0]);

      const bad = join(tmp, `bad-${n}.json`);
      writeFileSync(bad, JSON.stringify({ feeds: ['ftp://example.org/feed'] }));
      const b1 = await watch(s, ['--config', bad]);
      expect(b1.code).toBe(1);
      expect(b1.stderr).toBe(`sitrep: ${bad}: "feeds"[0]: "ftp://example.org/feed" is not an http(s) URL\n`);
      writeFileSync(bad, JSON.stringify({ feeds: [], intervall: 5 }));
      const b2 = await watch(s, ['--config', bad]);
      expect(b2.stderr).toMatch(/^sitrep: .*bad-\d+\.json: "intervall": unknown field \(known: feeds, interval,/);
      const b3 = await runCli(['watch', '--once'], local(s));
      expect(b3.code).toBe(1);
      expect(b3.stderr).toContain('sitrep: sitrep watch: no feeds: give FEED_URL... or a config file with a "feeds" list');
      const b4 = await runCli(['watch', '--once', '--interval', 'soon', url('c1.xml')], local(s));
      expect(b4.stderr).toBe('sitrep: --interval: must be a positive number, got "soon"\n');
      await s.remove();
    },
    SPAWN_TIMEOUT_MS,
  );
});

/** windows-1252 bytes of a text (its quotes and dashes at 0x80–0x9F, Latin-1 letters as themselves). */
function cp1252(text: string): Buffer {
  const high: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  return Buffer.from([...text].map((c) => high[c] ?? (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f)));
}
