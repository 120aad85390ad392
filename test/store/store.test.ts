/**
 * The store, run against both back ends (PGlite and PostgreSQL): migrations, articles and their
 * events, idempotence, replacement with history, transactions, bad input, canonical events and
 * merge decisions, filters and cursor pagination.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractResult, SitrepEvent } from '../../src/core/types.js';
import { contentHash, loadMigrations, StoreInputError } from '../../src/store/index.js';
import type { Store, StoreCounts } from '../../src/store/index.js';
import { BACKENDS, makeArticle, makeEvents } from './backends.js';

const mali = JSON.parse(readFileSync(new URL('./fixtures/mali-2023-01-ambush.json', import.meta.url), 'utf8')) as ExtractResult;

/** Every migration file, as schema_migrations records them (001_init.sql, 002_api.sql, ...). */
const MIGRATIONS = loadMigrations().map((m) => ({ version: m.version, name: m.name }));
const VERSIONS = MIGRATIONS.map((m) => m.version);

const ZERO: StoreCounts = {
  sources: 0,
  articles: 0,
  article_versions: 0,
  article_events: 0,
  claims: 0,
  evidence: 0,
  canonical_events: 0,
  canonical_members: 0,
  merge_decisions: 0,
};

describe.each(BACKENDS)('store on $name', (backend) => {
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown(), 60_000);
  afterEach(() => backend.cleanup(), 60_000);

  describe('migrations', () => {
    it('creates every table on open and records the version once', async () => {
      const schema = backend.newSchema();
      const store = await backend.open({ schema });
      expect(await store.counts()).toEqual(ZERO);
      expect(await backend.sql(schema, 'select version, name from schema_migrations order by version')).toEqual(MIGRATIONS);
    });

    it('are idempotent: migrating again, or opening again, applies nothing', async () => {
      const schema = backend.newSchema();
      const first = await backend.open({ schema, migrate: false });
      expect((await first.migrate()).applied).toEqual(VERSIONS);
      expect((await first.migrate()).applied).toEqual([]);
      const again = await backend.open({ schema });
      expect((await again.migrate()).applied).toEqual([]);
      expect(await backend.sql(schema, 'select count(*)::int as n from schema_migrations')).toEqual([{ n: VERSIONS.length }]);
    });

    it('are safe to run concurrently: one migrator applies, the others wait and find nothing to do', async () => {
      const schema = backend.newSchema();
      // On PostgreSQL these are separate pools (separate sessions, as from separate processes).
      const stores = [];
      for (let i = 0; i < 4; i++) stores.push(await backend.open({ schema, migrate: false }));
      const results = await Promise.all(stores.map((s) => s.migrate()));
      expect(results.map((r) => r.applied).sort()).toEqual([[], [], [], VERSIONS]);
      expect(await backend.sql(schema, 'select version from schema_migrations order by version')).toEqual(VERSIONS.map((version) => ({ version })));
      expect(await stores[0]!.counts()).toEqual(ZERO);
    }, 30_000);

    it('refuse a database whose applied migration was edited since', async () => {
      const schema = backend.newSchema();
      await backend.open({ schema });
      await backend.sql(schema, `update schema_migrations set checksum = 'edited' where version = 1`);
      await expect(backend.open({ schema })).rejects.toThrow(/001_init\.sql was changed after it was applied/);
    });

    it('refuse a database migrated by a newer sitrep', async () => {
      const schema = backend.newSchema();
      await backend.open({ schema });
      await backend.sql(schema, `insert into schema_migrations (version, name, checksum) values (999, '999_future.sql', 'x')`);
      await expect(backend.open({ schema })).rejects.toThrow(/migration 999 .*newer sitrep/);
    });
  });

  describe('articles', () => {
    it('stores an article with its events and reads them back exactly (the Mali fixture)', async () => {
      const store = await backend.open();
      const r = await store.putArticle(mali.article, mali.events);
      expect(r).toMatchObject({ status: 'new', id: 'mali-2023-01-ambush', matchedBy: null, version: 1, events: mali.events.length });
      expect(r.contentHash).toBe(contentHash(mali.article.text));
      const a = await store.getArticle(mali.article.id);
      expect(a).toMatchObject({ ...mali.article, content_hash: r.contentHash, version: 1, site: 'example.org' });
      expect(Date.parse(a!.created_at)).toBeGreaterThan(Date.now() - 60_000);
      expect(await store.articleEvents(mali.article.id)).toEqual(mali.events);
      const claims = await store.articleClaims(mali.article.id);
      expect(claims.map(({ article_id: _a, event_id: _e, ...c }) => c)).toEqual(mali.events.flatMap((e) => e.claims));
      expect(claims.every((c) => mali.article.text.slice(c.start, c.end) === c.text)).toBe(true);
      expect(await store.getArticleByUrl(mali.article.url!)).toEqual(a);
      const counts = await store.counts();
      expect(counts).toMatchObject({ sources: 1, articles: 1, article_events: mali.events.length });
      expect(counts.claims).toBe(mali.events.reduce((n, e) => n + e.claims.length, 0));
      expect(counts.evidence).toBe(mali.events.reduce((n, e) => n + e.evidence.length, 0));
    });

    it('adds nothing when the same article is stored twice (by id, and by URL under another id)', async () => {
      const store = await backend.open();
      const article = makeArticle('a1', { url: 'https://www.example.org/a1' });
      const events = makeEvents(article);
      expect((await store.putArticle(article, events)).status).toBe('new');
      const before = await store.counts();
      const stored = await store.getArticle('a1');
      expect(await store.putArticle(article, events)).toMatchObject({ status: 'unchanged', id: 'a1', matchedBy: 'id', events: 0 });
      const renamed = { ...article, id: 'other-id', text: `  ${article.text.toUpperCase()}\n\n` };
      expect(await store.putArticle(renamed, makeEvents(renamed))).toMatchObject({ status: 'unchanged', id: 'a1', matchedBy: 'url' });
      expect(await store.counts()).toEqual(before);
      expect(await store.getArticle('a1')).toEqual(stored);
      expect(await store.getArticle('other-id')).toBeNull();
    });

    it('finds the same content under a new id by its content hash and stores nothing new', async () => {
      const store = await backend.open();
      const original = makeArticle('wire-1', { url: 'https://agency.example/story' });
      await store.putArticle(original, makeEvents(original));
      const before = await store.counts();
      // Same words, other case and line breaks, another id and another site.
      const copy = makeArticle('copy-7', { url: 'https://reprint.example/x', text: original.text.replace(/\n/g, '\r\n\t ').toLowerCase() });
      const r = await store.putArticle(copy, makeEvents(copy));
      expect(r).toMatchObject({ status: 'unchanged', id: 'wire-1', matchedBy: 'content_hash', events: 0 });
      expect(r.contentHash).toBe(contentHash(original.text));
      expect((await store.findByContentHash(contentHash(copy.text))).map((a) => a.id)).toEqual(['wire-1']);
      expect(await store.findByContentHash(contentHash('some other text'))).toEqual([]);
      expect(await store.getArticle('copy-7')).toBeNull();
      expect(await store.counts()).toEqual(before);
    });

    it('replaces the events of a changed article and keeps the old text and events as a version', async () => {
      const store = await backend.open();
      const v1 = makeArticle('a2', { url: 'https://example.org/a2' });
      const e1 = makeEvents(v1);
      await store.putArticle(v1, e1);
      const v2 = makeArticle('a2', {
        url: 'https://example.org/a2',
        title: 'Updated report',
        sentences: [`An airstrike killed 9 fighters near Menaka on 5 March 2023 (a2).`],
      });
      const e2 = makeEvents(v2, [{ event_id: 'a2:1:new', event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike' }]);
      const r = await store.putArticle(v2, e2);
      expect(r).toMatchObject({ status: 'replaced', id: 'a2', matchedBy: 'id', version: 2, events: 1, affectedCanonical: [] });
      expect(await store.articleEvents('a2')).toEqual(e2);
      expect((await store.articleClaims('a2')).map((c) => c.event_id)).toEqual(['a2:1:new']);
      expect(await store.getArticle('a2')).toMatchObject({ text: v2.text, title: 'Updated report', version: 2, content_hash: contentHash(v2.text) });
      const versions = await store.articleVersions('a2');
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({ version: 1, text: v1.text, title: v1.title, content_hash: contentHash(v1.text), events: e1 });
      expect(await store.counts()).toMatchObject({ articles: 1, article_versions: 1, article_events: 1, claims: 1, evidence: 1 });
      // The old text again is a change again (history grows), the new text again is nothing.
      expect((await store.putArticle(v2, e2)).status).toBe('unchanged');
      expect(await store.putArticle(v1, e1)).toMatchObject({ status: 'replaced', version: 3 });
      expect((await store.articleVersions('a2')).map((v) => v.content_hash)).toEqual([contentHash(v1.text), contentHash(v2.text)]);
    });

    it('finds a changed article by its URL under another id and keeps the stored id', async () => {
      const store = await backend.open();
      const v1 = makeArticle('feed-1', { url: 'https://example.org/live' });
      await store.putArticle(v1, makeEvents(v1));
      const v2 = makeArticle('feed-2', { url: 'https://example.org/live', sentences: ['Protesters marched in Bamako on 6 March 2023, 0 hurt.'] });
      const r = await store.putArticle(v2, makeEvents(v2));
      expect(r).toMatchObject({ status: 'replaced', id: 'feed-1', matchedBy: 'url', version: 2 });
      expect(await store.getArticle('feed-2')).toBeNull();
      expect((await store.articleEvents('feed-1')).map((e) => e.event_id)).toEqual(['feed-2:1:x']);
    });

    it('refuses an article whose URL belongs to another article', async () => {
      const store = await backend.open();
      const a = makeArticle('x1', { url: 'https://example.org/x1' });
      const b = makeArticle('x2', { url: 'https://example.org/x2' });
      await store.putArticle(a, makeEvents(a));
      await store.putArticle(b, makeEvents(b));
      const before = await store.counts();
      const clash = { ...makeArticle('x1', { url: 'https://example.org/x2', sentences: ['Something else entirely happened, 3 dead.'] }) };
      await expect(store.putArticle(clash, makeEvents(clash))).rejects.toThrow('article x1: its url https://example.org/x2 already belongs to article x2');
      expect(await store.counts()).toEqual(before);
    });
  });

  describe('transactions', () => {
    it('keep nothing of a transaction that fails', async () => {
      const store = await backend.open();
      const a = makeArticle('t1');
      const b = makeArticle('t2', { url: 'https://example.org/t2' });
      await expect(
        store.transaction(async (tx) => {
          await tx.putArticle(a, makeEvents(a));
          await tx.putArticle(b, makeEvents(b));
          expect((await tx.counts()).articles).toBe(2); // visible inside
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.counts()).toEqual(ZERO);
      expect(await store.getArticle('t1')).toBeNull();
    });

    it('keep nothing of a write that fails half-way (an event id that another article has)', async () => {
      const store = await backend.open();
      const a = makeArticle('w1');
      await store.putArticle(a, makeEvents(a));
      const before = await store.counts();
      const b = makeArticle('w2');
      const events = makeEvents(b, [{}, { event_id: 'w1:1:x' }]);
      await expect(store.putArticle(b, events)).rejects.toThrow('article w2: event_id w1:1:x is already stored for article w1');
      expect(await store.counts()).toEqual(before);
      expect(await store.getArticle('w2')).toBeNull();
    });

    it('keep nothing of an article whose last statement fails in the database, alone or inside a transaction', async () => {
      const schema = backend.newSchema();
      const store = await backend.open({ schema });
      // Fault injection: the evidence insert (the last write of putArticle) fails for field "boom".
      await backend.sql(
        schema,
        `create function fail_boom() returns trigger language plpgsql as $$
         begin if new.field = 'boom' then raise exception 'injected failure'; end if; return new; end $$`,
      );
      await backend.sql(schema, `create trigger fail_boom before insert on evidence for each row execute function fail_boom()`);
      const ok = makeArticle('f0');
      await store.putArticle(ok, makeEvents(ok));
      const before = await store.counts();
      const bad = makeArticle('f1', { url: 'https://example.org/f1' });
      const boom = makeEvents(bad, [{}, { evidence: [{ field: 'boom', start: 0, end: 1 }] }]);
      await expect(store.putArticle(bad, boom)).rejects.toThrow('article f1: could not be stored: injected failure');
      expect(await store.counts()).toEqual(before);

      const later = makeArticle('f2');
      await store.transaction(async (tx) => {
        await expect(tx.putArticle(bad, boom)).rejects.toThrow('injected failure');
        await tx.putArticle(later, makeEvents(later));
      });
      expect(await store.getArticle('f1')).toBeNull();
      expect(await store.getArticle('f2')).not.toBeNull();
      expect(await store.counts()).toMatchObject({ articles: 2, article_events: 4, sources: 0 });

      // A changed article whose new events fail keeps its old text and events.
      const v2 = makeArticle('f0', { sentences: ['New text: 3 killed.'] });
      await expect(store.putArticle(v2, makeEvents(v2, [{ evidence: [{ field: 'boom', start: 0, end: 1 }] }]))).rejects.toThrow('injected failure');
      expect((await store.getArticle('f0'))?.text).toBe(ok.text);
      expect(await store.articleEvents('f0')).toEqual(makeEvents(ok));
      expect(await store.articleVersions('f0')).toEqual([]);
    });

    it('commit together, and a refused article inside does not abort the others', async () => {
      const store = await backend.open();
      const [a, b, c] = ['k1', 'k2', 'k3'].map((id) => makeArticle(id));
      const errors: string[] = [];
      await store.transaction(async (tx) => {
        await tx.putArticle(a!, makeEvents(a!));
        await tx.putArticle(b!, makeEvents(b!, [{ event_id: 'k1:1:x' }])).catch((e: Error) => errors.push(e.message));
        // The outer store joins the open transaction instead of waiting for it.
        await store.putArticle(c!, makeEvents(c!));
      });
      expect(errors).toEqual(['article k2: event_id k1:1:x is already stored for article k1']);
      expect(await store.counts()).toMatchObject({ articles: 2, article_events: 4 });
      expect(await store.getArticle('k2')).toBeNull();
    });

    it('roll back a nested transaction alone', async () => {
      const store = await backend.open();
      const [a, b] = ['n1', 'n2'].map((id) => makeArticle(id));
      await store.transaction(async (tx) => {
        await tx.putArticle(a!, makeEvents(a!));
        await tx.transaction(async (inner) => {
          await inner.putArticle(b!, makeEvents(b!));
          throw new Error('inner');
        }).catch(() => {});
      });
      expect(await store.getArticle('n1')).not.toBeNull();
      expect(await store.getArticle('n2')).toBeNull();
    });
  });

  describe('bad input', () => {
    it('refuses an article with no text, naming it, and stores nothing', async () => {
      const store = await backend.open();
      const a = { ...makeArticle('empty-1'), text: ' \n ' };
      const err = await store.putArticle(a, []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreInputError);
      expect((err as StoreInputError).message).toBe('article empty-1: has no text');
      expect((err as StoreInputError).articleId).toBe('empty-1');
      expect(await store.counts()).toEqual(ZERO);
    });

    it('refuses an event with a malformed date, naming the article, the event and the value, and stores nothing of the article', async () => {
      const store = await backend.open();
      const a = makeArticle('bad-date');
      const events = makeEvents(a, [{}, { event_date: '2023-02-30' }]);
      await expect(store.putArticle(a, events)).rejects.toThrow(
        'article bad-date: event 2 (bad-date:2:x): event_date "2023-02-30" is not a valid date (YYYY-MM-DD)',
      );
      expect(await store.counts()).toEqual(ZERO);
      expect(await store.getArticle('bad-date')).toBeNull();
    });

    it.each([
      ['an article without an id', { id: '' }, [], 'article (no id): field "id" must be a non-empty string'],
      ['a published date that is no date', { published: '12/01/2023' }, [], 'article b: field published "12/01/2023" is not a valid date (YYYY-MM-DD)'],
      ['an event without event_type', {}, [{ event_type: undefined }], 'article b: event 1 (b:1:x): event_type must be a string, got nothing'],
      ['negative fatalities', {}, [{ fatalities: -1 }], 'article b: event 1 (b:1:x): fatalities must be an integer ≥ 0, got -1'],
      ['a latitude out of range', {}, [{ latitude: 123 }], 'article b: event 1 (b:1:x): latitude must be a number from -90 to 90 or null, got 123'],
      ['a claim outside the text', {}, [{ claims: [{ kind: 'killed', count: 1, count_high: null, qualifier: 'exact', claimant: null, victim: null, text: 'x', start: 5, end: 5000 }] }], 'article b: event 1 (b:1:x): claim 1 span 5–5000 is outside the article text'],
      ['a claim whose text is not the span', {}, [{ claims: [{ kind: 'killed', count: 1, count_high: null, qualifier: 'exact', claimant: null, victim: null, text: 'nine', start: 0, end: 6 }] }], 'article b: event 1 (b:1:x): claim 1 text "nine" is not the article text at 0–6 ("Gunmen")'],
      ['the same event twice', {}, [{}, { event_id: 'b:1:x' }], 'article b: event 2: event_id b:1:x appears twice'],
    ] as Array<[string, object, Array<Partial<SitrepEvent>>, string]>)('refuses %s', async (_what, articlePatch, eventPatches, message) => {
      const store = await backend.open();
      const a = { ...makeArticle('b'), ...articlePatch };
      const events = makeEvents(makeArticle('b'), eventPatches);
      await expect(store.putArticle(a, events)).rejects.toThrow(message);
      expect(await store.counts()).toEqual(ZERO);
    });

    it('keeps the stored version when a replacement is refused', async () => {
      const store = await backend.open();
      const v1 = makeArticle('keep');
      await store.putArticle(v1, makeEvents(v1));
      const before = await store.counts();
      const v2 = makeArticle('keep', { sentences: ['Changed text: 4 killed in Mopti.'] });
      await expect(store.putArticle(v2, makeEvents(v2, [{ event_date: '2023-13-01' }]))).rejects.toThrow(/article keep: event 1 .*event_date "2023-13-01"/);
      expect(await store.counts()).toEqual(before);
      expect((await store.getArticle('keep'))?.text).toBe(v1.text);
    });
  });

  describe('canonical events and merge decisions', () => {
    async function twoReports(store: Store) {
      const a = makeArticle('r1', { url: 'https://one.example/r1' });
      const b = makeArticle('r2', { url: 'https://two.example/r2', sentences: ['Gunmen killed 6 villagers near Kidal on 3 March 2023, residents said.'] });
      const ea = makeEvents(a);
      const eb = makeEvents(b);
      await store.putArticle(a, ea);
      await store.putArticle(b, eb);
      return { a, b, ea, eb };
    }

    it('merges article events into a canonical event, with decisions that can be undone and stay undone', async () => {
      const schema = backend.newSchema();
      const store = await backend.open({ schema });
      const { ea, eb } = await twoReports(store);
      const [x, y] = [ea[0]!.event_id, eb[0]!.event_id];
      const pair = await store.recordMergeDecision({ kind: 'pair', events: [y, x], score: 0.91, reasons: [{ feature: 'same_day', value: 1 }, { feature: 'distance_km', value: 0 }] });
      expect(pair).toMatchObject({ kind: 'pair', events: [x, y].sort(), score: 0.91, undone: false, decided_by: 'merger', canonical_id: null });
      const c = await store.createCanonical({ id: 'c1', event: { ...ea[0]!, fatalities: 5 }, members: [x] });
      expect(c).toMatchObject({ id: 'c1', status: 'active', stale: true, members: [x] });
      expect(c.event.event_id).toBe('c1');
      expect(await store.addMembers('c1', [y, x], { decisionId: pair.id })).toBe(1);
      expect(await store.addMembers('c1', [y])).toBe(0); // idempotent
      expect((await store.getCanonical('c1'))?.members).toEqual([x, y].sort());
      expect(await store.canonicalOf(y)).toBe('c1');
      // The text of every member's article is searchable (sources_search): a word of each report's text.
      const found = async (text: string) =>
        (await backend.sql(schema, `select id from canonical_events where sources_search @@ plainto_tsquery('simple', $1) order by id`, [text])).map((r) => r.id);
      expect(await found('residents')).toEqual(['c1']);
      expect(await found('army')).toEqual(['c1']);

      // An event is in at most one canonical event.
      await store.createCanonical({ id: 'c2', event: eb[0]! });
      await expect(store.addMembers('c2', [y])).rejects.toThrow(`canonical event c2: article event already in another canonical event: ${y} (in c1)`);
      await expect(store.addMembers('c2', ['nope'])).rejects.toThrow('canonical event c2: no article event nope');

      // Undo: the decision is kept, marked, and its membership goes.
      const undo = await store.undoMergeDecision(pair.id, { by: 'analyst', reason: 'different villages' });
      expect(undo.removedMembers).toEqual([['c1', y]]);
      expect(undo.decision).toMatchObject({ undone: true, undone_by: 'analyst', undo_reason: 'different villages' });
      expect(undo.decision.undone_at).not.toBeNull();
      expect((await store.getCanonical('c1'))?.members).toEqual([x]);
      expect(await found('residents')).toEqual([]); // the undone report's text goes with it
      expect(await found('army')).toEqual(['c1']);
      expect((await store.undoMergeDecision(pair.id)).removedMembers).toEqual([]); // again: nothing
      expect((await store.mergeDecisions({ eventIds: [y], undone: true })).map((d) => d.id)).toEqual([pair.id]);
      expect(await store.mergeDecisions({ eventIds: [y], undone: false })).toEqual([]);
      await expect(store.undoMergeDecision(987654)).rejects.toThrow('merge decision 987654: does not exist');

      // The last member leaving retires the canonical event; it is no longer listed.
      expect(await store.removeMember('c1', x)).toBe(true);
      expect(await store.removeMember('c1', x)).toBe(false);
      expect((await store.getCanonical('c1'))?.status).toBe('retired');
      expect((await store.listCanonical()).items.map((e) => e.id)).toEqual(['c2']);
    });

    it('marks canonical events stale when a member article is replaced; decisions outlive the events', async () => {
      const store = await backend.open();
      const { a, ea, eb } = await twoReports(store);
      // A member decision names an existing canonical event.
      await expect(store.recordMergeDecision({ kind: 'member', eventId: ea[0]!.event_id, canonicalId: 'c9', score: 0.7, reasons: {} })).rejects.toThrow(
        'merge decision: canonical event c9 does not exist',
      );
      await store.createCanonical({ id: 'c9', event: eb[0]!, members: [eb[0]!.event_id] });
      const member = await store.recordMergeDecision({ kind: 'member', eventId: ea[0]!.event_id, canonicalId: 'c9', score: 0.7, reasons: { rule: 'test' } });
      await store.addMembers('c9', [ea[0]!.event_id], { decisionId: member.id });
      await store.updateCanonical('c9', { ...eb[0]!, fatalities: 6 });
      expect((await store.getCanonical('c9'))?.stale).toBe(false);

      const changed = makeArticle(a.id, { url: a.url, sentences: ['Gunmen killed 7 villagers near Kidal on 3 March 2023, officials said.'] });
      const r = await store.putArticle(changed, makeEvents(changed));
      expect(r).toMatchObject({ status: 'replaced', affectedCanonical: ['c9'] });
      const c9 = await store.getCanonical('c9');
      expect(c9).toMatchObject({ stale: true, status: 'active', members: [eb[0]!.event_id] });
      expect(c9?.event.fatalities).toBe(6);
      expect((await store.mergeDecisions({ canonicalId: 'c9' })).map((x) => x.id)).toEqual([member.id]);
    });

    it('refuses bad decisions and bad canonical events', async () => {
      const store = await backend.open();
      const { ea } = await twoReports(store);
      const e = ea[0]!;
      await expect(store.recordMergeDecision({ kind: 'pair', events: [e.event_id, e.event_id], score: 1, reasons: [] })).rejects.toThrow('two different events');
      await expect(store.recordMergeDecision({ kind: 'pair', events: ['p', 'q'], score: Number.NaN, reasons: [] })).rejects.toThrow('score must be a finite number');
      await expect(store.createCanonical({ id: 'bad', event: { ...e, event_date: '2023-3-1' } })).rejects.toThrow('canonical event bad: event_date "2023-3-1" is not a valid date');
      await store.createCanonical({ id: 'dup', event: e });
      await expect(store.createCanonical({ id: 'dup', event: e })).rejects.toThrow('canonical event dup: already exists');
      await expect(store.updateCanonical('missing', e)).rejects.toThrow('canonical event missing: does not exist');
      expect((await store.counts()).canonical_events).toBe(1);
    });
  });

  describe('listing with filters and cursors', () => {
    const COUNTRIES = [
      ['Mali', 'MLI', 'Gao', 16.27, -0.04],
      ['Niger', 'NER', 'Tillaberi', 14.21, 1.45],
      ['Burkina Faso', 'BFA', 'Sahel', 14.04, -0.03],
      ['Fiji', 'FJI', 'Northern', -16.5, 179.6],
    ] as const;

    async function seed(store: Store): Promise<SitrepEvent[]> {
      const merged: SitrepEvent[] = [];
      await store.transaction(async (tx) => {
        for (let i = 0; i < 41; i++) {
          const [country, iso3, admin1, lat, lon] = COUNTRIES[i % 4]!;
          const a = makeArticle(`L${i}`, { sentences: [`Clashes left ${i} dead in ${admin1} (${i}).`] });
          const day = i % 9 === 0 ? null : `2023-0${1 + (i % 6)}-${String(1 + (i % 27)).padStart(2, '0')}`;
          const [e] = makeEvents(a, [{
            event_date: day,
            country,
            iso3,
            admin1,
            location: `Place ${i}`,
            latitude: lat,
            longitude: lon,
            fatalities: i,
            event_type: i % 3 ? 'Battles' : 'Riots',
            actor1: i % 5 ? 'Military Forces of Mali' : 'Rioters (Niger)',
            assoc_actor_2: i % 7 ? null : 'Dozo Militia; Wagner Group',
            notes: i % 10 ? `Clashes in ${admin1}.` : `Ambush on a convoy near ${admin1}.`,
          }]);
          await tx.putArticle(a, [e!]);
          await tx.createCanonical({ id: `ce-${String(i).padStart(2, '0')}`, event: e!, members: [e!.event_id] });
          merged.push({ ...e!, event_id: `ce-${String(i).padStart(2, '0')}` });
        }
      });
      return merged;
    }

    /** The listing order: newest first, undated last, then id descending. */
    const order = (es: SitrepEvent[]) =>
      [...es].sort((x, y) => (y.event_date ?? '0001-01-01').localeCompare(x.event_date ?? '0001-01-01') || (x.event_id < y.event_id ? 1 : -1)).map((e) => e.event_id);

    async function all(store: Store, filter: Parameters<Store['listCanonical']>[0], limit: number): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const r = await store.listCanonical(filter, cursor, limit);
        expect(r.items.length).toBeLessThanOrEqual(limit);
        ids.push(...r.items.map((e) => e.id));
        cursor = r.next;
        if (!cursor) break;
      }
      return ids;
    }

    it('pages through every event once, in order, whatever the page size', async () => {
      const store = await backend.open();
      const merged = await seed(store);
      const expected = order(merged);
      expect(await all(store, {}, 1000)).toEqual(expected);
      expect(await all(store, {}, 7)).toEqual(expected);
      expect(await all(store, {}, 1)).toEqual(expected);
      const last = await store.listCanonical({}, null, 41);
      expect(last.next).toBeNull();
      await expect(store.listCanonical({}, 'not-a-cursor')).rejects.toThrow('invalid cursor');
      await expect(store.listCanonical({}, null, 0)).rejects.toThrow('limit must be an integer from 1 to 1000');
    }, 30_000);

    it('filters by date range, country, admin1, event type, actor, text, bbox and fatalities', async () => {
      const store = await backend.open();
      const merged = await seed(store);
      const check = async (filter: Parameters<Store['listCanonical']>[0], keep: (e: SitrepEvent) => boolean) => {
        const expected = order(merged.filter(keep));
        expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
        expect(expected.length, JSON.stringify(filter)).toBeLessThan(merged.length);
        expect(await all(store, filter, 5), JSON.stringify(filter)).toEqual(expected);
      };
      await check({ dateFrom: '2023-02-01', dateTo: '2023-03-31' }, (e) => !!e.event_date && e.event_date >= '2023-02-01' && e.event_date <= '2023-03-31');
      await check({ country: 'Niger' }, (e) => e.country === 'Niger');
      await check({ country: ['MLI', 'Burkina Faso'] }, (e) => e.iso3 === 'MLI' || e.iso3 === 'BFA');
      await check({ admin1: 'Sahel' }, (e) => e.admin1 === 'Sahel');
      await check({ eventType: 'Riots' }, (e) => e.event_type === 'Riots');
      await check({ actor: 'Rioters (Niger)' }, (e) => e.actor1 === 'Rioters (Niger)');
      await check({ actor: 'Wagner Group' }, (e) => (e.assoc_actor_2 ?? '').includes('Wagner Group'));
      await check({ text: 'ambush convoy' }, (e) => e.notes.includes('Ambush'));
      await check({ text: 'clashes -gao' }, (e) => e.notes.startsWith('Clashes') && e.admin1 !== 'Gao');
      await check({ bbox: [-1, 14, 2, 15] }, (e) => e.iso3 === 'NER' || e.iso3 === 'BFA');
      await check({ bbox: [179, -17, -179, -16] }, (e) => e.iso3 === 'FJI'); // across the antimeridian
      await check({ minFatalities: 30 }, (e) => e.fatalities >= 30);
      await check({ country: 'MLI', minFatalities: 10, dateFrom: '2023-01-01' }, (e) => e.iso3 === 'MLI' && e.fatalities >= 10 && !!e.event_date);
      await expect(store.listCanonical({ dateFrom: '2023-02-30' })).rejects.toThrow('event filter: dateFrom "2023-02-30" is not a valid date');
    }, 30_000);

    it('lists article events for the merger, merged or not', async () => {
      const store = await backend.open();
      const a = makeArticle('m1');
      const b = makeArticle('m2', { sentences: ['Gunmen killed 2 herders in Mopti on 2 March 2023.'] });
      await store.putArticle(a, makeEvents(a));
      await store.putArticle(b, makeEvents(b));
      await store.createCanonical({ id: 'cm', event: makeEvents(a)[0]!, members: ['m1:1:x'] });
      const unmerged = await store.listArticleEvents({ unmerged: true });
      expect(unmerged.items.map((e) => e.event.event_id).sort()).toEqual(['m1:2:x', 'm2:1:x']);
      expect((await store.listArticleEvents({ unmerged: false })).items).toEqual([
        { article_id: 'm1', canonical_id: 'cm', event: makeEvents(a)[0] },
      ]);
      expect((await store.listArticleEvents({ articleId: 'm2' })).items.map((e) => e.event.event_id)).toEqual(['m2:1:x']);
      expect((await store.listArticleEvents({ admin1: 'Gao' })).items.map((e) => e.event.event_id)).toEqual(['m1:2:x']);
    });
  });

  it('stores 1,000 articles with 2 events each (timed)', async () => {
    const store = await backend.open();
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      const a = makeArticle(`bulk-${i}`, { url: `https://example.org/bulk/${i}` });
      await store.putArticle(a, makeEvents(a));
    }
    const ms = performance.now() - t0;
    const again = performance.now();
    const a = makeArticle('bulk-7', { url: 'https://example.org/bulk/7' });
    expect((await store.putArticle(a, makeEvents(a))).status).toBe('unchanged');
    const unchangedMs = performance.now() - again;
    console.log(`[store ${backend.name}] 1,000 articles × 2 events: ${ms.toFixed(0)} ms (${(ms / 1000).toFixed(2)} ms/article); one unchanged re-put ${unchangedMs.toFixed(1)} ms`);
    expect(await store.counts()).toMatchObject({ articles: 1000, article_events: 2000, claims: 2000, evidence: 2000, sources: 1 });
  }, 120_000);
});
