/**
 * The ingest runner in process (src/jobs/pipeline.ts) on an in-memory store, with a stand-in
 * extractor (events made from each line of the text, returned asynchronously and out of step, as
 * worker threads would): one transaction per article with its canonical events, stored in input
 * order with the outcome of a sequential run even while extraction runs ahead, unchanged articles
 * never extracted, bad input reported and skipped.
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
import { openStore, type Store } from '../../src/store/index.js';
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

/** Extracts with makeEvents, answering after a delay that varies, `capacity` articles at a time; counts its calls. */
function fakeExtractor(capacity = 4): Extractor & { calls: string[] } {
  const calls: string[] = [];
  let n = 0;
  return {
    calls,
    capacity,
    async extract(article: Article) {
      calls.push(article.id);
      await new Promise((r) => setTimeout(r, (n++ % 3) * 3));
      if (article.text.includes('CRASH')) throw new InputError(article.source ?? article.id, 'the pipeline refused it');
      return makeEvents(article);
    },
    close: async () => {},
  };
}

const input = (a: Article, idGiven = true): IngestInput => ({ label: a.source ?? a.id, article: { ...a, source: a.source ?? a.id }, idGiven });

describe('ingestArticles', () => {
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

  it('gives the outcome of a sequential run while extraction runs ahead: two versions of a URL, a twin text, one URL under two ids', async () => {
    const store = await memoryStore();
    const url = 'https://example.org/same';
    const v1 = makeArticle('v', { url, sentences: ['Gunmen killed 5 villagers near Kidal on 3 March 2023 (v1).'] });
    const v2 = makeArticle('v', { url, sentences: ['Gunmen killed 9 villagers near Kidal on 3 March 2023 (v2).', 'A second event in Gao (v2).'] });
    const twin = makeArticle('twin', { sentences: ['Gunmen killed 9 villagers near Kidal on 3 March 2023 (v2).', 'A second event in Gao (v2).'] });
    const first = makeArticle('first-id', { url: 'https://example.org/other', sentences: ['One line (first).'] });
    const second = makeArticle('second-id', { url: 'https://example.org/other', sentences: ['Another line (second).', 'And one more (second).'] });
    const back = { ...v1 }; // v1 again, after v2: replaces v2
    const ex = fakeExtractor(4);
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
});
