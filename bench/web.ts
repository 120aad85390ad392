/**
 * Benchmark: the dashboard's first render in a real browser (Debian's Chromium through
 * playwright-core, the flags of test/e2e/harness.ts) against a real `sitrep serve`, over a store
 * with the bundled samples (`sitrep ingest samples`) and a few thousand synthetic events written
 * through the store API (copies of the samples' articles, each with its events moved in time and
 * place, stored as ingest stores them: putArticle, then one singleton canonical event per event).
 *
 * First render = from navigation start to the app's `sitrep:first-render` mark (web/src/perf.ts):
 * the map has drawn the events (its first `idle` after the events went in) and the table shows its
 * first page. Each load is a fresh browser context (empty cache: what a first visit costs); then
 * reloads in one context (warm cache). Prints median and p95 of both, the two parts, and the
 * sizes, when each request of the first render ended, and the load average; exits 1 when the cold
 * median is 2 s or more (issue 5's floor).
 *
 * Environment: SITREP_BENCH_LOADS (default 10), SITREP_BENCH_SYNTHETIC (events to add, default 3000).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { singletonRecord } from '../src/jobs/merge-step.js';
import { openStore } from '../src/store/index.js';
import type { SitrepEvent } from '../src/core/types.js';
import { E2E_TIMEOUT_MS, ingest, launchBrowser, ROOT, startServer, tempDataDir } from '../test/e2e/harness.js';

const LOADS = Math.max(3, Number(process.env['SITREP_BENCH_LOADS'] ?? 10) || 10);
const SYNTHETIC = Math.max(0, Number(process.env['SITREP_BENCH_SYNTHETIC'] ?? 3000) || 0);
const FLOOR_MS = 2000;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
}
const median = (xs: number[]) => quantile(xs, 0.5);

/** A deterministic pseudo-random stream (the same store on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function shiftDate(date: string | null, days: number): string | null {
  if (!date) return date;
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Copies of the stored sample articles with their events moved, until `count` events are added. */
async function addSynthetic(dataDir: string, count: number): Promise<number> {
  if (count <= 0) return 0;
  const store = await openStore({ dataDir });
  try {
    const seeds: { article: Awaited<ReturnType<typeof store.getArticle>>; events: SitrepEvent[] }[] = [];
    let cursor: string | null = null;
    const ids = new Set<string>();
    do {
      const page = await store.listCanonical({}, cursor, 500);
      for (const c of page.items) for (const s of c.event.sources ?? []) ids.add(s.article_id);
      cursor = page.next;
    } while (cursor);
    for (const id of [...ids].sort()) {
      const article = await store.getArticle(id);
      const events = await store.articleEvents(id);
      if (article && events.length) seeds.push({ article, events });
    }
    if (!seeds.length) throw new Error('bench/web: no stored sample events to copy');
    const next = rng(5);
    let added = 0;
    await store.transaction(async (tx) => {
      for (let i = 0; added < count; i++) {
        const seed = seeds[i % seeds.length]!;
        const a = seed.article!;
        const id = `synthetic-${i}`;
        const days = Math.round((next() - 0.5) * 3 * 365);
        const dLat = (next() - 0.5) * 2;
        const dLon = (next() - 0.5) * 2;
        const events: SitrepEvent[] = seed.events.map((e, k) => ({
          ...e,
          event_id: `${id}:${k + 1}`,
          event_date: shiftDate(e.event_date, days),
          latitude: typeof e.latitude === 'number' ? Math.max(-85, Math.min(85, e.latitude + dLat)) : e.latitude,
          longitude: typeof e.longitude === 'number' ? e.longitude + dLon : e.longitude,
          sources: [{ article_id: id, url: null, title: a.title, published: shiftDate(a.published, days), source: 'synthetic' }],
        }));
        const article = { id, title: a.title, url: null, published: shiftDate(a.published, days), text: `${a.text}\n\nSynthetic copy ${i + 1}.`, removed: [], source: 'synthetic' };
        const put = await tx.putArticle(article, events);
        await tx.putCanonicals(events.map((e) => ({ id: e.event_id, event: singletonRecord(e, put.id), members: [e.event_id] })));
        added += events.length;
      }
    });
    return added;
  } finally {
    await store.close();
  }
}

interface Load {
  firstRender: number;
  map: number;
  table: number;
  /** Milliseconds from navigation start: the app's script ran; each request's start, first byte and end. */
  script: number;
  /** The base map first drawn (MapLibre's load event), and the events handed to the map. */
  mapLoad: number;
  /** The outlines read and tiled by the map's worker. */
  outlines: number;
  mapData: number;
  responses: Record<string, [number, number, number]>;
}

/** The requests of a first render, by a short name (resource timing entries, matched on their URL). */
const RESOURCES: Array<[string, RegExp]> = [
  ['app js', /\/assets\/index-[^/]*\.js$/],
  ['outlines', /\/assets\/countries-overview-[^/]*\.json$/],
  ['map points', /\/events\.geojson/],
  ['page', /\/events\?/],
  ['facets', /\/facets/],
  ['timeline', /\/stats\/timeline/],
];

function distSize(): number {
  const dir = join(ROOT, 'web', 'dist', 'assets');
  return readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:web failed');
  const data = tempDataDir('bench-web');
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const browser = await launchBrowser();
  try {
    ingest(data.dir, [join(ROOT, 'samples')]);
    const t0 = performance.now();
    const added = await addSynthetic(data.dir, SYNTHETIC);
    const storeSeconds = (performance.now() - t0) / 1000;
    server = await startServer(data.dir);
    const health = (await (await fetch(`${server.url}/health`)).json()) as { events: number; articles: number; store: string };
    console.log(
      `store: ${health.events} events, ${health.articles} articles (${health.store}); ${added} synthetic events added in ${storeSeconds.toFixed(1)} s; dashboard assets ${(distSize() / 1e6).toFixed(1)} MB`,
    );

    const measure = async (page: import('playwright-core').Page, go: () => Promise<unknown>): Promise<Load> => {
      await go();
      await page.waitForSelector('html[data-first-render="done"]', { timeout: E2E_TIMEOUT_MS });
      // A string, not a function: tsx would wrap a function's inner helpers in a __name() the page lacks.
      const l = (await page.evaluate(`(() => {
        const at = (n) => performance.getEntriesByName(n, 'mark')[0]?.startTime ?? NaN;
        const res = performance.getEntriesByType('resource').map((r) => [r.name, r.startTime, r.responseStart, r.responseEnd]);
        return { firstRender: at('sitrep:first-render'), map: at('sitrep:map-rendered'), table: at('sitrep:table-filled'), script: at('sitrep:script-start'), mapLoad: at('sitrep:map-load'), outlines: at('sitrep:outlines-loaded'), mapData: at('sitrep:map-data'), res };
      })()`)) as Omit<Load, 'responses'> & { res: Array<[string, number, number, number]> };
      const responses: Record<string, [number, number, number]> = {};
      for (const [name, re] of RESOURCES) {
        const hit = l.res.find(([u]) => re.test(u));
        if (hit) responses[name] = [hit[1], hit[2], hit[3]];
      }
      return { firstRender: l.firstRender, map: l.map, table: l.table, script: l.script, mapLoad: l.mapLoad, outlines: l.outlines, mapData: l.mapData, responses };
    };

    // One load to warm the server (its first queries, the gazetteer-free start-up), not counted.
    {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await ctx.newPage();
      await measure(page, () => page.goto(server!.url));
      await ctx.close();
    }
    const cold: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await ctx.newPage();
      cold.push(await measure(page, () => page.goto(server!.url)));
      await ctx.close();
    }
    const warm: Load[] = [];
    {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await ctx.newPage();
      await measure(page, () => page.goto(server!.url));
      for (let i = 0; i < LOADS; i++) warm.push(await measure(page, () => page.reload()));
      await ctx.close();
    }
    const row = (name: string, loads: Load[]) => {
      const f = loads.map((l) => l.firstRender);
      console.log(
        `${name}: first render median ${median(f).toFixed(0)} ms, p95 ${quantile(f, 0.95).toFixed(0)} ms (map drawn median ${median(loads.map((l) => l.map)).toFixed(0)} ms, table filled median ${median(loads.map((l) => l.table)).toFixed(0)} ms; ${loads.length} loads)`,
      );
    };
    row('cold (fresh context, empty cache)', cold);
    row('warm (reload, cached assets)', warm);
    const parts = (loads: Load[]) =>
      [
        `script ran ${median(loads.map((l) => l.script)).toFixed(0)}`,
        `outlines tiled ${median(loads.map((l) => l.outlines)).toFixed(0)}`,
        `map complete ${median(loads.map((l) => l.mapLoad)).toFixed(0)}`,
        `events to the map ${median(loads.map((l) => l.mapData)).toFixed(0)}`,
        ...RESOURCES.map(([n]) => n)
          .filter((n) => loads.every((l) => n in l.responses))
          .map((n) => `${n} ${[0, 1, 2].map((k) => median(loads.map((l) => l.responses[n]![k]!)).toFixed(0)).join('/')}`),
      ].join(', ');
    console.log(`cold, medians from navigation start in ms (requests: sent/first byte/last byte): ${parts(cold)}`);
    // The API requests of a first render one at a time, from Node: what the server alone costs.
    const urls = await (async () => {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await ctx.newPage();
      await measure(page, () => page.goto(server!.url));
      const names = (await page.evaluate(`performance.getEntriesByType('resource').map((r) => r.name)`)) as string[];
      await ctx.close();
      return names.filter((u) => !u.includes('/assets/'));
    })();
    const alone: string[] = [];
    for (const u of urls) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        bytes = (await (await fetch(u)).arrayBuffer()).byteLength;
        times.push(performance.now() - t);
      }
      alone.push(`${new URL(u).pathname} ${median(times).toFixed(0)} ms (${(bytes / 1024).toFixed(0)} kB)`);
    }
    console.log(`the first render's API requests one at a time (median of 5): ${alone.join(', ')}`);
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    const m = median(cold.map((l) => l.firstRender));
    console.log(`floor: cold median under ${FLOOR_MS} ms: ${m < FLOOR_MS ? 'yes' : 'NO'}`);
    if (!(m < FLOOR_MS)) process.exitCode = 1;
  } finally {
    await browser.close();
    await server?.stop();
    data.remove();
  }
}

await main();
