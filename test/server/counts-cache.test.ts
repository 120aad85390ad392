/**
 * What keeps GET /events and GET /facets fast over many events, on PGlite and PostgreSQL, through a
 * real server: `total` counted up to TOTAL_CAP (`total_is_lower_bound` beyond, `total=exact` for
 * the whole count), the actor filter with its names looked up first, the facets cached by the
 * canonical events' write counter (004_api_speed.sql) and invalidated by any write, also one from
 * another connection; and merge reasons listed as `{ name, points, detail }`.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SitrepEvent } from '../../src/core/types.js';
import { canonicalWriteCount, eventPoints, mergeReasons, TOTAL_CAP } from '../../src/store/queries.js';
import { makeArticle, makeEvents } from '../store/backends.js';
import { BACKEND_NAMES, get, startServer, type Running } from './helpers.js';

const N = TOTAL_CAP + 20;

function manyEvents(n: number): SitrepEvent[] {
  const [template] = makeEvents(makeArticle('tmpl'));
  return Array.from({ length: n }, (_, i) => ({
    ...template!,
    event_id: `cc-${String(i).padStart(5, '0')}`,
    event_date: `2022-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    time_precision: 1,
    // 30 events in Niger, the rest in Mali; every 10th with an associated Wagner Group.
    country: i % 40 === 7 ? 'Niger' : 'Mali',
    iso3: i % 40 === 7 ? 'NER' : 'MLI',
    assoc_actor_1: i % 10 === 3 ? 'Wagner Group' : null,
    latitude: 14 + (i % 50) / 100,
    longitude: -4 + (i % 30) / 100,
  }));
}

describe.each(BACKEND_NAMES)('totals, the facet cache and merge reasons over %s', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
    await s.store.putCanonicals(manyEvents(N).map((event) => ({ id: event.event_id, event })));
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it(`counts total up to ${TOTAL_CAP} and says when more match; total=exact counts them all`, async () => {
    const capped = await get(s.base, '/events?limit=5');
    expect(capped.status, capped.text).toBe(200);
    expect(capped.json).toMatchObject({ total: TOTAL_CAP, total_is_lower_bound: true });
    expect(capped.json.events).toHaveLength(5);
    const exact = await get(s.base, '/events?limit=5&total=exact');
    expect(exact.json).toMatchObject({ total: N, total_is_lower_bound: false });
    // Under the cap the count is exact.
    const niger = await get(s.base, '/events?country=NER');
    expect(niger.json).toMatchObject({ total: 26, total_is_lower_bound: false });
    expect(niger.json.events).toHaveLength(26);
    // The actor substring, its names looked up first: the same events as the exact name.
    const wagner = await get(s.base, '/events?actor=wagner&limit=500');
    expect(wagner.json).toMatchObject({ total: N / 10, total_is_lower_bound: false });
    expect(wagner.json.events.every((e: SitrepEvent) => e.assoc_actor_1 === 'Wagner Group')).toBe(true);
    expect((await get(s.base, '/events?actor=no%20such%20group')).json).toMatchObject({ total: 0, total_is_lower_bound: false, events: [] });
    const bad = await get(s.base, '/events?total=all');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^total: expected capped or exact/);
  });

  it('map points come page by page from the database\'s JSON, every event once, newest first', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of eventPoints(s.store, {}, ['event_id', 'fatalities'], 97)) {
      pages++;
      const features = JSON.parse(`[${page.json}]`) as Array<{ id: string; properties: Record<string, unknown> }>;
      expect(features).toHaveLength(page.count);
      for (const f of features) expect(Object.keys(f.properties)).toEqual(['event_id', 'fatalities']);
      ids.push(...features.map((f) => f.id));
    }
    expect(pages).toBe(Math.ceil(N / 97));
    expect(new Set(ids).size).toBe(N);
    const all = (await get(s.base, '/events?limit=500')).json.events.map((e: SitrepEvent) => e.event_id);
    expect(ids.slice(0, 500)).toEqual(all);
  });

  it('documents the capped total in the OpenAPI schema', async () => {
    const doc = (await get(s.base, '/openapi.json')).json;
    const page = doc.paths['/events'].get.responses['200'].content['application/json'].schema;
    expect(page.properties.total_is_lower_bound.type).toBe('boolean');
    expect(page.properties.total.description).toContain('1,000');
    expect(doc.paths['/events'].get.parameters.find((p: { name: string }) => p.name === 'total').schema.enum).toEqual(['capped', 'exact']);
  });

  it('caches the facets until canonical events are written, by this process or another', async () => {
    const before = await get(s.base, '/facets');
    expect(before.json.countries).toEqual([
      { value: 'Mali', count: N - 26 },
      { value: 'Niger', count: 26 },
    ]);
    const v0 = await canonicalWriteCount(s.store);
    // One write transaction moves the counter once, however many events it wrote.
    const chad = manyEvents(3).map((e, i) => ({ ...e, event_id: `td-${i}`, country: 'Chad', iso3: 'TCD' }));
    await s.store.putCanonicals(chad.map((event) => ({ id: event.event_id, event })));
    expect(await canonicalWriteCount(s.store)).toBe(v0 + 1);
    const after = await get(s.base, '/facets');
    expect(after.json.countries).toContainEqual({ value: 'Chad', count: 3 });
    // A filtered answer is cached under its own key.
    expect((await get(s.base, '/facets?country=TCD')).json.admin1.every((a: { country: string }) => a.country === 'Chad')).toBe(true);
    expect((await get(s.base, '/facets?country=MLI')).json.admin1.every((a: { country: string }) => a.country === 'Mali')).toBe(true);

    // A write the server does not see: another connection (PostgreSQL), or retiring through the store.
    if (backend === 'postgres') {
      const schema = (await s.store.runRead((c) => c.query<{ s: string }>('select current_schema() as s')))[0]!.s;
      const other = new pg.Client({ connectionString: process.env['SITREP_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test', options: `-c search_path=${schema}` });
      await other.connect();
      await other.query(`update canonical_events set status = 'retired' where id = 'td-0'`);
      await other.end();
    } else {
      await s.store.runRead((c) => c.query(`update canonical_events set status = 'retired' where id = 'td-0'`));
    }
    expect((await get(s.base, '/facets')).json.countries).toContainEqual({ value: 'Chad', count: 2 });
  });

  it('GET /events/{id} lists the reasons of a merge decision as { name, points, detail }', async () => {
    const a = makeArticle('m1');
    const b = makeArticle('m2', { sentences: ['Gunmen killed 6 villagers near Kidal on 3 March 2023, residents said.'] });
    const [ea, eb] = [makeEvents(a), makeEvents(b)];
    await s.store.putArticle(a, ea);
    await s.store.putArticle(b, eb);
    const [x, y] = [ea[0]!.event_id, eb[0]!.event_id];
    await s.store.createCanonical({ id: 'merged-1', event: ea[0]!, members: [x] });
    // What the merger stores (src/jobs/merge-step.ts).
    const reasons = [
      { name: 'same_day', weight: 2, detail: '2023-03-03' },
      { name: 'same_place', weight: 1.5, detail: 'Kidal' },
      { name: 'shared_evidence', weight: 3.2, detail: 'killed villagers Kidal' },
    ];
    const d = await s.store.recordMergeDecision({ kind: 'pair', events: [y, x], canonicalId: 'merged-1', score: 6.7, reasons: { joined: y, into: 'merged-1', partner: x, reasons } });
    await s.store.addMembers('merged-1', [y], { decisionId: d.id });
    const r = await get(s.base, '/events/merged-1');
    expect(r.status, r.text).toBe(200);
    expect(r.json.merges).toHaveLength(1);
    expect(r.json.merges[0]).toMatchObject({ kind: 'pair', score: 6.7, events: [x, y].sort() });
    expect(r.json.merges[0].reasons).toEqual(reasons.map((x) => ({ name: x.name, points: x.weight, detail: x.detail })));
  });
});

describe('merge reasons as a list', () => {
  it('reads the merger\'s record, plain lists, { feature, value } items and objects keyed by name', () => {
    expect(
      mergeReasons({ joined: 'e2', into: 'c1', partner: 'e1', reasons: [{ name: 'same_day', weight: 2, detail: '2023-03-03' }, { name: 'shared_evidence', weight: 3.4, detail: 'killed, Kidal' }] }),
    ).toEqual([
      { name: 'same_day', points: 2, detail: '2023-03-03' },
      { name: 'shared_evidence', points: 3.4, detail: 'killed, Kidal' },
    ]);
    expect(mergeReasons([{ feature: 'distance_km', value: 0 }])).toEqual([{ name: 'distance_km', points: 0, detail: null }]);
    expect(mergeReasons({ same_day: 2, same_place: '1.5' })).toEqual([
      { name: 'same_day', points: 2, detail: null },
      { name: 'same_place', points: 1.5, detail: null },
    ]);
    expect(mergeReasons({ rule: 'analyst' })).toEqual([{ name: 'analyst', points: null, detail: null }]);
    expect(mergeReasons([{ name: 'no_shared_evidence', weight: null }])).toEqual([{ name: 'no_shared_evidence', points: null, detail: null }]);
    expect(mergeReasons(null)).toEqual([]);
    expect(mergeReasons('x')).toEqual([]);
  });
});
