/**
 * Sorting and cursor pagination of GET /events, on PGlite and PostgreSQL, over 230 canonical events
 * written through the store (putCanonicals) with many ties (same day, same count, no country, no
 * place, undated): every order, walked page by page, gives every event once, in the order of the
 * unpaged listing; events added between two pages do not shift the next one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SitrepEvent } from '../../src/core/types.js';
import { makeArticle, makeEvents } from '../store/backends.js';
import { BACKEND_NAMES, get, startServer, type Running } from './helpers.js';

const N = 230;
const COUNTRIES: Array<[string | null, string | null]> = [['Mali', 'MLI'], ['Niger', 'NER'], ['Burkina Faso', 'BFA'], [null, null]];

function syntheticEvents(prefix: string, n: number, dayOffset = 0): SitrepEvent[] {
  const article = makeArticle(prefix, { sentences: Array.from({ length: n }, (_, i) => `Gunmen killed ${i % 7} people in event ${i} (${prefix}).`) });
  return makeEvents(article).map((e, i) => {
    const [country, iso3] = COUNTRIES[i % COUNTRIES.length]!;
    const day = (i * 7 + dayOffset) % 40;
    return {
      ...e,
      event_id: `${prefix}-${String(i).padStart(3, '0')}`,
      // Every 11th event is undated; the others share 40 days.
      event_date: i % 11 === 5 ? null : `2023-02-${String(1 + (day % 28)).padStart(2, '0')}`,
      time_precision: i % 11 === 5 ? null : 1,
      country,
      iso3,
      admin1: country ? e.admin1 : null,
      location: i % 5 === 0 ? null : `Place ${String.fromCharCode(65 + (i % 6))}`,
      fatalities: i % 7,
      fatalities_low: i % 7,
      fatalities_best: i % 7,
      fatalities_high: i % 7,
      ...(i % 3 === 0 ? { event_type: 'Battles' as const, sub_event_type: 'Armed clash' } : {}),
    };
  });
}

const SORTS = ['event_date', '-event_date', 'fatalities', '-fatalities', 'country', '-country', 'event_type', '-event_type', 'location', '-location'];

interface Ev {
  event_id: string;
  event_date: string | null;
  fatalities: number;
  country: string | null;
}

describe.each(BACKEND_NAMES)('GET /events sorting and cursors over %s', (backend) => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer(backend);
    await s.store.putCanonicals(syntheticEvents('pg', N).map((event) => ({ id: event.event_id, event })));
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  async function walk(query: string, limit: number): Promise<{ events: Ev[]; pages: number; totals: number[] }> {
    const events: Ev[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(s.base, `/events?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, r.text).toBe(200);
      expect(r.json.events.length).toBeLessThanOrEqual(limit);
      events.push(...r.json.events);
      totals.push(r.json.total);
      cursor = r.json.next_cursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor);
    return { events, pages, totals };
  }

  it.each(SORTS)('sort=%s: pages of 17 give every event once, in the unpaged order', async (sort) => {
    const whole = await get(s.base, `/events?limit=500&sort=${sort}`);
    expect(whole.json.total).toBe(N);
    expect(whole.json.next_cursor).toBeNull();
    const order = (whole.json.events as Ev[]).map((e) => e.event_id);
    expect(order).toHaveLength(N);
    const paged = await walk(`sort=${sort}`, 17);
    expect(paged.pages).toBe(Math.ceil(N / 17));
    expect(paged.totals.every((t) => t === N)).toBe(true);
    const ids = paged.events.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(N);
    expect(ids).toEqual(order);
    // Numeric and date keys are in order; undated events sort as the earliest day.
    const desc = sort.startsWith('-');
    const key = (e: Ev) => (sort.endsWith('fatalities') ? e.fatalities : sort.endsWith('event_date') ? (e.event_date ?? '0001-01-01') : null);
    if (key(paged.events[0]!) !== null) {
      for (let i = 1; i < paged.events.length; i++) {
        const [a, b] = [key(paged.events[i - 1]!)!, key(paged.events[i]!)!];
        expect(desc ? a >= b : a <= b, `${sort} at ${i}`).toBe(true);
      }
    }
  });

  it('a filtered listing pages the same way (country=Mali, newest first)', async () => {
    const paged = await walk('country=Mali', 9);
    const mali = paged.events;
    expect(mali.every((e) => e.country === 'Mali')).toBe(true);
    expect(new Set(mali.map((e) => e.event_id)).size).toBe(mali.length);
    expect(mali.length).toBe(Math.ceil(N / COUNTRIES.length));
    expect(paged.totals.every((t) => t === mali.length)).toBe(true);
  });

  it('events stored between two pages do not shift the next page', async () => {
    const first = await get(s.base, '/events?limit=40&sort=-event_date');
    const seen = new Set((first.json.events as Ev[]).map((e) => e.event_id));
    // Newer than everything listed so far: they would all land on page 1, not on the pages after it.
    const added = syntheticEvents('late', 12).map((e) => ({ ...e, event_date: '2024-06-01' }));
    await s.store.putCanonicals(added.map((event) => ({ id: event.event_id, event })));
    let cursor: string | null = first.json.next_cursor;
    const rest: string[] = [];
    while (cursor) {
      const r = await get(s.base, `/events?limit=40&sort=-event_date&cursor=${encodeURIComponent(cursor)}`);
      rest.push(...(r.json.events as Ev[]).map((e) => e.event_id));
      cursor = r.json.next_cursor;
    }
    expect(rest.some((id) => seen.has(id))).toBe(false);
    expect(rest.some((id) => id.startsWith('late-'))).toBe(false);
    expect(seen.size + rest.length).toBe(N);
    expect((await get(s.base, '/events')).json.total).toBe(N + 12);
  });

  it('a cursor of another sort, or not a cursor at all, is a 400 on cursor', async () => {
    const r = await get(s.base, '/events?limit=5&sort=fatalities');
    const cursor = r.json.next_cursor as string;
    const other = await get(s.base, `/events?limit=5&sort=-fatalities&cursor=${encodeURIComponent(cursor)}`);
    expect(other.status).toBe(400);
    expect(other.json.message).toBe('cursor: was made for sort=fatalities, not sort=-fatalities (keep the sort of the first page)');
    for (const bad of ['abc', Buffer.from('{"s":"fatalities","k":"x","i":"y"}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      const x = await get(s.base, `/events?sort=fatalities&cursor=${bad}`);
      expect(x.status).toBe(400);
      expect(x.json.message).toMatch(/^cursor: is not a cursor of this listing/);
    }
  });
});
