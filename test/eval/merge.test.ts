import { describe, expect, it } from 'vitest';
import { parseMuc4Row } from '../../src/eval/gold.js';
import { locationsMatch, mergeGroupsFromJsonl, muc4GoldPairs, muc4ReferenceScore, pairKey, scoreMerges } from '../../src/eval/merge.js';

function message(id: string, templates: Record<string, string>[]) {
  return parseMuc4Row({ message_id: id, text: 'SYNTHETIC', templates });
}
const incident = (names: string, over: Record<string, string> = {}) => ({
  'INCIDENT: DATE': '01 MAR 90',
  'INCIDENT: LOCATION': 'PERU: LIMA (CITY)',
  'INCIDENT: TYPE': 'BOMBING',
  'HUM TGT: NAME': names,
  'HUM TGT: DESCRIPTION': '-',
  'PHYS TGT: ID': '-',
  ...over,
});

describe('muc4GoldPairs', () => {
  it('links reports with equal date, location, type and a shared quoted name, through chains', () => {
    const records = [
      message('A', [incident('"JUAN PEREZ"')]),
      message('B', [incident('"JUAN PEREZ"\n"J. PEREZ"')]),
      message('C', [incident('"J. PEREZ"')]), // same incident as A only through B
      message('D', [incident('"JUAN PEREZ"', { 'INCIDENT: TYPE': 'ATTACK' })]), // different type
      message('E', [incident('"OTHER NAME"')]), // no shared name
    ];
    const pairs = muc4GoldPairs(records);
    expect([...pairs].sort()).toEqual([pairKey('A', 'B'), pairKey('A', 'C'), pairKey('B', 'C')].sort());
  });

  it('ignores templates without an incident type', () => {
    const records = [message('A', [incident('"X"', { 'INCIDENT: TYPE': '*' })]), message('B', [incident('"X"', { 'INCIDENT: TYPE': '*' })])];
    expect(muc4GoldPairs(records).size).toBe(0);
  });
});

describe('the reference merger (places matched city within country)', () => {
  it('matches a place with the places inside it, not with a namesake prefix or a sibling', () => {
    expect(locationsMatch('PERU', 'PERU: LIMA (CITY)', 'nested')).toBe(true);
    expect(locationsMatch('PERU: LIMA (CITY)', 'PERU', 'nested')).toBe(true);
    expect(locationsMatch('PERU', 'PERU: LIMA (CITY)')).toBe(false); // the gold's rule
    expect(locationsMatch('PERU: LIMA (CITY)', 'PERU: CUZCO (CITY)', 'nested')).toBe(false);
    expect(locationsMatch('PER', 'PERU: LIMA (CITY)', 'nested')).toBe(false);
    expect(locationsMatch('', 'PERU', 'nested')).toBe(false);
  });

  it('joins a report at the city with one in the country, which the gold keeps apart, and scores that', () => {
    const records = [
      message('A', [incident('"JUAN PEREZ"')]),
      message('B', [incident('"JUAN PEREZ"')]),
      message('C', [incident('"JUAN PEREZ"', { 'INCIDENT: LOCATION': 'PERU' })]), // the same victim, the country only
      message('D', [incident('"JUAN PEREZ"', { 'INCIDENT: LOCATION': 'PERU: CUZCO (CITY)' })]), // another city
    ];
    expect([...muc4GoldPairs(records)]).toEqual([pairKey('A', 'B')]);
    // C joins A and B; through C, D joins too (one component): 6 pairs, 1 of them gold.
    expect(muc4GoldPairs(records, { locations: 'nested' }).size).toBe(6);
    const ref = muc4ReferenceScore(records);
    expect(ref.merge_precision).toEqual({ value: 1 / 6, n: 6 });
    expect(ref.merge_recall).toEqual({ value: 1, n: 1 });
  });
});

describe('scoreMerges', () => {
  it('computes pair precision and recall', () => {
    const gold = new Set([pairKey('A', 'B'), pairKey('A', 'C'), pairKey('B', 'C')]);
    const groups = mergeGroupsFromJsonl(
      [
        JSON.stringify({ sources: [{ article_id: 'A' }, { article_id: 'B' }, { article_id: 'E' }] }),
        JSON.stringify({ sources: [{ article_id: 'C' }] }),
        '',
      ].join('\n'),
    );
    expect(groups).toEqual([['A', 'B', 'E'], ['C']]);
    const m = scoreMerges(gold, groups);
    // predicted pairs AB, AE, BE; one of them is gold.
    expect(m.merge_precision).toEqual({ value: 1 / 3, n: 3 });
    expect(m.merge_recall).toEqual({ value: 1 / 3, n: 3 });
  });
});
