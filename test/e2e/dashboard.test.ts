/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real
 * `sitrep serve` over a store filled by `sitrep ingest` with the bundled samples and an article full
 * of markup. One page walks through what an analyst does: load the dashboard and see the map draw,
 * filter by country (keyboard) and event type (mouse), reload the shared URL, open an event and
 * follow its evidence, paste the seed story, download CSV and GeoJSON, and read an article whose
 * text is made of <script> and onerror= markup without anything running.
 *
 * Each step saves a screenshot under test-results/e2e/ (CI keeps that folder).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, getJson, ingest, launchBrowser, parseCsv, ROOT, shot, startServer, tempDataDir, type RunningServer } from './harness.js';
import { countSaturated, decodePng } from './png.js';

/** ACLED's export columns, in ACLED's order (the CSV download must have exactly these). */
const ACLED_HEADER = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type',
  'actor1', 'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting',
  'iso', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location', 'latitude', 'longitude', 'geo_precision',
  'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
];
const SEED = join(ROOT, '..', 'shared', 'fixtures', 'mali-2023-01-ambush.txt');
const MARKUP = join(ROOT, 'test', 'e2e', 'fixtures', 'markup-article.json');
const MARKUP_ID = 'e2e-markup';

interface Rec {
  event_id: string;
  country: string | null;
  event_type: string | null;
  claims: { kind: string; count: number | null; qualifier: string; claimant: string | null; start: number; end: number; article_id?: string | null }[];
  sources: { article_id: string; title: string | null }[];
  evidence: { field: string; start: number; end: number; article_id?: string | null }[];
  [k: string]: unknown;
}
interface ListPage {
  events: Rec[];
  total: number;
  next_cursor: string | null;
}
interface Geo {
  type: string;
  features: { geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[];
}

const data = tempDataDir('e2e');
let server: RunningServer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  ingest(data.dir, [join(ROOT, 'samples'), MARKUP]);
  server = await startServer(data.dir);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  data.remove();
}, E2E_TIMEOUT_MS);

/** The map has drawn the current events, and the table is not loading. */
async function settled(p: Page, events?: number): Promise<void> {
  await p.waitForFunction(
    (n) => {
      const map = document.querySelector('.map');
      const table = document.querySelector('table.events');
      return (
        map?.getAttribute('data-state') === 'rendered' &&
        (n === null || map.getAttribute('data-events') === String(n)) &&
        table?.getAttribute('aria-busy') === 'false'
      );
    },
    events ?? null,
    { timeout: 60_000 },
  );
}

/** What the table shows: per row, the text of each cell. */
function tableRows(p: Page): Promise<string[][]> {
  return p.$$eval('table.events tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
}

/** Events drawn by the map (a cluster counts for its events), from MapLibre's rendered features. */
function renderedEventCount(p: Page): Promise<number> {
  return p.evaluate(() => {
    // The app's map object (web/src/components/MapView.tsx puts it there for tests and debugging).
    const map = (window as unknown as { sitrepMap: { queryRenderedFeatures: (o: { layers: string[] }) => { properties: unknown }[] } }).sitrepMap;
    const seen = new Set<string>();
    let n = 0;
    for (const f of map.queryRenderedFeatures({ layers: ['events', 'clusters'] })) {
      const props = f.properties as Record<string, unknown>;
      const key = props['cluster'] ? `c${String(props['cluster_id'])}` : String(props['event_id']);
      if (seen.has(key)) continue;
      seen.add(key);
      n += props['cluster'] ? Number(props['point_count']) : 1;
    }
    return n;
  });
}

function hashParams(p: Page): URLSearchParams {
  const hash = new URL(p.url()).hash;
  const q = hash.indexOf('?');
  return new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
}

describe('the dashboard in Chromium', () => {
  it(
    'loads, draws the events on the map and fills the table',
    async () => {
      const all = await getJson<ListPage>(`${server.url}/events?limit=1`);
      const geo = await getJson<Geo>(`${server.url}/events.geojson`);
      expect(all.total).toBeGreaterThanOrEqual(36);
      await page.goto(server.url);
      await page.waitForSelector('html[data-first-render="done"]', { timeout: 60_000 });
      await settled(page, geo.features.length);
      expect(await page.locator('.map canvas').count()).toBe(1);
      // Every event with coordinates is drawn (the first view fits them all), as a circle or in a cluster.
      expect(await renderedEventCount(page)).toBe(geo.features.length);
      // And the circles are really on screen: coloured pixels, where the base map has only greys and pale tints.
      const mapPng = decodePng(await page.locator('.map').screenshot());
      expect(countSaturated(mapPng)).toBeGreaterThan(200);
      const rows = await tableRows(page);
      expect(rows.length).toBe(Math.min(50, all.total));
      await expect(page.locator('.results').textContent()).resolves.toContain(`${all.total} events match`);
      // The timeline drew its chart, and the map credits Natural Earth.
      expect(await page.locator('.timeline-plot canvas').count()).toBeGreaterThan(0);
      await expect(page.locator('.maplibregl-ctrl-attrib').textContent()).resolves.toContain('Natural Earth');
      await shot(page, '01-dashboard');
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'filters by country with the keyboard and by event type with the mouse; the URL keeps both',
    async () => {
      // Country, by keyboard only: open the menu, find Mali, tick it, close the menu.
      await page.focus('#f-country summary');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Mali');
      let found = false;
      for (let i = 0; i < 6 && !found; i++) {
        await page.keyboard.press('Tab');
        found = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value === 'Mali');
      }
      expect(found).toBe(true);
      await page.keyboard.press('Space');
      await page.keyboard.press('Escape');
      expect(await page.evaluate(() => document.activeElement?.closest('details')?.id)).toBe('f-country');
      await page.waitForFunction(() => location.hash.includes('country=Mali'));
      const mali = await getJson<ListPage>(`${server.url}/events?country=Mali&limit=500`);
      const maliGeo = await getJson<Geo>(`${server.url}/events.geojson?country=Mali`);
      expect(mali.total).toBeGreaterThanOrEqual(3);
      await settled(page, maliGeo.features.length);
      await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, mali.total);
      const rows = await tableRows(page);
      expect(rows.every((r) => r[7] === 'Mali')).toBe(true);
      expect(await renderedEventCount(page)).toBe(maliGeo.features.length);
      await expect(page.locator('.results').textContent()).resolves.toContain(`${mali.total} events match`);
      await shot(page, '02-filter-country');

      // Event type, by mouse.
      await page.click('#f-type summary');
      await page.locator('#f-type input[value="Battles"]').check();
      await page.waitForFunction(() => location.hash.includes('event_type=Battles'));
      await page.mouse.click(5, 500); // closes the menu
      const battles = await getJson<ListPage>(`${server.url}/events?country=Mali&event_type=Battles&limit=500`);
      const battlesGeo = await getJson<Geo>(`${server.url}/events.geojson?country=Mali&event_type=Battles`);
      expect(battles.total).toBeGreaterThanOrEqual(1);
      expect(battles.total).toBeLessThan(mali.total);
      await settled(page, battlesGeo.features.length);
      await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, battles.total);
      const typed = await tableRows(page);
      expect(typed.every((r) => r[7] === 'Mali' && r[1] === 'Battles')).toBe(true);
      expect(typed.map((r) => r[0]).sort()).toEqual(battles.events.map((e) => (e['event_date'] as string | null) ?? 'undated').sort());
      const params = hashParams(page);
      expect(params.getAll('country')).toEqual(['Mali']);
      expect(params.getAll('event_type')).toEqual(['Battles']);
      await shot(page, '03-filter-type');
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'shows the same filtered view after a reload of the URL',
    async () => {
      const before = await tableRows(page);
      const url = page.url();
      await page.reload();
      expect(page.url()).toBe(url);
      await page.waitForSelector('html[data-first-render="done"]', { timeout: 60_000 });
      await settled(page);
      await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, before.length);
      expect(await tableRows(page)).toEqual(before);
      await expect(page.locator('#f-country summary').getAttribute('aria-label')).resolves.toBe('Country: Mali');
      await expect(page.locator('#f-type summary').getAttribute('aria-label')).resolves.toBe('Event type: Battles');
      await page.click('#f-type summary');
      expect(await page.locator('#f-type input[value="Battles"]').isChecked()).toBe(true);
      await page.keyboard.press('Escape');
      await shot(page, '04-reloaded');
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'opens an event: every field, the claims, the sources, and the evidence highlighted and linked to its fields',
    async () => {
      // Open the first row by keyboard: focus its link and press Enter.
      await page.focus('table.events tbody tr:first-child a.row-link');
      const id = await page.locator('table.events tbody tr:first-child').getAttribute('data-event-id');
      expect(id).toBeTruthy();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#event-heading');
      expect(new URL(page.url()).hash.startsWith(`#/event/${encodeURIComponent(id!)}`)).toBe(true);
      const detail = await getJson<{ event: Rec; articles: { id: string; title: string | null }[] }>(`${server.url}/events/${encodeURIComponent(id!)}`);
      const ev = detail.event;
      await page.waitForSelector('.article-text mark');

      // Every field of the record has its row, showing its value.
      for (const [k, v] of Object.entries(ev)) {
        if (k === 'claims' || k === 'sources' || k === 'evidence') continue;
        const cell = page.locator(`table.fields tr[data-field="${k}"] td`).first();
        const text = (await cell.textContent()) ?? '';
        if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) expect(text, k).toBe('—');
        else if (Array.isArray(v)) for (const x of v) expect(text, k).toContain(String(x));
        else if (typeof v === 'boolean') expect(text, k).toBe(v ? 'yes' : 'no');
        else expect(text, k).toContain(String(v));
      }
      // The claims table: who claims what.
      const claimRows = await page.$$eval('table.claims tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
      expect(claimRows.length).toBe(ev.claims.length);
      ev.claims.forEach((c, i) => {
        expect(claimRows[i]![0]).toBe(c.kind);
        expect(claimRows[i]![3]).toBe(c.claimant ?? 'not attributed');
      });
      // The sources.
      const sources = await page.$$eval('.sources li', (li) => li.map((l) => l.textContent ?? ''));
      expect(sources.length).toBe(detail.articles.length);
      for (const a of detail.articles) expect(sources.some((s) => s.includes(a.title ?? a.id))).toBe(true);

      // Each evidence span is a <mark> holding exactly the words at its offsets in the article's text.
      const single = detail.articles.length === 1;
      let checked = 0;
      for (const [ai, a] of detail.articles.entries()) {
        const article = await getJson<{ text: string }>(`${server.url}/articles/${encodeURIComponent(a.id)}`);
        const spans = ev.evidence.filter((s) => (s.article_id ? s.article_id === a.id : single));
        for (const s of spans) {
          const mark = page.locator(`section.article:nth-of-type(${ai + 1}) .article-text mark[data-start="${s.start}"][data-end="${s.end}"]`);
          const texts = await mark.allTextContents();
          expect(texts.join(''), `${s.field} ${s.start}-${s.end}`).toBe(article.text.slice(s.start, s.end));
          expect((await mark.first().getAttribute('data-fields'))?.split(' ')).toContain(s.field);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(3);
      // The article text, marks removed, is the article's text.
      const shown = await page.locator('.article-text').first().textContent();
      const first = await getJson<{ text: string }>(`${server.url}/articles/${encodeURIComponent(detail.articles[0]!.id)}`);
      expect(shown).toBe(first.text);

      // A field's quote button selects its span: tinted, scrolled into view, focused.
      const field = ev.evidence.find((s) => s.field === 'location')?.field ?? ev.evidence[0]!.field;
      await page.locator(`button[data-evidence-field="${field}"]`).first().click();
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const r = el?.getBoundingClientRect();
        return { tag: el?.tagName, fields: el?.getAttribute('data-fields'), active: el?.classList.contains('active'), inView: !!r && r.top >= 0 && r.bottom <= innerHeight };
      });
      expect(focused.tag).toBe('MARK');
      expect(focused.fields?.split(' ')).toContain(field);
      expect(focused.active).toBe(true);
      expect(focused.inView).toBe(true);
      // And a click on a highlight selects its field's row.
      const claimMark = page.locator('.article-text mark[data-fields~="event_type"]').first();
      if ((await claimMark.count()) > 0) {
        await claimMark.click();
        await expect(page.locator('table.fields tr[data-field="event_type"]').getAttribute('class')).resolves.toContain('active');
      }
      await shot(page, '05-event');
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'extracts the pasted seed story at once and shows its events',
    async () => {
      await page.click('nav >> text=Paste an article');
      await page.waitForSelector('#p-text');
      await page.fill('#p-text', readFileSync(SEED, 'utf8'));
      await page.fill('#p-published', '2023-01-12');
      await page.fill('#p-title', 'Mali: soldiers killed in central Mali ambushes');
      await page.click('button[type="submit"]');
      await page.waitForSelector('.paste-event', { timeout: 90_000 });
      const events = await page.$$eval('.paste-event', (els) =>
        els.map((e) => ({
          place: e.querySelector('.place')?.textContent ?? '',
          claims: [...e.querySelectorAll('table.claims tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
        })),
      );
      const mali = events.find((e) => e.place.includes('Mali'));
      expect(mali, JSON.stringify(events)).toBeDefined();
      // The army's claim (at least 14 soldiers killed) and its claim about the militants (31).
      expect(mali!.claims.some((c) => c[0] === 'killed' && c[1] === '14' && c[2] === 'at least' && c[3] === 'army')).toBe(true);
      expect(mali!.claims.some((c) => c[0] === 'killed' && c[1] === '31')).toBe(true);
      await expect(page.locator('.paste-status').textContent()).resolves.toMatch(/\d+ events? found/);
      await shot(page, '06-paste');
      // The event is stored: its page shows the story with the claim highlighted.
      await page.locator('.paste-event h2 a').first().click();
      await page.waitForSelector('.article-text mark.kind-claim');
      const claims = await page.locator('.article-text mark[data-claims]').allTextContents();
      expect(claims.join(' | ')).toContain('At least 14');
      await shot(page, '06b-pasted-event');
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'downloads the current filter as ACLED CSV and as GeoJSON',
    async () => {
      await page.goto(`${server.url}/#/?country=Mali`);
      const list = await getJson<ListPage>(`${server.url}/events?country=Mali&limit=500`);
      const geo = await getJson<Geo>(`${server.url}/events.geojson?country=Mali`);
      await settled(page, geo.features.length);

      const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("CSV")')]);
      const csv = readFileSync((await csvDownload.path())!, 'utf8');
      const rows = parseCsv(csv).filter((r) => r.length > 1 || r[0] !== '');
      expect(rows[0]).toEqual(ACLED_HEADER);
      expect(rows.length - 1).toBe(list.total);
      const country = ACLED_HEADER.indexOf('country');
      expect(rows.slice(1).every((r) => r[country] === 'Mali')).toBe(true);
      expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(list.events.map((e) => e.event_id)));

      const [geoDownload] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("GeoJSON")')]);
      const fc = JSON.parse(readFileSync((await geoDownload.path())!, 'utf8')) as Geo;
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features.length).toBe(geo.features.length);
      for (const f of fc.features) {
        expect(f.geometry.type).toBe('Point');
        expect(f.properties['country']).toBe('Mali');
      }
      await shot(page, '07-downloads');
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'shows an article made of <script> and onerror= markup as text: nothing runs, nothing is injected',
    async () => {
      const list = await getJson<ListPage>(`${server.url}/events?limit=500`);
      const ev = list.events.find((e) => e.sources.some((s) => s.article_id === MARKUP_ID));
      expect(ev, 'the markup article has an event').toBeDefined();
      await page.goto(`${server.url}/#/event/${encodeURIComponent(ev!.event_id)}`);
      await page.waitForSelector('.article-text');
      await page.waitForTimeout(500);
      const text = (await page.locator('.article-text').first().textContent()) ?? '';
      expect(text).toContain("<script>window.__sitrepXss='script';alert('script')</script>");
      expect(text).toContain('<img src=x onerror=');
      await expect(page.locator('section.article h3').first().textContent()).resolves.toContain('<script>');
      const injected = await page.evaluate(() => ({
        flag: (window as unknown as { __sitrepXss?: string }).__sitrepXss ?? null,
        elements: document.querySelectorAll('main script, main img, main iframe, main style, main [onerror], main [onclick]').length,
        bodyShown: getComputedStyle(document.body).display !== 'none',
      }));
      expect(injected).toEqual({ flag: null, elements: 0, bodyShown: true });
      expect(dialogs).toEqual([]);
      await shot(page, '08-markup-as-text');
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'sorts and pages the table, limits it to the map view, and chooses dates on the timeline',
    async () => {
      await page.goto(`${server.url}/#/`);
      await settled(page);
      const busy = () => page.waitForFunction(() => document.querySelector('table.events')?.getAttribute('aria-busy') === 'false');
      const ids = () => page.$$eval('table.events tbody tr', (rows) => rows.map((r) => r.getAttribute('data-event-id')));

      // Sort by fatalities (the first click sorts descending), as the API sorts.
      await page.click('th button.sort:has-text("Fatalities")');
      await page.waitForFunction(() => location.hash.includes('sort=-fatalities'));
      const byDead = await getJson<ListPage>(`${server.url}/events?sort=-fatalities&limit=50`);
      await page.waitForFunction((first) => document.querySelector('table.events tbody tr')?.getAttribute('data-event-id') === first, byDead.events[0]!.event_id);
      await busy();
      expect(await ids()).toEqual(byDead.events.map((e) => e.event_id));
      await expect(page.locator('th:has(button.sort:has-text("Fatalities"))').getAttribute('aria-sort')).resolves.toBe('descending');

      // The next page is the API's next page.
      expect(byDead.next_cursor).not.toBeNull();
      const second = await getJson<ListPage>(`${server.url}/events?sort=-fatalities&limit=50&cursor=${encodeURIComponent(byDead.next_cursor!)}`);
      await page.locator('.table-head button:has-text("Next")').click();
      await page.waitForFunction((first) => document.querySelector('table.events tbody tr')?.getAttribute('data-event-id') === first, second.events[0]!.event_id);
      expect(await ids()).toEqual(second.events.map((e) => e.event_id));
      await expect(page.locator('.results').textContent()).resolves.toContain(`showing 51–${50 + second.events.length}`);
      await page.locator('.table-head button:has-text("Previous")').click();
      await page.waitForFunction((first) => document.querySelector('table.events tbody tr')?.getAttribute('data-event-id') === first, byDead.events[0]!.event_id);

      // Only the events in the map view: the URL gets the view's box, the table what the API has in it.
      await page.locator('label:has-text("Only events in the map view") input').check();
      await page.waitForFunction(() => location.hash.includes('bbox='));
      const bbox = hashParams(page).get('bbox')!;
      expect(bbox.split(',').map(Number).every(Number.isFinite)).toBe(true);
      const inView = await getJson<ListPage>(`${server.url}/events?bbox=${bbox}&sort=-fatalities&limit=50`);
      await busy();
      await expect(page.locator('.results').textContent()).resolves.toContain(`${inView.total} event`);
      await page.locator('label:has-text("Only events in the map view") input').uncheck();
      await page.waitForFunction(() => !location.hash.includes('bbox='));

      // Drag across the timeline: a date range, in the URL and in the From/To fields; the table keeps to it.
      // The plot is drawn after the timeline's data arrives: wait for it (a loaded machine takes seconds).
      // It is drawn anew when the filter changes (the map-view box just went): wait until two looks
      // 200 ms apart find the same plot in the same place.
      const plot = page.locator('.timeline-plot .u-over');
      let over: Awaited<ReturnType<typeof plot.boundingBox>> = null;
      for (let tries = 0; tries < 150; tries++) {
        await plot.waitFor({ state: 'visible', timeout: 30_000 });
        const a = await plot.boundingBox();
        await page.waitForTimeout(200);
        const b = await plot.boundingBox();
        if (a && b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height) {
          over = b;
          break;
        }
      }
      expect(over).not.toBeNull();
      await page.mouse.move(over!.x + over!.width * 0.55, over!.y + over!.height / 2);
      await page.mouse.down();
      await page.mouse.move(over!.x + over!.width * 0.8, over!.y + over!.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForFunction(() => location.hash.includes('from=') && location.hash.includes('to='));
      const from = hashParams(page).get('from')!;
      const to = hashParams(page).get('to')!;
      expect(from < to).toBe(true);
      await expect(page.locator('#f-from').inputValue()).resolves.toBe(from);
      await expect(page.locator('#f-to').inputValue()).resolves.toBe(to);
      const ranged = await getJson<ListPage>(`${server.url}/events?from=${from}&to=${to}&sort=-fatalities&limit=50`);
      expect(ranged.total).toBeGreaterThan(0);
      await page.waitForFunction((n) => document.querySelector('.results')?.textContent?.startsWith(`${n} event`), ranged.total);
      await busy();
      const dates = (await tableRows(page)).map((r) => r[0]!);
      expect(dates.every((d) => d >= from && d <= to)).toBe(true);
      await shot(page, '09-sort-page-view-dates');
      expect(pageErrors).toEqual([]);
    },
    E2E_TIMEOUT_MS,
  );
});
