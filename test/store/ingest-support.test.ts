/**
 * What ingest needs from the store, on both back ends: `previewPut` and `previewPuts` (what
 * putArticle would do, without writing, for one article or many in one read), `putCanonicals`
 * (canonical events with their members in one call, not stale, a retired one brought back when its
 * id comes again), and for group commit `unit` (one article and its merge step, whole or absent,
 * inside a batch's transaction) and `lockForPut` (a batch's locks in one statement).
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

  describe('previewPuts', () => {
    it('previews many articles in one read, each as previewPut does, a refusal in its place', async () => {
      const store = await backend.open();
      const a = makeArticle('pp-1', { url: 'https://example.org/pp-1' });
      const b = makeArticle('pp-2', { url: 'https://example.org/pp-2' });
      await store.putArticle(a, makeEvents(a));
      await store.putArticle(b, []);
      const list = [
        makeArticle('pp-new'),
        { ...a, text: a.text.toUpperCase() }, // unchanged, by id
        { ...a, id: 'pp-other', url: null }, // unchanged, by content hash
        makeArticle('pp-3', { url: 'https://example.org/pp-1', sentences: ['A new text in Gao on 1 May 2023.'] }), // replaced, by URL
        { ...b, url: a.url, text: 'Something else in Kidal on 2 May 2023.' }, // b's id with a's URL: refused
        makeArticle('pp-new'), // the same new article twice: each preview on its own
      ];
      const previews = await store.previewPuts(list);
      expect(previews).toHaveLength(list.length);
      for (let i = 0; i < list.length; i++) {
        const one = await store.previewPut(list[i]!).catch((err: unknown) => err);
        if (one instanceof StoreInputError) {
          expect(previews[i]).toBeInstanceOf(StoreInputError);
          expect((previews[i] as StoreInputError).message).toBe(one.message);
        } else expect(previews[i]).toEqual(one);
      }
      expect(previews.map((p) => (p instanceof StoreInputError ? 'refused' : `${p.status}:${p.id}`))).toEqual([
        'new:pp-new',
        'unchanged:pp-1',
        'unchanged:pp-1',
        'replaced:pp-1',
        'refused',
        'new:pp-new',
      ]);
      expect(await store.previewPuts([])).toEqual([]);
    });
  });

  describe('unit', () => {
    it('keeps a unit whole or not at all: a failed write rolls it back even when fn catches the error; the batch goes on', async () => {
      const store = await backend.open();
      const a = makeArticle('u-1');
      const b = makeArticle('u-2');
      const eventsA = makeEvents(a);
      const caught: string[] = [];
      await store.transaction(async (tx) => {
        await expect(
          tx.unit(async (u) => {
            await u.putArticle(a, eventsA);
            await u.putCanonicals(eventsA.map(singleton));
            try {
              await u.putCanonicals([{ id: 'bad', event: eventsA[0]!, members: ['no-such-event'] }]);
            } catch (err) {
              caught.push((err as Error).message); // swallowed: the unit must still be rolled back
            }
            return 'done';
          }),
        ).rejects.toThrow(/no article event no-such-event/);
        const put = await tx.unit(async (u) => {
          const r = await u.putArticle(b, makeEvents(b));
          await u.putCanonicals(makeEvents(b).map(singleton));
          return r;
        });
        expect(put.status).toBe('new');
      });
      expect(caught).toHaveLength(1);
      expect(await store.getArticle('u-1')).toBeNull();
      expect(await store.getArticle('u-2')).not.toBeNull();
      expect(await store.counts()).toMatchObject({ articles: 1, article_events: 2, canonical_events: 2, canonical_members: 2 });
    });

    it('lets a nested transaction inside a unit fail on its own, and runs in a transaction of its own outside one', async () => {
      const store = await backend.open();
      const a = makeArticle('n-1');
      const b = makeArticle('n-2');
      await store.transaction((tx) =>
        tx.unit(async (u) => {
          await u.putArticle(a, makeEvents(a));
          await u
            .transaction(async (t) => {
              await t.putArticle(b, makeEvents(b));
              throw new Error('inner fails');
            })
            .catch(() => undefined);
        }),
      );
      expect(await store.getArticle('n-1')).not.toBeNull();
      expect(await store.getArticle('n-2')).toBeNull();
      // Outside a transaction: its own; a throw keeps nothing.
      await expect(
        store.unit(async (u) => {
          await u.putArticle(b, makeEvents(b));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await store.getArticle('n-2')).toBeNull();
      expect((await store.unit((u) => u.putArticle(b, makeEvents(b)))).status).toBe('new');
      expect(await store.counts()).toMatchObject({ articles: 2, article_events: 4 });
    });
  });

  describe('lockForPut', () => {
    it('holds the locks of a batch until it commits: another writer of the same article waits, then finds it unchanged', async () => {
      const schema = backend.newSchema();
      const store = await backend.open({ schema });
      const a = makeArticle('l-1', { url: 'https://example.org/l-1' });
      if (backend.name === 'pglite') {
        // One connection, one process: nothing to lock, and the put works as ever.
        await store.transaction(async (tx) => {
          await tx.lockForPut([a]);
          expect((await tx.putArticle(a, makeEvents(a))).status).toBe('new');
        });
        expect(await store.counts()).toMatchObject({ articles: 1, article_events: 2 });
        return;
      }
      const other = await backend.open({ schema });
      let otherDone = false;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const lockedNow = new Promise<void>((r) => (locked = r));
      const batch = store.transaction(async (tx) => {
        await tx.lockForPut([a]);
        locked();
        await held;
        return tx.putArticle(a, makeEvents(a));
      });
      await lockedNow;
      // The same text under another id and the same URL: must wait for the batch, then be unchanged.
      const rival = other.putArticle({ ...a, id: 'l-rival' }, []).then((r) => ((otherDone = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(otherDone).toBe(false);
      release();
      expect((await batch).status).toBe('new');
      expect(await rival).toMatchObject({ status: 'unchanged', id: 'l-1', matchedBy: 'url' });
      expect(await store.counts()).toMatchObject({ articles: 1, article_events: 2 });
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

    it("writes each canonical event's text vector from its final members: new, rewritten, and joined to stored members", async () => {
      const schema = backend.newSchema();
      const store = await backend.open({ schema });
      const vectors = async () =>
        Object.fromEntries((await backend.sql(schema, 'select id, sources_search::text as v from canonical_events order by id')).map((r) => [r['id'], String(r['v'])]));
      const words = (v: string | undefined) => [...(v ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
      const a = makeArticle('v-1', { sentences: ['Gunmen attacked Diallassagou on 3 March 2023, killing 12 villagers.'] });
      const b = makeArticle('v-2', { sentences: ['Soldiers repelled an assault near Boni on 4 March 2023.'] });
      const [ea] = makeEvents(a);
      const [eb] = makeEvents(b);
      await store.putArticle(a, [ea!]);
      await store.putArticle(b, [eb!]);
      await store.putCanonicals([singleton(ea!)]);
      expect(words((await vectors())[ea!.event_id])).toEqual(expect.arrayContaining(['diallassagou', 'gunmen', 'villagers']));
      expect(words((await vectors())[ea!.event_id])).not.toContain('boni');
      // The same id again with a second member: the stored member's text and the new one's.
      await store.putCanonicals([{ id: ea!.event_id, event: ea!, members: [eb!.event_id] }]);
      const both = words((await vectors())[ea!.event_id]);
      expect(both).toEqual(expect.arrayContaining(['diallassagou', 'boni', 'soldiers']));
      // What the refresh computes from the memberships (the trigger's way) is what was written.
      const recomputed = await backend.sql(
        schema,
        `select (select sitrep_tsvector_agg(a.search order by a.id) from articles a
                  where a.id in (select e.article_id from canonical_members m join article_events e on e.event_id = m.event_id
                                  where m.canonical_id = c.id))::text as v from canonical_events c where c.id = $1`,
        [ea!.event_id],
      );
      expect(String(recomputed[0]!['v'])).toBe((await vectors())[ea!.event_id]);
      // A membership written another way (addMembers) still refreshes the vector.
      const c = makeArticle('v-3', { sentences: ['A convoy hit a mine outside Douentza on 5 March 2023.'] });
      const [ec] = makeEvents(c);
      await store.putArticle(c, [ec!]);
      await store.addMembers(ea!.event_id, [ec!.event_id]);
      expect(words((await vectors())[ea!.event_id])).toEqual(expect.arrayContaining(['boni', 'douentza', 'convoy']));
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

  describe('refreshStatistics', () => {
    it('analyzes the growing tables once as many rows were written as they held, and not inside a transaction', async () => {
      const schema = backend.newSchema();
      const store = await backend.open({ schema });
      const seen = async (): Promise<number> => Number((await backend.sql(schema, `select reltuples::float8 as n from pg_class where oid = 'article_events'::regclass`))[0]!['n']);
      const put = async (from: number, to: number): Promise<void> =>
        store.transaction(async (tx) => {
          for (let i = from; i < to; i++) {
            const a = makeArticle(`st-${i}`);
            await tx.putArticle(a, makeEvents(a));
          }
        });
      // A new store: never analyzed (reltuples -1), and too few rows written for a refresh.
      await put(0, 100);
      expect(await seen()).toBe(-1);
      expect(await store.refreshStatistics()).toBe(false);
      // 500 rows (an article and its two events are three): the first refresh; the planner now sees the rows.
      await put(100, 170);
      expect(await store.transaction((tx) => tx.refreshStatistics())).toBe(false);
      expect(await store.refreshStatistics()).toBe(true);
      expect(await seen()).toBe(340);
      // Due again once as many rows as the tables held (510) were written since.
      await put(170, 300);
      expect(await store.refreshStatistics()).toBe(false);
      await put(300, 345);
      expect(await store.refreshStatistics()).toBe(true);
      expect(await seen()).toBe(690);
      // An unchanged article writes nothing and counts for nothing.
      const again = makeArticle('st-0');
      for (let i = 0; i < 600; i++) expect((await store.putArticle(again, makeEvents(again))).status).toBe('unchanged');
      expect(await store.refreshStatistics()).toBe(false);
      // With its statistics the planner finds an article by its content hash through the index.
      const plan = (await backend.sql(schema, `explain select id from articles where content_hash = 'x'`)).map((r) => String(Object.values(r)[0])).join('\n');
      expect(plan).toMatch(/Index/);
    }, 60_000);
  });
});
