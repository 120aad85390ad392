import { describe, expect, it } from 'vitest';
import type { Claim, SitrepEvent } from '../../src/core/types.js';
import { blockKey, candidateKeys, clusterEvents, MERGE_THRESHOLD, reconcile, scorePair, victimKeyOf, windowDays } from '../../src/merge/index.js';

function claim(article: string, count: number, victim: string, extra: Partial<Claim> = {}): Claim {
  return { kind: 'killed', count, count_high: null, qualifier: 'exact', claimant: null, victim, text: `${count} ${victim}`, start: count, end: count + 5, article_id: article, ...extra };
}

function ev(id: string, article: string, over: Partial<SitrepEvent> = {}): SitrepEvent {
  return {
    event_id: id, event_date: '2023-01-10', time_precision: 1, event_type: 'Battles', sub_event_type: 'Armed clash', disorder_type: 'Political violence',
    actor1: 'JNIM: Group for Support of Islam and Muslims', assoc_actor_1: null, actor2: 'Military Forces of Mali (2021-)', assoc_actor_2: null,
    inter1: 2, inter2: 1, interaction: 12, civilian_targeting: false, country: 'Mali', iso3: 'MLI', admin1: 'Mopti', admin2: 'Tenenkou', location: 'Tenenkou',
    latitude: 14.46, longitude: -4.92, geo_precision: 1, geo_basis: 'place', fatalities: 14, fatalities_low: 14, fatalities_best: 14, fatalities_high: 14,
    injured_low: 0, injured_best: 0, injured_high: 0, weapons: ['firearms'], claims: [claim(article, 14, 'soldiers (Mali)')],
    sources: [{ article_id: article, url: null, title: null, published: null, source: null }], evidence: [], notes: '', ...over,
  };
}

describe('blocking', () => {
  it('buckets by country, type family and period; candidates in adjacent buckets', () => {
    const a = ev('a:1', 'a');
    expect(blockKey(a)).toMatch(/^MLI\|violence\|\d+$/);
    expect(candidateKeys(a)).toHaveLength(3);
    expect(candidateKeys(a)).toContain(blockKey(a));
    expect(blockKey(ev('b:1', 'b', { event_date: null }))).toBeNull();
    expect(blockKey(ev('b:1', 'b', { event_type: 'Protests' }))).toMatch(/\|demonstrations\|/);
  });
  it('widens the date window with coarser time precision', () => {
    expect(windowDays(1)).toBeLessThan(windowDays(2));
    expect(windowDays(2)).toBeLessThan(windowDays(3));
    const a = ev('a:1', 'a', { event_date: '2023-01-10' });
    expect(scorePair(a, ev('b:1', 'b', { event_date: '2023-01-16' })).score).toBe(-Infinity);
    expect(scorePair(a, ev('b:1', 'b', { event_date: '2023-01-16', time_precision: 2 })).score).toBeGreaterThan(0);
  });
});

describe('scorePair', () => {
  it('scores two reports of one attack above the threshold, with named reasons', () => {
    const s = scorePair(ev('a:1', 'a'), ev('b:1', 'b', { claims: [claim('b', 20, 'soldiers (Mali)')] }));
    expect(s.score).toBeGreaterThanOrEqual(MERGE_THRESHOLD);
    const names = s.reasons.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['same_date', 'near', 'same_location', 'same_admin1', 'same_sub_event_type', 'shared_actors', 'shared_victims']));
  });
  it('rejects another country, far points, another type family', () => {
    const a = ev('a:1', 'a');
    expect(scorePair(a, ev('b:1', 'b', { country: 'Niger', iso3: 'NER' })).reasons.at(-1)!.name).toBe('other_country');
    expect(scorePair(a, ev('b:1', 'b', { latitude: 16.27, longitude: -0.04, location: 'Gao', admin1: 'Gao' })).reasons.at(-1)!.name).toBe('far_apart');
    expect(scorePair(a, ev('b:1', 'b', { event_type: 'Protests' })).reasons.at(-1)!.name).toBe('other_type_family');
  });
  it('keeps two different attacks on the same day in one region apart', () => {
    const a = ev('a:1', 'a');
    const b = ev('b:1', 'b', {
      location: 'Djenne', admin2: 'Djenne', latitude: 13.9, longitude: -4.55, actor1: 'Katiba Macina', actor2: 'Civilians (Mali)',
      event_type: 'Violence against civilians', sub_event_type: 'Attack', claims: [claim('b', 3, 'villagers')], fatalities: 3,
    });
    expect(scorePair(a, b).score).toBeLessThan(MERGE_THRESHOLD);
  });
});

describe('reconcile', () => {
  it('keeps every source and claim and recomputes low/best/high from all claims', () => {
    const a = ev('a:1', 'a');
    const b = ev('b:1', 'b', { claims: [claim('b', 20, 'soldiers (Mali)', { count_high: 30 })], fatalities: 20, geo_precision: 2 });
    const c = reconcile([a, b], 'c1');
    expect(c.event_id).toBe('c1');
    expect(c.sources.map((s) => s.article_id)).toEqual(['a', 'b']);
    expect(c.claims.map((x) => x.article_id)).toEqual(['a', 'b']);
    // Same victims in both articles: alternatives (low the lowest, best the highest, high the range top).
    expect([c.fatalities, c.fatalities_best, c.fatalities_high]).toEqual([14, 20, 30]);
    expect(c.location).toBe('Tenenkou');
  });
  it('adds up claims about different victims', () => {
    const a = ev('a:1', 'a', { claims: [claim('a', 5, 'civilians')] });
    const b = ev('b:1', 'b', { claims: [claim('b', 3, 'militants')] });
    expect(reconcile([a, b], 'c').fatalities).toBe(8);
  });
  it('a cluster of one is the event itself', () => {
    const a = ev('a:1', 'a', { fatalities: 99 });
    expect(reconcile([a], 'x')).toEqual({ ...a, event_id: 'x' });
  });
  it('victim keys group the same victims across wordings', () => {
    const mali = { iso3: 'MLI', country: 'Mali' };
    expect(victimKeyOf(claim('a', 1, 'soldiers (Mali)'), mali)).toBe(victimKeyOf(claim('b', 2, 'soldiers'), mali));
    expect(victimKeyOf(claim('a', 1, 'soldiers (Mali)'), mali)).toBe('state:MLI:soldier');
    expect(victimKeyOf(claim('a', 1, 'people'))).toBe('people');
    expect(victimKeyOf(claim('a', 1, 'terrorists'))).toBe('militants');
  });
});

describe('clusterEvents', () => {
  it('merges reports across articles, never within one, and keeps other events apart', () => {
    const events = [
      ev('a:1', 'a'),
      ev('a:2', 'a'), // a second event of article a: never merged with a:1
      ev('b:1', 'b', { claims: [claim('b', 20, 'soldiers (Mali)')] }),
      ev('c:1', 'c', { country: 'Niger', iso3: 'NER' }),
      ev('d:1', 'd', { event_date: '2023-03-01' }),
    ];
    expect(clusterEvents(events)).toEqual([[0, 2], [1], [3], [4]]);
  });
});
