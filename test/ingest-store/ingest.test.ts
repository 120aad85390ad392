/**
 * `sitrep ingest` through the real CLI, on PGlite and on PostgreSQL: idempotence (the samples twice,
 * the same text under another id), a changed article replacing its events and keeping one version,
 * and resuming after kill -9 with nothing lost and nothing doubled. Export reads what was stored.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SitrepEvent } from '../../src/core/types.js';
import { toArticle } from '../../src/ingest/read.js';
import { extractFromArticle } from '../../src/pipeline/extract.js';
import type { StoreCounts } from '../../src/store/index.js';
import { generateArticle, generatedJsonl } from './generate.js';
import { CLI_BACKENDS, expectNoStackTrace, ingestSummary, parseCsv, ROOT, runCli, spawnCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild, type CliStore } from './helpers.js';

const SAMPLES = join(ROOT, 'samples');
const SAMPLE_COUNT = 36;
const KILL_ARTICLES = 160;

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-ingest-files-'));
const killJsonl = join(tmp, 'generated.jsonl');

/** What a clean single run stores for the generated articles: their event ids, from the pipeline in this process. */
let expectedEventIds: string[] = [];

beforeAll(() => {
  warnIfStaleBuild();
  writeFileSync(killJsonl, generatedJsonl(KILL_ARTICLES));
  const ids: string[] = [];
  for (let i = 0; i < KILL_ARTICLES; i++) {
    const g = generateArticle(i);
    for (const e of extractFromArticle(toArticle(g, g.id)).events) ids.push(e.event_id);
  }
  expectedEventIds = ids.sort();
}, SPAWN_TIMEOUT_MS);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function countsOf(s: CliStore): Promise<StoreCounts> {
  const store = await s.open();
  try {
    return await store.counts();
  } finally {
    await store.close();
  }
}

const jsonl = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as SitrepEvent);

describe.each(CLI_BACKENDS)('sitrep ingest on $name', (backend) => {
  beforeAll(() => backend.setup(), SPAWN_TIMEOUT_MS);
  afterAll(() => backend.teardown(), SPAWN_TIMEOUT_MS);

  it(
    'stores the samples folder once: a second run adds nothing and extracts nothing; export lists every event once',
    async () => {
      const s = await backend.fresh();
      try {
        const first = await runCli(['ingest', SAMPLES, '--json'], s.env);
        expect(first.code, first.stderr).toBe(0);
        expectNoStackTrace(first.stderr);
        const one = ingestSummary(first);
        expect(one).toMatchObject({ articles: SAMPLE_COUNT, new: SAMPLE_COUNT, replaced: 0, unchanged: 0, failed: 0, extracted: SAMPLE_COUNT, store: backend.name });
        expect(one.events).toBeGreaterThanOrEqual(SAMPLE_COUNT);
        expect(one.canonical).toBe(one.events);
        // Not a terminal: plain progress lines, and the summary.
        expect(first.stderr).toMatch(new RegExp(`^ingest: ${SAMPLE_COUNT}/${SAMPLE_COUNT} articles, 0 errors$`, 'm'));
        expect(first.stderr).toMatch(new RegExp(`^ingest: ${SAMPLE_COUNT} articles: ${SAMPLE_COUNT} new, 0 replaced, 0 unchanged, 0 failed; ${one.events} events stored; `, 'm'));
        const after1 = await countsOf(s);
        expect(after1).toMatchObject({ articles: SAMPLE_COUNT, article_versions: 0, article_events: one.events, canonical_events: one.events, canonical_members: one.events });

        // Again, with the text of a stored sample under a new id (a JSONL line): found by its content hash.
        const sample = JSON.parse(readFileSync(join(SAMPLES, 'yemen-2022-04-nationwide-truce.json'), 'utf8')) as { text: string };
        const twin = join(tmp, `twin-${backend.name}.jsonl`);
        writeFileSync(twin, `${JSON.stringify({ id: 'another-id', text: sample.text.toUpperCase().replace(/\n/g, '\n \n') })}\n`);
        const second = await runCli(['ingest', SAMPLES, twin, '--json'], s.env);
        expect(second.code, second.stderr).toBe(0);
        const n = SAMPLE_COUNT + 1;
        expect(ingestSummary(second)).toMatchObject({ articles: n, new: 0, replaced: 0, unchanged: n, failed: 0, extracted: 0, events: 0, canonical: 0 });
        expect(await countsOf(s)).toEqual(after1);

        // Export: every canonical event once, in each format. A PGlite process costs a second or more to
        // start, so PGlite's export is run once, in the kill -9 test; CSV and GeoJSON in detail: test/export/.
        if (backend.name === 'pglite') return;
        const exported = await runCli(['export', '--format', 'jsonl'], s.env);
        expect(exported.code, exported.stderr).toBe(0);
        const events = jsonl(exported.stdout);
        expect(events).toHaveLength(one.events);
        expect(new Set(events.map((e) => e.event_id)).size).toBe(one.events);
        for (const e of events) {
          expect(e.sources.length).toBe(1);
          for (const c of e.claims) expect(c.article_id).toBe(e.sources[0]!.article_id);
        }
        // The samples' JSON files keep their ids; index.json gave the text files their URLs.
        const articleIds = new Set(events.map((e) => e.sources[0]!.article_id));
        expect(articleIds.has('sample-yemen-2022-04-nationwide-truce')).toBe(true);
        expect(events.some((e) => e.sources[0]!.url === 'https://example.org/burkina/2022/10/02/french-embassy-protest')).toBe(true);

        const csv = await runCli(['export', '--format', 'acled-csv'], s.env);
        expect(csv.code, csv.stderr).toBe(0);
        const rows = parseCsv(csv.stdout);
        expect(rows).toHaveLength(one.events + 1);
        expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(one.events);

        const geo = await runCli(['export', '--format', 'geojson'], s.env);
        expect(geo.code, geo.stderr).toBe(0);
        const fc = JSON.parse(geo.stdout) as { type: string; features: unknown[] };
        expect(fc.type).toBe('FeatureCollection');
        const located = events.filter((e) => e.latitude !== null && e.longitude !== null).length;
        expect(fc.features).toHaveLength(located);
      } finally {
        await s.remove();
      }
    },
    SPAWN_TIMEOUT_MS * 2,
  );

  it(
    'replaces the events of a changed article (same URL, new text) and keeps its old text as one version',
    async () => {
      const s = await backend.fresh();
      try {
        const url = 'https://example.org/sahel/2023/03/07/djibo-attack';
        const v1 = {
          title: 'Gunmen kill villagers near Djibo',
          url,
          published: '2023-03-07',
          text: 'OUAGADOUGOU, March 7 – Gunmen killed at least 12 civilians in an attack on a village near Djibo, Burkina Faso, on Monday, local officials said.',
        };
        const v2 = {
          ...v1,
          text:
            'OUAGADOUGOU, March 7 – Gunmen killed at least 31 civilians in an attack on a village near Djibo, Burkina Faso, on Monday, local officials said.\n\n' +
            'Hundreds of protesters marched in Ouagadougou on Tuesday to denounce the insecurity, witnesses said.',
        };
        const file = join(tmp, `changed-${backend.name}.json`);
        writeFileSync(file, JSON.stringify(v1));
        // Places play no part here: --no-geo spares loading the gazetteer (a second per run).
        const first = ingestSummary(await runCli(['ingest', file, '--json', '--no-geo'], s.env));
        expect(first).toMatchObject({ new: 1, events: expect.any(Number) });
        expect(first.events).toBeGreaterThan(0);
        const opened = await s.open();
        const before = await opened.articleEvents((await opened.getArticleByUrl(url))!.id).finally(() => opened.close());
        expect(before).toHaveLength(first.events);
        expect(before.some((e) => e.claims.some((c) => c.count === 12))).toBe(true);

        writeFileSync(file, JSON.stringify(v2));
        const r = await runCli(['ingest', file, '--json', '--no-geo'], s.env);
        expect(r.code, r.stderr).toBe(0);
        const second = ingestSummary(r);
        expect(second).toMatchObject({ articles: 1, new: 0, replaced: 1, unchanged: 0, extracted: 1 });

        const store = await s.open();
        try {
          const stored = await store.getArticleByUrl(url);
          expect(stored).toMatchObject({ version: 2, text: v2.text });
          const versions = await store.articleVersions(stored!.id);
          expect(versions).toHaveLength(1);
          expect(versions[0]).toMatchObject({ version: 1, text: v1.text });
          expect(versions[0]!.events.map((e) => e.event_id).sort()).toEqual(before.map((e) => e.event_id).sort());
          const events = await store.articleEvents(stored!.id);
          expect(events).toHaveLength(second.events);
          expect(await store.counts()).toMatchObject({ articles: 1, article_versions: 1, article_events: second.events, canonical_members: second.events });
          // Only the new text's events are listed (what export and the API read), and none of the old figures.
          const after = (await store.listCanonical({}, null, 100)).items.map((c) => c.event);
          expect(after.map((e) => e.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
          expect(after.some((e) => e.claims.some((c) => c.count === 31))).toBe(true);
          expect(after.some((e) => e.claims.some((c) => c.count === 12))).toBe(false);
        } finally {
          await store.close();
        }

      } finally {
        await s.remove();
      }
    },
    SPAWN_TIMEOUT_MS * 2,
  );

  it(
    'resumes after kill -9 with every article stored exactly once and the events of a clean run',
    async () => {
      const s = await backend.fresh();
      try {
        // Kill the first run once a fifth of the articles is stored (progress lines come every tenth).
        const child = spawnCli(['ingest', killJsonl], s.env);
        let stderr = '';
        const killedAt = await new Promise<number>((resolve, reject) => {
          let done = 0;
          child.stderr.on('data', (b: Buffer) => {
            stderr += b.toString('utf8');
            for (const m of stderr.matchAll(/^ingest: (\d+)\/\d+ articles/gm)) done = Math.max(done, Number(m[1]));
            if (done >= KILL_ARTICLES / 5 && child.exitCode === null && !child.killed) {
              child.kill('SIGKILL');
              resolve(done);
            }
          });
          child.on('error', reject);
          child.on('close', (code, signal) => (signal === 'SIGKILL' ? undefined : reject(new Error(`the run ended (exit ${code}) before it was killed:\n${stderr}`))));
        });
        const signal = await new Promise<NodeJS.Signals | null>((resolve) => (child.exitCode !== null || child.signalCode ? resolve(child.signalCode) : child.on('close', (_c, sig) => resolve(sig))));
        expect(signal).toBe('SIGKILL');
        expect(stderr).not.toMatch(/^ingest: \d+ articles: /m); // no summary: it did not finish

        const partial = await countsOf(s);
        expect(partial.articles).toBeGreaterThanOrEqual(killedAt);
        expect(partial.articles).toBeLessThan(KILL_ARTICLES);
        // Whole articles only: every stored event has its canonical event.
        expect(partial.canonical_members).toBe(partial.article_events);

        const resumed = await runCli(['ingest', killJsonl, '--json'], s.env);
        expect(resumed.code, resumed.stderr).toBe(0);
        const summary = ingestSummary(resumed);
        expect(summary).toMatchObject({ articles: KILL_ARTICLES, failed: 0, replaced: 0, unchanged: partial.articles, new: KILL_ARTICLES - partial.articles });
        expect(summary.extracted).toBe(KILL_ARTICLES - partial.articles);

        const store = await s.open();
        let eventIds: string[];
        try {
          expect(await store.counts()).toMatchObject({
            articles: KILL_ARTICLES,
            article_versions: 0,
            article_events: expectedEventIds.length,
            canonical_events: expectedEventIds.length,
            canonical_members: expectedEventIds.length,
          });
          eventIds = [];
          for (let cursor: string | null = null, first = true; first || cursor; first = false) {
            const page = await store.listArticleEvents({}, cursor, 1000);
            eventIds.push(...page.items.map((i) => i.event.event_id));
            cursor = page.next;
          }
        } finally {
          await store.close();
        }
        expect(eventIds.sort()).toEqual(expectedEventIds);

        // Export (the MUC-4 measurement's reading): one line per canonical event, sources by the JSONL ids.
        const exported = jsonl((await runCli(['export', '--format', 'jsonl'], s.env)).stdout);
        expect(exported.map((e) => e.event_id).sort()).toEqual(expectedEventIds);
        for (const e of exported) {
          expect(e.sources.map((x) => x.article_id)).toEqual([e.event_id.split(':')[0]]);
          expect(e.sources[0]!.article_id).toMatch(/^gen-\d{4}$/);
        }
      } finally {
        await s.remove();
      }
    },
    SPAWN_TIMEOUT_MS * 2,
  );

  it('fails with one line and exit 1 when the store cannot be opened', async () => {
    const env = backend.name === 'pglite' ? { SITREP_DATA: '/dev/null/not-a-dir' } : { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' };
    const r = await runCli(['ingest', SAMPLES], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^sitrep: /);
    expectNoStackTrace(r.stderr);
  }, SPAWN_TIMEOUT_MS);
});
