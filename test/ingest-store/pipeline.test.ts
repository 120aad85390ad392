/**
 * The ingest runner in process (src/jobs/pipeline.ts) on a PGlite store, with a stand-in extractor
 * (events made from each line of the text, returned asynchronously and out of step, as worker
 * threads would): articles stored with their canonical events several per transaction (group
 * commit), each one whole or absent, in input order with the outcome of a sequential run even while
 * extraction runs ahead and a batch holds articles that touch each other, unchanged articles never
 * extracted, bad input reported and skipped without losing the rest of its batch.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/types.js';
import { InputError } from '../../src/core/types.js';
import type { Extractor } from '../../src/jobs/extractor.js';
import type { IngestInput } from '../../src/jobs/inputs.js';
import { singletonCanonicals, type MergeStep } from '../../src/jobs/merge-step.js';
import { ingestArticles } from '../../src/jobs/pipeline.js';
import { openStore, StoreInputError, type Store } from '../../src/store/index.js';
import { makeArticle, makeEvents } from '../store/backends.js';
import { pgliteTemplate } from './helpers.js';

// One database for the file, copied from the shared template (creating one takes seconds), a schema per test.
let db: PGlite | null = null;
let stores: Store[] = [];
let serial = 0;
const tmp = mkdtempSync(join(tmpdir(), 'sitrep-pipeline-'));
beforeAll(async () => {
  cpSync(await pgliteTemplate(), tmp, { recursive: true, filter: (src) => !src.endsWith('db.lock') });
  db = await PGlite.create(join(tmp, 'db'));
}, 60_000);
afterAll(async () => {
  await db?.close();
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
});

async function memoryStore(): Promise<Store> {
  const s = await openStore({ pglite: db!, schema: `pipeline_${++serial}` });
  stores.push(s);
  return s;
}

/**
 * Extracts with makeEvents, answering after a delay that varies (or at once, with `instant`: then a
 * window's articles are all ready together and go into one batch), `capacity` articles at a time;
 * counts its calls.
 */
function fakeExtractor(capacity = 4, opts: { instant?: boolean } = {}): Extractor & { calls: string[] } {
  const calls: string[] = [];
  let n = 0;
  return {
    calls,
    capacity,
    async extract(article: Article) {
      calls.push(article.id);
      if (!opts.instant) await new Promise((r) => setTimeout(r, (n++ % 3) * 3));
      if (article.text.includes('CRASH')) throw new InputError(article.source ?? article.id, 'the pipeline refused it');
      return makeEvents(article);
    },
    close: async () => {},
  };
}

const input = (a: Article, idGiven = true): IngestInput => ({ label: a.source ?? a.id, article: { ...a, source: a.source ?? a.id }, idGiven });

// Each test ingests into fresh PGlite stores: seconds on a loaded machine, more than the default 5 s.
describe('ingestArticles', { timeout: 60_000 }, () => {
  it("keeps a new store's planner statistics up to date as it grows (Store.refreshStatistics after each batch)", async () => {
    const schema = `pipeline_${++serial}`;
    const store = await openStore({ pglite: db!, schema });
    stores.push(store);
    const articles = Array.from({ length: 400 }, (_, i) => makeArticle(`grow-${i}`));
    const summary = await ingestArticles(store, articles.map((a) => input(a)), { extractor: fakeExtractor(8, { instant: true }), merge: singletonCanonicals });
    expect(summary).toMatchObject({ new: 400, events: 800 });
    // Analyzed at the first batch end after 500 rows (167 articles), then whenever as many rows were
    // written as the planner saw: wherever the batches end, it sees more than half of the rows.
    const { rows } = await db!.query<{ n: number }>(`select reltuples::float8 as n from pg_class where oid = '${schema}.article_events'::regclass`);
    expect(rows[0]!.n).toBeGreaterThan(800 / 2);
    expect(rows[0]!.n).toBeLessThanOrEqual(800);
  });

  it('stores each article with its canonical events, in input order, and extracts nothing that is stored already', async () => {
    const store = await memoryStore();
    const articles = Array.from({ length: 12 }, (_, i) => makeArticle(`art-${i}`));
    const ex = fakeExtractor();
    const order: string[] = [];
    const summary = await ingestArticles(store, articles.map((a) => input(a)), { extractor: ex, merge: singletonCanonicals, onProgress: (_c, o) => order.push(o.articleId!) }); // identical fake events: test the pipeline, not the merger
    expect(summary).toMatchObject({ done: 12, new: 12, unchanged: 0, failed: 0, extracted: 12, events: 24, canonical: 24, interrupted: false });
    expect(order).toEqual(articles.map((a) => a.id));
    expect(await store.counts()).toMatchObject({ articles: 12, article_events: 24, canonical_events: 24, canonical_members: 24 });

    const again = fakeExtractor();
    const second = await ingestArticles(store, articles.map((a) => input(a)), { extractor: again });
    expect(second).toMatchObject({ done: 12, new: 0, unchanged: 12, extracted: 0, events: 0 });
    expect(again.calls).toEqual([]);
  });

  it.each([
    ['answers out of step', false],
    ['answers at once (one batch would hold them all)', true],
  ])('gives the outcome of a sequential run while extraction runs ahead (%s): two versions of a URL, a twin text, one URL under two ids', async (_name, instant) => {
    const store = await memoryStore();
    const url = 'https://example.org/same';
    const v1 = makeArticle('v', { url, sentences: ['Gunmen killed 5 villagers near Kidal on 3 March 2023 (v1).'] });
    const v2 = makeArticle('v', { url, sentences: ['Gunmen killed 9 villagers near Kidal on 3 March 2023 (v2).', 'A second event in Gao (v2).'] });
    const twin = makeArticle('twin', { sentences: ['Gunmen killed 9 villagers near Kidal on 3 March 2023 (v2).', 'A second event in Gao (v2).'] });
    const first = makeArticle('first-id', { url: 'https://example.org/other', sentences: ['One line (first).'] });
    const second = makeArticle('second-id', { url: 'https://example.org/other', sentences: ['Another line (second).', 'And one more (second).'] });
    const back = { ...v1 }; // v1 again, after v2: replaces v2
    const ex = fakeExtractor(4, { instant });
    const outcomes: string[] = [];
    const summary = await ingestArticles(store, [v1, v2, twin, first, second, back].map((a) => input(a)), {
      extractor: ex,
      merge: singletonCanonicals, // these fake events all describe one event: this test is about the pipeline, not the merger
      onProgress: (_c, o) => outcomes.push(`${o.articleId}:${o.status}`),
    });
    expect(outcomes).toEqual(['v:new', 'v:replaced', 'v:unchanged', 'first-id:new', 'first-id:replaced', 'v:replaced']);
    expect(summary).toMatchObject({ new: 2, replaced: 3, unchanged: 1, failed: 0 });
    const v = await store.getArticle('v');
    expect(v).toMatchObject({ version: 3, text: v1.text });
    expect((await store.articleVersions('v')).map((x) => x.text)).toEqual([v1.text, v2.text]);
    // The article stored under its first id, with event ids of that id (extracted again under it).
    const events = await store.articleEvents('first-id');
    expect(events.map((e) => e.event_id)).toEqual(['first-id:1:x', 'first-id:2:x']);
    expect(events[0]!.notes).toContain('(second)');
    expect(await store.getArticle('second-id')).toBeNull();
    const counts = await store.counts();
    expect(counts).toMatchObject({ articles: 2, article_events: 3, canonical_members: 3 });
    expect((await store.listCanonical({}, null, 100)).items.map((c) => c.id).sort()).toEqual(['first-id:1:x', 'first-id:2:x', 'v:1:x']);
  });

  it('stores nothing of an article whose merge step fails, and stops the run', async () => {
    const store = await memoryStore();
    const articles = ['ok-1', 'boom', 'ok-2'].map((id) => makeArticle(id));
    const merge: MergeStep = async (tx, stored) => {
      const n = await singletonCanonicals(tx, stored);
      if (stored.article.id === 'boom') throw new Error('merger crashed');
      return n;
    };
    await expect(ingestArticles(store, articles.map((a) => input(a)), { extractor: fakeExtractor(1), merge })).rejects.toThrow(/merger crashed/);
    expect(await store.getArticle('ok-1')).not.toBeNull();
    expect(await store.getArticle('boom')).toBeNull();
    expect(await store.getArticle('ok-2')).toBeNull();
    expect(await store.counts()).toMatchObject({ articles: 1, article_events: 2, canonical_events: 2, canonical_members: 2 });
  });

  it('reports unreadable inputs, refused articles and store refusals, and goes on', async () => {
    const store = await memoryStore();
    await store.putArticle(makeArticle('owner', { url: 'https://example.org/owned' }), []);
    const clash = makeArticle('owner-2', { url: 'https://example.org/owned2' });
    await store.putArticle(clash, []);
    const errors: string[] = [];
    const summary = await ingestArticles(
      store,
      [
        { label: 'bad.txt', error: new InputError('bad.txt', 'file is empty') },
        input(makeArticle('crash', { sentences: ['CRASH here.'] })),
        // Its id is owner-2's and its URL owner's: the store refuses it.
        input({ ...clash, url: 'https://example.org/owned', text: 'A different text in Gao on 1 May 2023.' }),
        input(makeArticle('fine')),
      ],
      { extractor: fakeExtractor(), onError: (m) => errors.push(m) },
    );
    expect(summary).toMatchObject({ done: 4, new: 1, failed: 3 });
    expect(errors).toEqual([
      'bad.txt: file is empty',
      'crash: the pipeline refused it',
      'owner-2: article owner-2: its url https://example.org/owned already belongs to article owner',
    ]);
    expect(await store.getArticle('fine')).not.toBeNull();
  });

  it('derives ids: from the URL when the input gave none, so that a new text of the same URL replaces it', async () => {
    const store = await memoryStore();
    const a = makeArticle('a-0001', { url: 'https://example.org/story' });
    const b = makeArticle('a-0002', { url: 'https://example.org/story', sentences: ['New text in Gao on 2 May 2023.'] });
    const out: string[] = [];
    await ingestArticles(store, [input(a, false), input(b, false)], { extractor: fakeExtractor(), onProgress: (_c, o) => out.push(`${o.articleId}:${o.status}`) });
    expect(out).toHaveLength(2);
    const [id] = out[0]!.split(':');
    expect(id).toMatch(/^url-[0-9a-f]{20}$/);
    expect(out).toEqual([`${id}:new`, `${id}:replaced`]);
    expect((await store.articleEvents(id!)).map((e) => e.event_id)).toEqual([`${id}:1:x`]);
  });

  it('stores several articles per transaction, up to batchSize, and reports each in input order', async () => {
    const store = await memoryStore();
    const articles = Array.from({ length: 10 }, (_, i) => makeArticle(`b-${i}`));
    const order: string[] = [];
    const summary = await ingestArticles(store, articles.map((a) => input(a)), {
      extractor: fakeExtractor(8),
      merge: singletonCanonicals,
      batchSize: 4,
      onProgress: (_c, o) => order.push(o.articleId!),
    });
    expect(summary).toMatchObject({ done: 10, new: 10, failed: 0, events: 20, canonical: 20 });
    expect(order).toEqual(articles.map((a) => a.id));
    expect(summary.timing.batches).toBeGreaterThanOrEqual(3); // ⌈10 / 4⌉ at least
    expect(summary.timing.batches).toBeLessThanOrEqual(10);
    expect(await store.counts()).toMatchObject({ articles: 10, article_events: 20, canonical_events: 20, canonical_members: 20 });

    // batchSize 1: one transaction per article, as before group commit.
    const one = await memoryStore();
    const s1 = await ingestArticles(one, articles.map((a) => input(a)), { extractor: fakeExtractor(), merge: singletonCanonicals, batchSize: 1 });
    expect(s1).toMatchObject({ new: 10, events: 20 });
    expect(s1.timing.batches).toBe(10);
  });

  it('rolls back only the article whose merge step refuses it after writing: the rest of its batch is stored', async () => {
    const store = await memoryStore();
    const articles = ['k-1', 'k-refused', 'k-2', 'k-3'].map((id) => makeArticle(id));
    const merge: MergeStep = async (tx, stored) => {
      const n = await singletonCanonicals(tx, stored); // written, then refused: the unit must leave nothing
      if (stored.article.id === 'k-refused') throw new StoreInputError('k-refused', 'the merge step refused it');
      return n;
    };
    const errors: string[] = [];
    // batchMs: one batch whatever the machine's load (the default closes a batch after 250 ms).
    const summary = await ingestArticles(store, articles.map((a) => input(a)), { extractor: fakeExtractor(4, { instant: true }), merge, batchMs: 60_000, onError: (m) => errors.push(m) });
    expect(summary).toMatchObject({ done: 4, new: 3, failed: 1, events: 6, canonical: 6 });
    expect(summary.timing.batches).toBe(1);
    expect(errors).toEqual(['k-refused: article k-refused: the merge step refused it']);
    expect(await store.getArticle('k-refused')).toBeNull();
    expect(await store.articleEvents('k-refused')).toEqual([]);
    expect(await store.counts()).toMatchObject({ articles: 3, article_events: 6, canonical_events: 6, canonical_members: 6 });
  });

  it('extracts an article again under the stored id when another writer stored its URL under another id meanwhile', async () => {
    const store = await memoryStore();
    const url = 'https://example.org/raced';
    const late = makeArticle('late', { url, sentences: ['Gunmen killed 7 villagers near Gao on 2 May 2023 (late).'] });
    const rival = makeArticle('rival', { url, sentences: ['An earlier text of the story (rival).'] });
    const ex = fakeExtractor();
    let raced = false;
    const extractor: Extractor = {
      ...ex,
      async extract(article, pipeline) {
        // Between the preview and the store: another writer stores the URL under its own id.
        if (article.id === 'late' && !raced) {
          raced = true;
          await store.putArticle(rival, makeEvents(rival));
        }
        return ex.extract(article, pipeline);
      },
    };
    const out: string[] = [];
    const summary = await ingestArticles(store, [input(makeArticle('before')), input(late), input(makeArticle('after'))], {
      extractor,
      merge: singletonCanonicals,
      onProgress: (_c, o) => out.push(`${o.articleId}:${o.status}`),
    });
    expect(out).toEqual(['before:new', 'rival:replaced', 'after:new']);
    expect(summary).toMatchObject({ new: 2, replaced: 1, failed: 0 });
    expect(ex.calls.filter((id) => id === 'late')).toEqual(['late']);
    expect(ex.calls.filter((id) => id === 'rival')).toEqual(['rival']); // extracted again, under the stored id
    expect((await store.articleEvents('rival')).map((e) => e.event_id)).toEqual(['rival:1:x']);
    expect(await store.getArticle('late')).toBeNull();
    expect((await store.articleVersions('rival')).map((v) => v.text)).toEqual([rival.text]);
  });
});

describe('extraction worker threads', () => {
  it('extract in threads what this thread extracts, count their time, and warm up before the first article', async () => {
    // The compiled module: its threads run dist/jobs/extract-worker.js (run `npx tsc -p .` first).
    const { workerExtractor, defaultWorkerCount } = (await import('../../dist/jobs/extractor.js')) as typeof import('../../src/jobs/extractor.js');
    const { extractFromArticle } = await import('../../src/pipeline/extract.js');
    const ex = workerExtractor(2, { warmUp: { geoparse: false } });
    try {
      await ex.ready!();
      expect(ex.busyMs).toBe(0); // the warm-up is not counted
      const articles = Array.from({ length: 4 }, (_, i) => makeArticle(`w-${i}`, { sentences: [`Gunmen killed ${5 + i} villagers near Gao on 3 March 2023.`] }));
      const got = await Promise.all(articles.map((a) => ex.extract(a, { geoparse: false })));
      expect(got).toEqual(articles.map((a) => extractFromArticle(a, { geoparse: false }).events));
      expect(got.flat().length).toBeGreaterThan(0);
      expect(ex.busyMs).toBeGreaterThan(0);
    } finally {
      await ex.close();
    }
    // One per spare core, at most 4; on one core none with PGlite, one with PostgreSQL.
    expect([1, 2, 4, 8].map((cores) => [defaultWorkerCount('pglite', cores), defaultWorkerCount('postgres', cores)])).toEqual([[0, 1], [1, 1], [3, 3], [4, 4]]);
  }, 60_000);
});
