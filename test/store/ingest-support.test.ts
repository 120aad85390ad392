/**
 * What ingest needs from the store, on both back ends: `previewPut` (what putArticle would do,
 * without writing) and `putCanonicals` (canonical events with their members in one call, not stale,
 * a retired one brought back when its id comes again).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SitrepEvent } from '../../src/core/types.js';
import { contentHash, StoreInputError } from '../../src/store/index.js';
import { BACKENDS, makeArticle, makeEvents } from './backends.js';

const singleton = (e: SitrepEvent) => ({ id: e.event_id, event: e, members: [e.event_id] });

describe.each(BACKENDS)('ingest support on $name', (backend) => {
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown(), 60_000);
  afterEach(() => backend.cleanup(), 60_000);

  describe('previewPut', () => {
    it('says what putArticle then does: new, unchanged by id, by URL and by content hash, replaced', async () => {
      const store = await backend.open();
      const a = makeArticle('p-1', { url: 'https://example.org/p-1' });
      const hash = contentHash(a.text);
      expect(await store.previewPut(a)).toEqual({ status: 'new', id: 'p-1', matchedBy: null, contentHash: hash });
      expect((await store.putArticle(a, makeEvents(a))).status).toBe('new');

      // The same text with other line breaks and case, by id; by URL under another id; under another id and URL.
      const respaced = { ...a, text: a.text.toUpperCase().replace(/\n/g, '\n\n  ') };
      expect(await store.previewPut(respaced)).toMatchObject({ status: 'unchanged', id: 'p-1', matchedBy: 'id' });
      expect(await store.previewPut({ ...a, id: 'other' })).toMatchObject({ status: 'unchanged', id: 'p-1', matchedBy: 'url' });
      expect(await store.previewPut({ ...a, id: 'other', url: null })).toMatchObject({ status: 'unchanged', id: 'p-1', matchedBy: 'content_hash' });
      for (const same of [respaced, { ...a, id: 'other' }, { ...a, id: 'other', url: null }]) {
        expect((await store.putArticle(same, [])).status).toBe('unchanged');
      }

      // A new text under the same URL and another id: replaced, under the stored id.
      const changed = makeArticle('p-2', { url: 'https://example.org/p-1', sentences: ['Protesters marched in Gao on 9 March 2023.'] });
      const preview = await store.previewPut(changed);
      expect(preview).toMatchObject({ status: 'replaced', id: 'p-1', matchedBy: 'url' });
      const put = await store.putArticle({ ...changed, id: preview.id }, makeEvents({ ...changed, id: preview.id }));
      expect(put).toMatchObject({ status: 'replaced', id: 'p-1', version: 2 });
      expect(await store.counts()).toMatchObject({ articles: 1, article_versions: 1 });
    });

    it('refuses, as putArticle does, an article whose URL belongs to another article', async () => {
      const store = await backend.open();
      const a = makeArticle('q-1', { url: 'https://example.org/q-1' });
      const b = makeArticle('q-2', { url: 'https://example.org/q-2' });
      await store.putArticle(a, []);
      await store.putArticle(b, []);
      const clash = { ...b, url: a.url, text: 'Something else entirely happened in Kidal on 1 May 2023.' };
      await expect(store.previewPut(clash)).rejects.toThrow(StoreInputError);
      await expect(store.previewPut(clash)).rejects.toThrow(/article q-2: its url https:\/\/example\.org\/q-1 already belongs to article q-1/);
      await expect(store.putArticle(clash, [])).rejects.toThrow(/already belongs to article q-1/);
    });
  });

  describe('putCanonicals', () => {
    it('creates canonical events with their members in one call, not stale, listed', async () => {
      const store = await backend.open();
      const a = makeArticle('c-1');
      const events = makeEvents(a);
      await store.putArticle(a, events);
      expect(await store.putCanonicals(events.map(singleton))).toEqual(events.map((e) => e.event_id));
      for (const e of events) {
        const c = await store.getCanonical(e.event_id);
        expect(c).toMatchObject({ id: e.event_id, status: 'active', stale: false, members: [e.event_id] });
        expect(c!.event).toEqual(e);
        expect(await store.canonicalOf(e.event_id)).toBe(e.event_id);
      }
      const page = await store.listCanonical({}, null, 10);
      expect(page.items.map((c) => c.id).sort()).toEqual(events.map((e) => e.event_id).sort());
      expect((await store.listArticleEvents({ unmerged: true })).items).toEqual([]);
      // Again: the same state, nothing doubled.
      await store.putCanonicals(events.map(singleton));
      expect(await store.counts()).toMatchObject({ canonical_events: 2, canonical_members: 2 });
    });

    it('brings back a canonical event retired by a replacement when the same event id comes again', async () => {
      const store = await backend.open();
      const a = makeArticle('r-1');
      const events = makeEvents(a);
      await store.putArticle(a, events);
      await store.putCanonicals(events.map(singleton));
      // A new text whose second event keeps its id and whose first is new.
      const b = { ...a, text: `${a.text}\nA third line.` };
      const eventsB = makeEvents(b).slice(0, 2);
      eventsB[0] = { ...eventsB[0]!, event_id: 'r-1:1:new', notes: 'rewritten' };
      const put = await store.putArticle(b, eventsB);
      expect(put.status).toBe('replaced');
      expect(put.affectedCanonical.sort()).toEqual(events.map((e) => e.event_id).sort());
      expect((await store.getCanonical(events[1]!.event_id))!.status).toBe('retired');
      await store.putCanonicals(eventsB.map(singleton));
      const back = await store.getCanonical(events[1]!.event_id);
      expect(back).toMatchObject({ status: 'active', stale: false, members: [events[1]!.event_id] });
      expect((await store.getCanonical(events[0]!.event_id))!.status).toBe('retired');
      expect((await store.getCanonical('r-1:1:new'))!.event.notes).toBe('rewritten');
      const listed = (await store.listCanonical({}, null, 10)).items.map((c) => c.id).sort();
      expect(listed).toEqual(['r-1:1:new', events[1]!.event_id].sort());
    });

    it('refuses members that do not exist or belong to another canonical event, and writes nothing', async () => {
      const store = await backend.open();
      const a = makeArticle('m-1');
      const events = makeEvents(a);
      await store.putArticle(a, events);
      await store.putCanonicals([singleton(events[0]!)]);
      await expect(store.putCanonicals([{ id: 'x', event: events[1]!, members: ['nope'] }])).rejects.toThrow(/canonical event x: no article event nope/);
      await expect(store.putCanonicals([{ id: 'y', event: events[1]!, members: [events[0]!.event_id] }])).rejects.toThrow(
        new RegExp(`already in another canonical event: ${events[0]!.event_id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
      await expect(store.putCanonicals([{ event: events[1]! }])).rejects.toThrow(/needs an id/);
      await expect(store.putCanonicals([{ id: 'z', event: { ...events[1]!, event_date: '2023-02-30' } }])).rejects.toThrow(/event_date/);
      expect(await store.counts()).toMatchObject({ canonical_events: 1, canonical_members: 1 });
    });
  });
});
