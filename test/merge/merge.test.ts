import { describe, expect, it } from 'vitest';
import type { Claim, SitrepEvent } from '../../src/core/types.js';
import {
  blockKey,
  candidateKeys,
  clusterReports,
  datelineEnd,
  evidenceSentences,
  evidenceTerms,
  MERGE_THRESHOLD,
  mergeCountries,
  namedCountries,
  reconcile,
  scoreFields,
  scorePair,
  termSimilarity,
  victimKeyOf,
  windowDays,
  wordWeight,
} from '../../src/merge/index.js';
import type { Report, Terms } from '../../src/merge/index.js';

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

/** An event whose evidence is the whole of `text` (one span at its start). */
function withText(e: SitrepEvent, text: string): { event: SitrepEvent; terms: Map<string, number> } {
  const event = { ...e, evidence: [{ field: 'event_type', start: 0, end: 5 }], claims: [] };
  return { event, terms: evidenceTerms(event, text) };
}

const AMBUSH_A = 'Militants ambushed an army convoy escorting the governor Abdoulaye Kassogue near Tenenkou, torching twelve trucks.';
const AMBUSH_B = 'The convoy of governor Abdoulaye Kassogue was ambushed near Tenenkou; gunmen torched the trucks.';
const OTHER = 'Soldiers clashed with fighters at a market outside Tenenkou after a dispute over cattle.';

describe('evidence terms', () => {
  it('weighs names above rare words above less common ones; common words, calendar words and day numbers are no evidence', () => {
    expect(wordWeight('kassogue')).toBe(3);
    expect(wordWeight('convoy')).toBeGreaterThan(0);
    expect(wordWeight('the')).toBe(0);
    expect(wordWeight('said')).toBe(0);
    expect(wordWeight('january')).toBe(0);
    expect(wordWeight('12')).toBe(0);
    expect(wordWeight('2023')).toBe(0);
    expect(wordWeight('727')).toBe(2);
  });
  it('leaves out the event\'s own place, country and actor words, and the wire dateline', () => {
    const text = 'SAN SALVADOR, 16 NOV 89 (ACAN-EFE) -- [TEXT] Gunmen killed Ignacio Ellacuria at Tenenkou, Malian officials said.';
    expect(text.slice(datelineEnd(text, 0))).toMatch(/^Gunmen killed/);
    const { terms } = withText(ev('a:1', 'a'), text);
    expect(terms.get('ellacuria')).toBe(3);
    for (const w of ['acan', 'efe', 'salvador', 'text', 'tenenkou', 'malian', 'mali', 'jnim']) expect(terms.has(w)).toBe(false);
  });
  it('reads only the sentences holding the event\'s spans, and only one article\'s spans of a merged record', () => {
    const text = 'First sentence about Kassogue. Second sentence about Ellacuria.';
    const e = { ...ev('a:1', 'a'), evidence: [{ field: 'location', start: 35, end: 40, article_id: 'a' }, { field: 'location', start: 0, end: 3, article_id: 'b' }], claims: [] };
    expect(evidenceSentences(e, text, 'a')).toEqual(['Second sentence about Ellacuria.']);
  });
  it('similarity: weighted Jaccard with the shared names', () => {
    const a = withText(ev('a:1', 'a'), AMBUSH_A).terms;
    const b = withText(ev('b:1', 'b'), AMBUSH_B).terms;
    const s = termSimilarity(a, b);
    expect(s.jaccard).toBeGreaterThan(0.3);
    expect(s.shared.slice(0, 2).sort()).toEqual(['abdoulaye', 'kassogue']);
    expect(s.names).toBe(2);
    expect(termSimilarity(a, new Map()).jaccard).toBe(0);
  });
});

describe('blocking', () => {
  it('buckets by country, type family and period; candidates in adjacent buckets', () => {
    const a = ev('a:1', 'a');
    expect(blockKey(a)).toMatch(/^MLI\|violence\|1\|\d+$/);
    expect(candidateKeys(a).filter((k) => k.includes('|1|'))).toHaveLength(3);
    expect(candidateKeys(a)).toContain(blockKey(a));
    expect(blockKey(ev('b:1', 'b', { event_date: null }))).toBeNull();
    expect(blockKey(ev('b:1', 'b', { event_type: 'Protests' }))).toMatch(/\|demonstrations\|/);
  });
  it('widens the date window with coarser time precision', () => {
    expect(windowDays(1)).toBeLessThan(windowDays(2));
    expect(windowDays(2)).toBeLessThan(windowDays(3));
    const a = ev('a:1', 'a', { event_date: '2023-01-10' });
    expect(scoreFields(a, ev('b:1', 'b', { event_date: '2023-01-12' })).conflict?.name).toBe('dates_apart');
    expect(scoreFields(a, ev('b:1', 'b', { event_date: '2023-01-11' })).conflict).toBeNull();
    expect(scoreFields(a, ev('b:1', 'b', { event_date: '2023-01-16', time_precision: 2 })).conflict).toBeNull();
  });
});

describe('scorePair', () => {
  it('merges two reports of one attack: same day, same place, shared specific evidence, with named reasons', () => {
    const a = withText(ev('a:1', 'a'), AMBUSH_A);
    const b = withText(ev('b:1', 'b', { claims: [claim('b', 20, 'soldiers (Mali)')] }), AMBUSH_B);
    const s = scorePair(a.event, b.event, [a.terms], [b.terms]);
    expect(s.score).toBeGreaterThanOrEqual(MERGE_THRESHOLD);
    expect(s.reasons.map((r) => r.name)).toEqual(expect.arrayContaining(['same_day', 'same_place', 'same_sub_event_type', 'shared_actors', 'shared_evidence']));
    expect(s.reasons.find((r) => r.name === 'shared_evidence')!.detail).toContain('kassogue');
  });
  it('does not merge on date, place and type alone: without shared evidence the pair is refused', () => {
    const a = withText(ev('a:1', 'a'), AMBUSH_A);
    const c = withText(ev('c:1', 'c'), OTHER);
    const s = scorePair(a.event, c.event, [a.terms], [c.terms]);
    expect(s.score).toBe(-Infinity);
    expect(s.reasons.at(-1)!.name).toBe('no_shared_evidence');
    expect(scorePair(a.event, a.event).reasons.at(-1)!.name).toBe('no_shared_evidence');
  });
  it('asks more evidence when the date or the place is coarse', () => {
    const day = scoreFields(ev('a:1', 'a'), ev('b:1', 'b'));
    const week = scoreFields(ev('a:1', 'a'), ev('b:1', 'b', { time_precision: 2 }));
    const country = scoreFields(ev('a:1', 'a'), ev('b:1', 'b', { geo_basis: 'country', geo_precision: 3, admin1: null }));
    expect(week.needs).toBeGreaterThan(day.needs);
    expect(country.needs).toBeGreaterThan(day.needs);
    expect(country.reasons.map((r) => r.name)).toContain('place_unknown');
  });
  it('rejects another country, far points, another region, another type family', () => {
    const a = ev('a:1', 'a');
    expect(scoreFields(a, ev('b:1', 'b', { country: 'Niger', iso3: 'NER' })).conflict!.name).toBe('other_country');
    expect(scoreFields(a, ev('b:1', 'b', { latitude: 16.27, longitude: -0.04, location: 'Gao', admin1: 'Gao' })).conflict!.name).toBe('far_apart');
    expect(scoreFields(a, ev('b:1', 'b', { latitude: 16.27, longitude: -0.04, location: 'Gao', admin1: 'Gao', geo_basis: 'admin1', geo_precision: 3 })).conflict!.name).toBe('other_region');
    expect(scoreFields(a, ev('b:1', 'b', { event_type: 'Protests' })).conflict!.name).toBe('other_type_family');
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

describe('clusterReports', () => {
  it('merges reports across articles, never within one, and keeps other events apart', () => {
    const report = (id: string, article: string, text: string, over: Partial<SitrepEvent> = {}): Report => {
      const x = withText(ev(id, article, over), text);
      return { event: x.event, article, terms: x.terms };
    };
    const reports = [
      report('a:1', 'a', AMBUSH_A),
      report('a:2', 'a', AMBUSH_A), // a second event of article a: never merged with a:1
      report('b:1', 'b', AMBUSH_B, { claims: [claim('b', 20, 'soldiers (Mali)')] }),
      report('c:1', 'c', AMBUSH_B, { country: 'Niger', iso3: 'NER' }),
      report('d:1', 'd', AMBUSH_B, { event_date: '2023-03-01' }),
      report('e:1', 'e', OTHER),
    ];
    expect(clusterReports(reports)).toEqual([[0, 2], [1], [3], [4], [5]]);
  });
});

describe('doubtful countries (a namesake town abroad)', () => {
  const MALI_TEXT = 'BAMAKO - Malian officials said militants ambushed the convoy of governor Abdoulaye Kassogue near Tenenkou. Mali\'s army sent troops.';
  // The same ambush, its place read as a namesake abroad: the article never names that country.
  const abroad = { country: 'Senegal', iso3: 'SEN', admin1: 'Dakar', admin2: null, location: 'Kassogue', latitude: 14.7, longitude: -17.4 };

  it('counts the countries an article names (names, demonyms, capitals; longest first)', () => {
    const named = namedCountries(MALI_TEXT);
    expect(named.get('MLI')).toBe(3);
    expect(named.has('SEN')).toBe(false);
    expect(namedCountries('Troops from the United States and Burkina Faso; Burkinabe officials.').get('BFA')).toBe(2);
  });
  it('a report may be in the country its article names when its own is not named, or named far less often', () => {
    const named = namedCountries(MALI_TEXT);
    expect(mergeCountries({ iso3: 'MLI', country: 'Mali' }, named)).toEqual(['MLI']);
    expect(mergeCountries({ iso3: 'SEN', country: 'Senegal' }, named)).toEqual(['SEN', 'MLI']);
    expect(mergeCountries({ iso3: 'SEN', country: 'Senegal' }, new Map([['SEN', 1], ['MLI', 3]]))).toEqual(['SEN', 'MLI']);
    expect(mergeCountries({ iso3: 'SEN', country: 'Senegal' }, new Map([['SEN', 2], ['MLI', 3]]))).toEqual(['SEN']);
    expect(mergeCountries({ iso3: 'SEN', country: 'Senegal' }, new Map())).toEqual(['SEN']);
  });
  it('merges such a report with one of the named country by evidence alone, keeps the record in that country, and refuses it without the doubt', () => {
    const a = withText(ev('a:1', 'a'), AMBUSH_A);
    const b = withText(ev('b:1', 'b', abroad), AMBUSH_B + ' ' + MALI_TEXT);
    const doubtful = { a: ['MLI'], b: ['SEN', 'MLI'] };
    const fields = scoreFields(a.event, b.event, doubtful);
    expect(fields.conflict).toBeNull();
    expect(fields.reasons.map((r) => r.name)).toContain('doubtful_country');
    expect(scoreFields(a.event, b.event).conflict?.name).toBe('other_country');
    const reports: Report[] = [
      { event: a.event, article: 'a', terms: a.terms, countries: ['MLI'] },
      { event: b.event, article: 'b', terms: b.terms, countries: ['SEN', 'MLI'] },
    ];
    expect(clusterReports(reports)).toEqual([[0, 1]]);
    expect(clusterReports(reports.map((r) => ({ ...r, countries: undefined })))).toEqual([[0], [1]]);
    // The record stays where most members (ties: the first) are, though the namesake is a precise point too.
    expect(reconcile([a.event, b.event], 'c').iso3).toBe('MLI');
    expect(reconcile([b.event, a.event, { ...a.event, event_id: 'x:1' }], 'c').iso3).toBe('MLI');
  });
});

describe('recurring names', () => {
  const A_TEXT = 'Gunmen seized Zelmira Oquendo outside her office on Monday. Oquendo leads the teachers federation.';
  const B_TEXT = 'The federation said its leader was taken by armed men at dawn. Police found no trace of Oquendo. Friends of Oquendo marched.';
  it('are the names an article uses at least twice (weight 0, outside the similarity)', () => {
    const { terms } = withText(ev('a:1', 'a'), A_TEXT);
    expect(terms.get('@oquendo')).toBe(0);
    expect(terms.has('@zelmira')).toBe(false);
    const b = withText(ev('b:1', 'b'), B_TEXT).terms;
    expect(termSimilarity(terms, b).recurring).toEqual(['oquendo']);
    expect(termSimilarity(terms, b).shared).not.toContain('@oquendo');
  });
  it('let two same-day reports merge when both articles keep naming one name, however little their sentences share', () => {
    const a = withText(ev('a:1', 'a'), A_TEXT.split('. ')[0]! + '.');
    const b = withText(ev('b:1', 'b'), B_TEXT.split('. ')[0]! + '.');
    // Only the first sentences are evidence; the names recur in the rest of each article.
    a.terms.set('@oquendo', 0);
    b.terms.set('@oquendo', 0);
    const s = scorePair(a.event, b.event, [a.terms], [b.terms]);
    expect(s.reasons.map((r) => r.name)).toContain('recurring_name');
    expect(s.score).toBeGreaterThanOrEqual(MERGE_THRESHOLD);
    const later = { ...b.event, event_date: '2023-01-11' };
    expect(scorePair(a.event, later, [a.terms], [b.terms]).score).toBe(-Infinity);
    a.terms.delete('@oquendo');
    expect(scorePair(a.event, b.event, [a.terms], [b.terms]).score).toBe(-Infinity);
  });
});

describe('same_city', () => {
  it('two reports at one city of a million people are not "the same place": less points, more shared evidence needed', () => {
    const bogota = { country: 'Colombia', iso3: 'COL', admin1: 'Bogota D.C.', admin2: null, location: 'Bogotá', latitude: 4.61, longitude: -74.08 };
    const a = ev('a:1', 'a', bogota);
    const b = ev('b:1', 'b', bogota);
    const f = scoreFields(a, b);
    expect(f.reasons.map((r) => r.name)).toContain('same_city');
    expect(f.reasons.map((r) => r.name)).not.toContain('same_place');
    // The same pair at a town (Tenenkou, ~10,000 people) is the same place, and needs half the evidence.
    const town = scoreFields(ev('a:1', 'a'), ev('b:1', 'b'));
    expect(town.reasons.map((r) => r.name)).toContain('same_place');
    expect(f.needs).toBeGreaterThan(town.needs);
  });
});
