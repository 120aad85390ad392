import { describe, expect, it } from 'vitest';
import { annotateQuantities, isPersonNoun, isPersonSingular } from '../../src/annotate/quantities.js';
import type { Quantity } from '../../src/core/types.js';

/** The quantities as compact tuples: [text, value, high, qualifier]. */
function q(text: string): [string, number | null, number | null, string][] {
  return annotateQuantities(text).map((x) => [x.text, x.value, x.high, x.qualifier]);
}

function only(text: string): Quantity {
  const all = annotateQuantities(text);
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe('annotateQuantities: exact numbers', () => {
  it('reads digits and number words', () => {
    expect(q('Gunmen killed 14 herders and wounded three others.')).toEqual([
      ['14', 14, null, 'exact'],
      ['three', 3, null, 'exact'],
    ]);
  });

  it('reads compound number words', () => {
    expect(q('twenty-one soldiers')).toEqual([['twenty-one', 21, null, 'exact']]);
    expect(q('thirty five villagers')).toEqual([['thirty five', 35, null, 'exact']]);
    expect(q('one hundred and twenty people')).toEqual([['one hundred and twenty', 120, null, 'exact']]);
    expect(q('two thousand five hundred refugees')).toEqual([['two thousand five hundred', 2500, null, 'exact']]);
    expect(q('a hundred fighters')).toEqual([['a hundred', 100, null, 'exact']]);
  });

  it('reads dozens as approximate figures', () => {
    expect(q('two dozen militants')).toEqual([['two dozen', 24, null, 'about']]);
    expect(q('a dozen police officers')).toEqual([['a dozen', 12, null, 'about']]);
    expect(q('half a dozen guards')).toEqual([['half a dozen', 6, null, 'about']]);
  });

  it('reads digit groups and scale words', () => {
    expect(q('1,200 displaced families')).toEqual([['1,200', 1200, null, 'exact']]);
    expect(q('1.5 million people')).toEqual([['1.5 million', 1_500_000, null, 'exact']]);
    expect(q('7 or 8 million voters')).toEqual([['7 or 8 million', 7_000_000, 8_000_000, 'about']]);
  });

  it('keeps offsets and text exact', () => {
    const text = 'Police said that at least 14 people died.';
    for (const x of annotateQuantities(text)) expect(text.slice(x.start, x.end)).toBe(x.text);
    expect(only(text)).toMatchObject({ start: 17, end: 28, text: 'at least 14' });
  });
});

describe('annotateQuantities: qualifiers', () => {
  it('maps lower bounds to at_least and keeps the stated figure', () => {
    expect(q('at least 14 soldiers')).toEqual([['at least 14', 14, null, 'at_least']]);
    expect(q('no fewer than 9 guards')).toEqual([['no fewer than 9', 9, null, 'at_least']]);
    expect(q('more than 20 civilians')).toEqual([['more than 20', 20, null, 'at_least']]);
    expect(q('over 20 students')).toEqual([['over 20', 20, null, 'at_least']]);
    expect(q('upwards of 40 miners')).toEqual([['upwards of 40', 40, null, 'at_least']]);
    expect(q('30 or more traders')).toEqual([['30 or more', 30, null, 'at_least']]);
  });

  it('maps upper bounds to at_most', () => {
    expect(q('up to 30 detainees')).toEqual([['up to 30', 30, null, 'at_most']]);
    expect(q('at most five wounded')).toEqual([['at most five', 5, null, 'at_most']]);
    expect(q('fewer than 10 people')).toEqual([['fewer than 10', 10, null, 'at_most']]);
    expect(q('less than 10 people')).toEqual([['less than 10', 10, null, 'at_most']]);
    expect(q('no more than 6 guards')).toEqual([['no more than 6', 6, null, 'at_most']]);
  });

  it('maps estimates to about', () => {
    for (const w of ['nearly', 'almost', 'about', 'around', 'approximately', 'some', 'roughly', 'an estimated']) {
      expect(q(`${w} 30 people fled`)).toEqual([[`${w} 30`, 30, null, 'about']]);
    }
  });

  it('reads ranges as value/high with qualifier about', () => {
    expect(q('between 10 and 15 villagers')).toEqual([['between 10 and 15', 10, 15, 'about']]);
    expect(q('10 to 15 gunmen')).toEqual([['10 to 15', 10, 15, 'about']]);
    expect(q('10-15 militants')).toEqual([['10-15', 10, 15, 'about']]);
    expect(q('two or three herders')).toEqual([['two or three', 2, 3, 'about']]);
    expect(q('about 30-40 villagers')).toEqual([['about 30-40', 30, 40, 'about']]);
  });

  it('keeps "from X to Y" as two figures, not a range', () => {
    expect(q('the toll rose from 12 to 19')).toEqual([
      ['12', 12, null, 'exact'],
      ['19', 19, null, 'exact'],
    ]);
  });
});

describe('annotateQuantities: vague and unknown counts', () => {
  it('counts vague plurals the ACLED way', () => {
    expect(annotateQuantities('dozens of people')[0]).toMatchObject({ text: 'dozens', value: 12, qualifier: 'vague', vague: 'dozens' });
    expect(annotateQuantities('tens of protesters')[0]).toMatchObject({ value: 10, vague: 'tens' });
    expect(annotateQuantities('hundreds were displaced')[0]).toMatchObject({ value: 100, vague: 'hundreds' });
    expect(annotateQuantities('thousands of residents')[0]).toMatchObject({ value: 1000, vague: 'thousands' });
    expect(annotateQuantities('scores of people')[0]).toMatchObject({ value: 20, vague: 'scores' });
    expect(annotateQuantities('tens of thousands fled')[0]).toMatchObject({ text: 'tens of thousands', value: 10000 });
  });

  it('counts several/many/few only before a person noun', () => {
    expect(annotateQuantities('several soldiers were hurt')[0]).toMatchObject({ text: 'several', value: 3, qualifier: 'vague', vague: 'several' });
    expect(annotateQuantities('many of the villagers')[0]).toMatchObject({ text: 'many', value: 3, vague: 'many' });
    expect(annotateQuantities('a few armed men')[0]).toMatchObject({ text: 'a few', value: 3, vague: 'a few' });
    expect(annotateQuantities('numerous civilians')[0]).toMatchObject({ value: 3, vague: 'numerous' });
    expect(annotateQuantities('some of the residents left')[0]).toMatchObject({ text: 'some', vague: 'some' });
    expect(q('some reports said the road was cut')).toEqual([]);
    expect(q('several vehicles were burnt')).toEqual([]);
    expect(q('how many people')).toEqual([]);
  });

  it('reads vague scales with a count word', () => {
    expect(annotateQuantities('several hundred workers')[0]).toMatchObject({ text: 'several hundred', value: 100, qualifier: 'vague' });
    expect(annotateQuantities('a few dozen fighters')[0]).toMatchObject({ text: 'a few dozen', value: 12 });
  });

  it('reads an unknown number as value null', () => {
    for (const adj of ['unknown', 'undetermined', 'unspecified']) {
      expect(only(`an ${adj} number of assailants were killed`)).toMatchObject({ text: `an ${adj} number`, value: null, qualifier: 'unknown' });
    }
  });
});

describe('annotateQuantities: one person', () => {
  it('marks the article before a person noun, covering only the article', () => {
    expect(only('a customs officer was shot')).toMatchObject({ start: 0, end: 1, text: 'a', value: 1, qualifier: 'exact', indefinite: true });
    expect(only('They killed an elderly man.')).toMatchObject({ text: 'an', value: 1, indefinite: true });
    expect(only('a 15-year-old boy died')).toMatchObject({ text: 'a', value: 1, indefinite: true });
    expect(only('another soldier was wounded')).toMatchObject({ text: 'another', value: 1, indefinite: true });
    expect(only('one person was killed')).toMatchObject({ text: 'one', value: 1, qualifier: 'exact', indefinite: true });
  });

  it('ignores articles before things and noun modifiers', () => {
    expect(q('a car bomb exploded near a market')).toEqual([]);
    expect(q('they uncovered a terrorist plan')).toEqual([]);
    expect(q('a guard post was burnt')).toEqual([]);
    expect(q('a civilian vehicle hit a mine')).toEqual([]);
    expect(q('an Afghan National Army base')).toEqual([]);
    expect(q('a prisoner exchange')).toEqual([]);
  });

  it('does not count "no one" or "one another"', () => {
    expect(q('no one was hurt')).toEqual([]);
    expect(q('they blamed one another')).toEqual([]);
  });
});

describe('annotateQuantities: upper-case wire copy', () => {
  it('works in capitals', () => {
    expect(q('AT LEAST 14 PEOPLE DIED AND THREE SOLDIERS WERE WOUNDED')).toEqual([
      ['AT LEAST 14', 14, null, 'at_least'],
      ['THREE', 3, null, 'exact'],
    ]);
    expect(only('A POLICEMAN WAS KILLED')).toMatchObject({ text: 'A', indefinite: true });
    expect(annotateQuantities('SEVERAL PEASANTS WERE KIDNAPPED')[0]).toMatchObject({ vague: 'several' });
  });
});

describe('annotateQuantities: numbers that are not head counts', () => {
  it('skips years unless a person noun follows', () => {
    expect(q('violence has grown since 2012')).toEqual([]);
    expect(q('between 2015 and 2018 the area was calm')).toEqual([]);
    expect(q('1990 people signed')).toEqual([['1990', 1990, null, 'exact']]);
  });

  it('skips dates, times and list markers', () => {
    expect(q('On 29 December 2020, nothing happened')).toEqual([]);
    expect(q('BOGOTA, 4 JAN 90 -- [TEXT]')).toEqual([]);
    expect(q('on December 7, 2019')).toEqual([]);
    expect(q('between 12 and 14 May')).toEqual([]);
    expect(q('from 12-14 May')).toEqual([]);
    expect(q('at 10:30 and at 9 pm and 9 p.m.')).toEqual([]);
    expect(q('THE BOMB WENT OFF AT 1810 (2210 GMT)')).toEqual([]);
    expect(q('a curfew between 1800 and 0600')).toEqual([]);
    expect(q('2020-12-29 and 09/01/2016')).toEqual([]);
    expect(q('The rebels demand:\n1. a ceasefire\n2. talks')).toEqual([]);
  });

  it('skips ordinals, percentages, money, distances and durations', () => {
    expect(q('the 2nd battalion and the 1st brigade')).toEqual([]);
    expect(q('prices rose 20% or 20 percent')).toEqual([]);
    expect(q('a ransom of $5000 and 3 million CFA francs')).toEqual([]);
    expect(q('15 km from the town and 3 miles away')).toEqual([]);
    expect(q('fighting lasted three days and 10 hours')).toEqual([]);
    expect(q('a 120 mm mortar')).toEqual([]);
    expect(q('hundreds of kilometres away')).toEqual([]);
  });

  it('skips calibres, model numbers and ids', () => {
    expect(q('armed with an AK-47 and an M-16')).toEqual([]);
    expect(q('a Mi-24 helicopter and the G5 force')).toEqual([]);
    expect(q('DEV-MUC3-0183 (NCCOSC)')).toEqual([]);
    expect(q('I.D. CARD NO. 4303361')).toEqual([]);
    expect(q('near Route 16 and kilometre 35')).toEqual([]);
  });

  it('reads "may" before a verb as the modal, not a month', () => {
    expect(q('10 may have died')).toEqual([['10', 10, null, 'exact']]);
  });

  it('returns non-overlapping quantities in text order', () => {
    const all = annotateQuantities('At least 3 soldiers, dozens of civilians and a teacher died; about 40 fled.');
    for (let k = 1; k < all.length; k++) expect(all[k]!.start).toBeGreaterThanOrEqual(all[k - 1]!.end);
    expect(all.map((x) => x.text)).toEqual(['At least 3', 'dozens', 'a', 'about 40']);
  });
});

describe('annotateQuantities: ranges with "to", "both", person nouns', () => {
  it('reads "between 2 to 4" as a range', () => {
    expect(q('killing between 2 to 4 fighters')).toEqual([['between 2 to 4', 2, 4, 'about']]);
  });

  it('reads "both" before people as two, but not when it joins two groups', () => {
    expect(q('both guards were killed')).toEqual([['both', 2, null, 'exact']]);
    expect(q('both attackers and a guard died')).toEqual([
      ['both', 2, null, 'exact'],
      ['a', 1, null, 'exact'],
    ]);
    expect(q('both soldiers and civilians fled')).toEqual([]);
    expect(q('both sides lost men')).toEqual([]);
  });

  it('knows singular and plural person nouns', () => {
    expect(isPersonNoun('bodyguards')).toBe(true);
    expect(isPersonNoun('villagers')).toBe(true);
    expect(isPersonNoun('vehicles')).toBe(false);
    expect(isPersonSingular('apprentice')).toBe(true);
    expect(isPersonSingular('apprentices')).toBe(false);
  });
});
