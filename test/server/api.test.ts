/**
 * The HTTP API through real requests to a real server, on PGlite and on PostgreSQL: the bundled
 * samples and the seed story go in through POST /articles (extracted, stored and merged as `sitrep
 * ingest` does), then every read endpoint, every filter (a case it keeps and a case it drops),
 * validation errors naming the parameter, 404s, the OpenAPI document and /docs.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACLED_COLUMNS } from '../../src/export/acled.js';
import { BACKEND_NAMES, get, postJson, postJsonl, request, sampleLines, seedArticle, startServer, type Running } from './helpers.js';

interface Ev {
  event_id: string;
  event_date: string | null;
  event_type: string;
  sub_event_type: string;
  country: string | null;
  iso3: string | null;
  admin1: string | null;
  actor1: string | null;
  actor2: string | null;
  assoc_actor_1: string | null;
  assoc_actor_2: string | null;
  latitude: number | null;
  longitude: number | null;
  fatalities: number;
  notes: string;
  claims: Array<{ kind: string; start: number; end: number; text: string; article_id?: string }>;
  sources: Array<{ article_id: string }>;
  evidence: Array<{ field: string; start: number; end: number; article_id?: string }>;
}
interface Page {
  events: Ev[];
  next_cursor: string | null;
  total: number;
}

const ids = (events: Ev[]) => events.map((e) => e.event_id).sort();

describe.each(BACKEND_NAMES)('HTTP API over %s', (backend) => {
  let s: Running;
  let all: Ev[] = [];
  let posted: { articles: Array<{ id: string; status: string; events: Ev[] }>; errors: unknown[] };
  const seed = seedArticle();

  /** Every event matching `query` (all pages). */
  async function list(query: string): Promise<Ev[]> {
    const out: Ev[] = [];
    let cursor: string | null = null;
    do {
      const r = await get<Page>(s.base, `/events?limit=500${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, r.text).toBe(200);
      out.push(...r.json.events);
      cursor = r.json.next_cursor;
    } while (cursor);
    return out;
  }

  beforeAll(async () => {
    s = await startServer(backend);
    const r = await postJsonl<typeof posted>(s.base, sampleLines());
    expect(r.status, r.text).toBe(200);
    posted = r.json;
    const r2 = await postJson(s.base, seed);
    expect(r2.status, r2.text).toBe(200);
    all = await list('');
  }, 300_000);
  afterAll(async () => {
    await s?.close();
  });

  it('POST /articles stores the samples and returns their events as EventRecords', () => {
    expect(posted.errors).toEqual([]);
    expect(posted.articles).toHaveLength(36);
    expect(posted.articles.every((a) => a.status === 'new')).toBe(true);
    const withEvents = posted.articles.filter((a) => a.events.length > 0);
    expect(withEvents.length).toBeGreaterThan(30);
    for (const a of withEvents) for (const e of a.events) expect(e.sources.map((x) => x.article_id)).toContain(a.id);
    expect(all.length).toBe(posted.articles.reduce((n, a) => n + a.events.length, 0) + 1);
  });

  it('GET /health names the store and counts', async () => {
    const r = await get(s.base, '/health');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ok', store: backend, events: all.length, articles: 37 });
  });

  it('GET /events: newest first, undated last, total, default page of 50', async () => {
    const r = await get<Page>(s.base, '/events');
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(all.length);
    expect(r.json.events.length).toBe(Math.min(50, all.length));
    const dates = all.map((e) => e.event_date ?? '0001-01-01');
    expect(dates).toEqual([...dates].sort().reverse());
  });

  describe('each filter keeps what it names and drops the rest', () => {
    /** The filter's events: all satisfy `holds`, `kept` is among them, and some event that fails `holds` exists and is left out. */
    async function check(query: string, holds: (e: Ev) => boolean, kept: Ev) {
      const got = await list(query);
      expect(got.map((e) => e.event_id)).toContain(kept.event_id);
      for (const e of got) expect(holds(e), `${query}: ${e.event_id}`).toBe(true);
      expect(ids(got)).toEqual(ids(all.filter(holds)));
      const dropped = all.filter((e) => !holds(e));
      expect(dropped.length, `${query} must drop something`).toBeGreaterThan(0);
      const r = await get<Page>(s.base, `/events?${query}`);
      expect(r.json.total).toBe(got.length);
    }
    const seedEvent = () => all.find((e) => e.sources.some((x) => x.article_id === seed.id))!;
    const dated = () => all.filter((e) => e.event_date).sort((a, b) => a.event_date!.localeCompare(b.event_date!));

    it('from and to (inclusive)', async () => {
      const mid = dated()[Math.floor(dated().length / 2)]!;
      await check(`from=${mid.event_date}`, (e) => !!e.event_date && e.event_date >= mid.event_date!, mid);
      await check(`to=${mid.event_date}`, (e) => !!e.event_date && e.event_date <= mid.event_date!, mid);
      await check(`from=${mid.event_date}&to=${mid.event_date}`, (e) => e.event_date === mid.event_date, mid);
    });

    it('country, by name or ISO3, repeated or comma-separated', async () => {
      const mali = seedEvent();
      expect(mali.country).toBe('Mali');
      await check('country=Mali', (e) => e.country === 'Mali', mali);
      await check('country=mli', (e) => e.country === 'Mali', mali);
      const other = all.find((e) => e.country && e.country !== 'Mali')!;
      const both = (e: Ev) => e.country === 'Mali' || e.country === other.country;
      await check(`country=Mali,${other.iso3}`, both, other);
      await check(`country=MLI&country=${encodeURIComponent(other.country!)}`, both, mali);
    });

    it('admin1', async () => {
      const e0 = seedEvent();
      await check(`admin1=${encodeURIComponent(e0.admin1!)}`, (e) => e.admin1 === e0.admin1, e0);
    });

    it('event_type and sub_event_type (ACLED names, any case)', async () => {
      const e0 = seedEvent();
      await check(`event_type=${encodeURIComponent(e0.event_type.toLowerCase())}`, (e) => e.event_type === e0.event_type, e0);
      await check(`sub_event_type=${encodeURIComponent(e0.sub_event_type)}`, (e) => e.sub_event_type === e0.sub_event_type, e0);
      const vac = all.find((e) => e.event_type === 'Violence against civilians')!;
      await check(`event_type=Battles,Violence%20against%20civilians`, (e) => e.event_type === 'Battles' || e.event_type === 'Violence against civilians', vac);
    });

    it('actor: a case-insensitive part of any actor name', async () => {
      const e0 = seedEvent();
      expect(e0.actor1).toMatch(/JNIM/);
      const names = (e: Ev) => [e.actor1, e.actor2, ...(e.assoc_actor_1 ?? '').split('; '), ...(e.assoc_actor_2 ?? '').split('; ')].filter(Boolean).join('\n').toLowerCase();
      await check('actor=jnim', (e) => names(e).includes('jnim'), e0);
      await check('actor=wagner', (e) => names(e).includes('wagner'), e0);
    });

    it('q: full text over the event and over the reporting article\'s text', async () => {
      const e0 = seedEvent();
      // "gendarmerie" is in the seed story's text, not in any event's own fields.
      expect(e0.notes.toLowerCase()).not.toContain('gendarmerie');
      const got = await list('q=gendarmerie');
      expect(got.map((e) => e.event_id)).toContain(e0.event_id);
      expect(got.length).toBeLessThan(all.length);
      // A word of the notes: "Ténenkou" is where the seed event is.
      const byPlace = await list(`q=${encodeURIComponent('Ténenkou')}`);
      expect(byPlace.map((e) => e.event_id)).toContain(e0.event_id);
      expect(byPlace.length).toBeLessThan(all.length);
      expect((await list('q=zzzunknownwordzzz')).length).toBe(0);
    });

    it('bbox (minLon,minLat,maxLon,maxLat), also across the antimeridian', async () => {
      const e0 = seedEvent();
      const [lon, lat] = [e0.longitude!, e0.latitude!];
      const inBox = (e: Ev) => e.latitude !== null && e.longitude !== null && Math.abs(e.latitude - lat) <= 1 && Math.abs(e.longitude - lon) <= 1;
      await check(`bbox=${lon - 1},${lat - 1},${lon + 1},${lat + 1}`, inBox, e0);
      // Everything but a 2°-wide band around the event, written as a box that crosses 180°.
      const outside = (e: Ev) => e.latitude !== null && e.longitude !== null && (e.longitude >= lon + 1 || e.longitude <= lon - 1);
      const far = all.find(outside)!;
      await check(`bbox=${lon + 1},-90,${lon - 1 + 360},90`, outside, far);
    });

    it('min_fatalities', async () => {
      const top = [...all].sort((a, b) => b.fatalities - a.fatalities)[0]!;
      expect(top.fatalities).toBeGreaterThan(0);
      await check(`min_fatalities=${top.fatalities}`, (e) => e.fatalities >= top.fatalities, top);
      await check('min_fatalities=1', (e) => e.fatalities >= 1, top);
    });

    it('filters combine (AND)', async () => {
      const e0 = seedEvent();
      await check(`country=Mali&event_type=Battles&from=2023-01-01&to=2023-01-31&min_fatalities=1`, (e) => e.country === 'Mali' && e.event_type === 'Battles' && !!e.event_date && e.event_date >= '2023-01-01' && e.event_date <= '2023-01-31' && e.fatalities >= 1, e0);
    });
  });

  it('validation errors are 400s naming the parameter and the value', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/events?from=yesterday', /^from: expected a date YYYY-MM-DD, got "yesterday"$/],
      ['/events?to=2023-02-30', /^to: "2023-02-30" is not a calendar date/],
      ['/events?from=2023-05-01&to=2023-04-01', /^from: 2023-05-01 is after to=2023-04-01/],
      ['/events?limit=0', /^limit: expected a whole number from 1 to 500, got 0$/],
      ['/events?limit=501', /^limit: expected a whole number from 1 to 500, got 501$/],
      ['/events?limit=ten', /^limit: expected a whole number from 1 to 500, got "ten"$/],
      ['/events?min_fatalities=-1', /^min_fatalities: expected a whole number ≥ 0, got -1$/],
      ['/events?bbox=1,2,3', /^bbox: expected minLon,minLat,maxLon,maxLat \(four numbers\), got "1,2,3"$/],
      ['/events?bbox=0,95,1,96', /^bbox: minLat 95 is outside -90..90/],
      ['/events?bbox=0,10,1,5', /^bbox: minLat 10 is above maxLat 5/],
      ['/events?sort=date', /^sort: expected one of event_date, -event_date, .*, got "date"$/],
      ['/events?event_type=Fights', /^event_type: "Fights" is not an ACLED event type \(one of: Battles,/],
      ['/events?sub_event_type=Skirmish', /^sub_event_type: "Skirmish" is not an ACLED sub-event type/],
      ['/events?country=', /^country: expected a country name or ISO3 code .*, got ""$/],
      ['/events?country=,', /^country: is empty/],
      ['/events?q=%20', /^q: is blank/],
      ['/events?cursor=garbage', /^cursor: is not a cursor of this listing/],
      ['/events?contry=Mali', /^contry: unknown query parameter \(this endpoint takes from, to, country,/],
      ['/stats/timeline?interval=year', /^interval: expected one of day, week, month, got "year"$/],
      ['/facets?from=2023', /^from: expected a date YYYY-MM-DD, got "2023"$/],
      ['/events.geojson?min_fatalities=many', /^min_fatalities: expected a whole number ≥ 0, got "many"$/],
      ['/export.csv?bbox=a,b,c,d', /^bbox: expected minLon,minLat,maxLon,maxLat/],
    ];
    for (const [path, message] of cases) {
      const r = await get(s.base, path);
      expect(r.status, path).toBe(400);
      expect(r.json, path).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(r.json.message, path).toMatch(message);
    }
  });

  it('unknown ids and routes are JSON 404s', async () => {
    for (const path of ['/events/no-such-event', '/articles/no-such-article', '/no-such-route', '/events/x/y']) {
      const r = await get(s.base, path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.json.statusCode).toBe(404);
      expect(r.json.message.length).toBeGreaterThan(10);
    }
    expect((await get(s.base, '/events/no-such-event')).json.message).toMatch(/^no event "no-such-event"/);
  });

  it('GET /events/{id}: the record with claims, sources and evidence, its articles and merge decisions', async () => {
    const e0 = all.find((e) => e.sources.some((x) => x.article_id === seed.id))!;
    const r = await get(s.base, `/events/${encodeURIComponent(e0.event_id)}`);
    expect(r.status).toBe(200);
    expect(r.json.event).toEqual(e0);
    expect(r.json.event.claims.length).toBeGreaterThanOrEqual(4);
    expect(r.json.event.claims.every((c: { article_id?: string }) => c.article_id === seed.id)).toBe(true);
    expect(r.json.event.evidence.length).toBeGreaterThan(0);
    expect(r.json.articles).toEqual([{ id: seed.id, url: null, title: seed.title, published: seed.published, source: null }]);
    expect(Array.isArray(r.json.merges)).toBe(true);
    // The contract's key order of EventRecord.
    expect(Object.keys(r.json.event).slice(0, 6)).toEqual(['event_id', 'event_date', 'time_precision', 'event_type', 'sub_event_type', 'disorder_type']);
  });

  it('GET /articles/{id}: the cleaned text and spans that point into it, each with its event', async () => {
    const r = await get(s.base, `/articles/${seed.id}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: seed.id, title: seed.title, published: seed.published, url: null });
    const text: string = r.json.text;
    expect(text).toContain('At least 14 Malian soldiers were killed');
    const spans = r.json.spans as Array<{ start: number; end: number; kind: string; field: string; event_id: string }>;
    expect(spans.some((x) => x.kind === 'evidence')).toBe(true);
    expect(spans.filter((x) => x.kind === 'claim' && x.field === 'fatalities').length).toBeGreaterThanOrEqual(4);
    expect(spans.some((x) => x.kind === 'claim' && x.field === 'injured')).toBe(true);
    const eventIds = new Set(all.map((e) => e.event_id));
    const e0 = all.find((e) => e.sources.some((x) => x.article_id === seed.id))!;
    for (const x of spans) {
      expect(0 <= x.start && x.start <= x.end && x.end <= text.length).toBe(true);
      expect(eventIds.has(x.event_id)).toBe(true);
    }
    // The claim spans are the event's claims, as offsets into this text.
    for (const c of e0.claims) expect(text.slice(c.start, c.end)).toBe(c.text);
    const sorted = spans.map((x) => x.start);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  });

  it('GET /events.geojson: a FeatureCollection of the filter, as application/geo+json', async () => {
    const r = await get(s.base, '/events.geojson?country=Mali');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const fc = JSON.parse(r.text) as { type: string; features: Array<{ geometry: { type: string; coordinates: [number, number] }; properties: Record<string, unknown> }> };
    expect(fc.type).toBe('FeatureCollection');
    const mali = all.filter((e) => e.country === 'Mali' && e.latitude !== null);
    expect(fc.features.map((f) => f.properties['event_id']).sort()).toEqual(ids(mali));
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('Point');
      expect(f.properties).toMatchObject({ country: 'Mali' });
      for (const k of ['event_id', 'event_type', 'fatalities', 'event_date', 'admin1', 'location']) expect(k in f.properties).toBe(true);
    }
    const none = JSON.parse((await get(s.base, '/events.geojson?q=zzzunknownwordzzz')).text);
    expect(none).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('GET /events.geojson?properties=...: the same points with only those properties, equal to the full ones', async () => {
    const full = JSON.parse((await get(s.base, '/events.geojson')).text) as { features: Array<{ id: string; geometry: unknown; properties: Record<string, unknown> }> };
    const r = await get(s.base, '/events.geojson?properties=fatalities,event_id,event_type,event_date,location,admin1,country');
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const lean = JSON.parse(r.text) as typeof full;
    expect(lean.features.length).toBe(full.features.length);
    expect(lean.features.length).toBeGreaterThan(20);
    const byId = new Map(full.features.map((f) => [f.id, f]));
    for (const f of lean.features) {
      const whole = byId.get(f.id)!;
      expect(f.geometry).toEqual(whole.geometry);
      // In the record's order, and the same values as the full feature's.
      expect(Object.keys(f.properties)).toEqual(['event_id', 'event_date', 'event_type', 'country', 'admin1', 'location', 'fatalities']);
      for (const [k, v] of Object.entries(f.properties)) expect(v, `${f.id} ${k}`).toEqual(whole.properties[k]);
    }
    // Filters apply as without it.
    const mali = JSON.parse((await get(s.base, '/events.geojson?country=Mali&properties=event_id')).text) as typeof full;
    expect(mali.features.map((f) => f.properties['event_id']).sort()).toEqual(ids(all.filter((e) => e.country === 'Mali' && e.latitude !== null)));
    const bad = await get(s.base, '/events.geojson?properties=event_id,notes');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^properties: "notes" is not one of event_id, event_date/);
  });

  it('GET /export.csv: the ACLED CSV of the filter, as an attachment', async () => {
    const r = await get(s.base, '/export.csv?country=Mali');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="sitrep-events\.csv"/);
    expect(r.text.split('\r\n')[0]).toBe(ACLED_COLUMNS.join(','));
    const mali = all.filter((e) => e.country === 'Mali');
    const rows = r.text.split('\r\n').filter((l) => /^[^,"]+,\d{4}-\d{2}-\d{2},/.test(l) || /^[^,"]+,,/.test(l));
    expect(rows.length).toBe(mali.length);
    for (const e of mali) expect(r.text).toContain(`\r\n${e.event_id},`);
    for (const e of all.filter((x) => x.country !== 'Mali')) expect(r.text).not.toContain(`\r\n${e.event_id},`);
  });

  it('GET /stats/timeline: buckets per day, week (from Monday) and month, in order, adding up', async () => {
    const datedAll = all.filter((e) => e.event_date);
    for (const interval of ['day', 'week', 'month'] as const) {
      const r = await get(s.base, `/stats/timeline?interval=${interval}`);
      expect(r.status).toBe(200);
      expect(r.json.interval).toBe(interval);
      const buckets = r.json.buckets as Array<{ start: string; events: number; fatalities: number }>;
      expect(buckets.map((b) => b.start)).toEqual([...buckets.map((b) => b.start)].sort());
      expect(buckets.reduce((n, b) => n + b.events, 0)).toBe(datedAll.length);
      expect(buckets.reduce((n, b) => n + b.fatalities, 0)).toBe(datedAll.reduce((n, e) => n + e.fatalities, 0));
      for (const b of buckets) {
        if (interval === 'week') expect(new Date(`${b.start}T00:00:00Z`).getUTCDay()).toBe(1);
        if (interval === 'month') expect(b.start.endsWith('-01')).toBe(true);
      }
      if (interval === 'day') expect(buckets.length).toBe(new Set(datedAll.map((e) => e.event_date)).size);
    }
    const mali = await get(s.base, '/stats/timeline?interval=month&country=Mali');
    expect(mali.json.buckets.reduce((n: number, b: { events: number }) => n + b.events, 0)).toBe(datedAll.filter((e) => e.country === 'Mali').length);
    expect((await get(s.base, '/stats/timeline')).json.interval).toBe('month');
  });

  it('GET /facets: counts per value; each facet ignores its own filter', async () => {
    const r = await get(s.base, '/facets');
    expect(r.status).toBe(200);
    const countries = r.json.countries as Array<{ value: string; count: number }>;
    expect(countries.reduce((n, c) => n + c.count, 0)).toBe(all.filter((e) => e.country).length);
    expect(countries.find((c) => c.value === 'Mali')!.count).toBe(all.filter((e) => e.country === 'Mali').length);
    const counts = countries.map((c) => c.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const f = await get(s.base, '/facets?country=Mali');
    // The country menu still offers the other countries...
    expect(f.json.countries).toEqual(r.json.countries);
    // ...while the other facets count Mali's events only.
    for (const a of f.json.admin1 as Array<{ country: string }>) expect(a.country).toBe('Mali');
    const types = f.json.event_types as Array<{ value: string; count: number }>;
    expect(types.reduce((n, t) => n + t.count, 0)).toBe(all.filter((e) => e.country === 'Mali').length);
    const subs = f.json.sub_event_types as Array<{ event_type: string; value: string; count: number }>;
    expect(subs.reduce((n, t) => n + t.count, 0)).toBe(all.filter((e) => e.country === 'Mali').length);
  });

  it('GET /openapi.json is a valid OpenAPI 3.1 document with every route; GET /docs is HTML', async () => {
    const r = await get(s.base, '/openapi.json');
    expect(r.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(r.json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(r.json.openapi).toBe('3.1.0');
    const paths = r.json.paths as Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
    const routes = {
      '/events': ['get'],
      '/events/{id}': ['get'],
      '/events.geojson': ['get'],
      '/export.csv': ['get'],
      '/stats/timeline': ['get'],
      '/facets': ['get'],
      '/articles/{id}': ['get'],
      '/articles': ['post'],
      '/health': ['get'],
      '/openapi.json': ['get'],
    };
    expect(Object.keys(paths).sort()).toEqual(Object.keys(routes).sort());
    for (const [path, methods] of Object.entries(routes)) for (const m of methods) expect(paths[path]![m], `${m} ${path}`).toBeDefined();
    const params = paths['/events']!['get']!.parameters!.map((p) => p.name);
    for (const p of ['from', 'to', 'country', 'admin1', 'event_type', 'sub_event_type', 'actor', 'q', 'bbox', 'min_fatalities', 'sort', 'limit', 'cursor']) expect(params).toContain(p);

    const docs = await request(s.base, '/docs', { headers: { accept: 'text/html' } });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(docs.text).toContain('swagger-ui');
    expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)[^<]/); // no inline script
    const bundle = await request(s.base, '/docs/static/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
  });
  // These add articles: they come last, after the tests that compare with `all`.
  it('POST /articles: the same text again is unchanged, a new text under the same id is changed, with its events', async () => {
    const again = await postJson(s.base, seed);
    expect(again.status).toBe(200);
    expect(again.json.articles).toEqual([expect.objectContaining({ id: seed.id, status: 'unchanged' })]);
    expect(again.json.articles[0].events.length).toBe(1);

    const other = { id: 'post-changed', published: '2023-03-05', text: 'Gunmen killed 5 villagers near Kidal, Mali, on 3 March 2023, officials said.' };
    expect((await postJson(s.base, other)).json.articles[0].status).toBe('new');
    const changed = await postJson(s.base, { ...other, text: 'Gunmen killed 9 villagers near Kidal, Mali, on 3 March 2023, officials said.' });
    expect(changed.status).toBe(200);
    expect(changed.json.articles[0]).toMatchObject({ id: 'post-changed', status: 'changed' });
    expect(changed.json.articles[0].events[0]).toMatchObject({ fatalities: 9, country: 'Mali' });
    const detail = await get(s.base, `/articles/post-changed`);
    expect(detail.json.text).toContain('killed 9');
  });

  it('POST /articles: bad lines are listed and the good ones stored; nothing usable is a 400 naming the lines', async () => {
    const mixed = await postJsonl(s.base, [
      JSON.stringify({ id: 'batch-good', text: 'Soldiers clashed with JNIM militants near Boni, Mali, on 4 April 2023; 3 soldiers were killed.', published: '2023-04-05' }),
      '{"id": "broken", ',
      JSON.stringify({ id: 'no-text', title: 'nothing here' }),
    ]);
    expect(mixed.status, mixed.text).toBe(200);
    expect(mixed.json.articles.map((a: { id: string }) => a.id)).toEqual(['batch-good']);
    expect(mixed.json.errors).toEqual([
      { input: 'line 2', message: expect.stringMatching(/^line 2: invalid JSON/) },
      { input: 'line 3', message: 'line 3: missing "text" or "html"' },
    ]);

    const none = await postJsonl(s.base, ['{"title": "x"}', 'not json']);
    expect(none.status).toBe(400);
    expect(none.json.message).toMatch(/^no usable article in the body: line 1: missing "text" or "html" \(and 1 more/);
    expect(none.json.errors).toHaveLength(2);

    const badJson = await request(s.base, '/articles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.json.message).toMatch(/^body: invalid JSON/);

    const wrongType = await request(s.base, '/articles', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Gunmen killed 5.' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.json.message).toMatch(/Content-Type "text\/plain" is not accepted here: send application\/json/);

    const badField = await postJson(s.base, { text: 'Gunmen killed 5 people.', published: 'last week' });
    expect(badField.status).toBe(400);
    expect(badField.json.message).toMatch(/body: "published" is not a date/);
  });

});
