import { describe, expect, it } from 'vitest';
import { addDays, annotateDates, timePrecision } from '../../src/annotate/dates.js';
import type { DateMention } from '../../src/core/types.js';

/** The one mention whose text is `phrase` (fails when there is none or several). */
function find(mentions: DateMention[], phrase: string): DateMention {
  const hits = mentions.filter((m) => m.text === phrase);
  expect(hits.map((m) => m.text)).toEqual([phrase]);
  return hits[0]!;
}

function one(text: string, published?: string | null): DateMention {
  const all = annotateDates(text, published);
  expect(all.map((m) => m.text)).toHaveLength(1);
  return all[0]!;
}

describe('helpers', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(addDays('2023-01-12', -2)).toBe('2023-01-10');
    expect(() => addDays('12/01/2020', 1)).toThrow();
  });

  it('maps granularity to ACLED time_precision', () => {
    const base: DateMention = { start: 0, end: 1, text: 'x', date: '2020-01-01', end_date: null, granularity: 'day', kind: 'absolute', year_stated: true, approximate: false };
    expect(timePrecision(base)).toBe(1);
    expect(timePrecision({ ...base, granularity: 'week' })).toBe(2);
    expect(timePrecision({ ...base, granularity: 'month' })).toBe(3);
    expect(timePrecision({ ...base, granularity: 'year' })).toBeNull();
    // ACLED codes "around <day>" as week precision.
    expect(timePrecision({ ...base, approximate: true })).toBe(2);
  });
});

describe('weekdays and casual days', () => {
  it('resolves a bare weekday to the most recent such day on or before the anchor', () => {
    // 2023-01-12 is a Thursday.
    const tue = one('Gunmen attacked the post on Tuesday, officials said.', '2023-01-12');
    expect(tue).toMatchObject({ text: 'Tuesday', date: '2023-01-10', granularity: 'day', kind: 'relative', year_stated: false });
    expect(timePrecision(tue)).toBe(1);
    expect(one('The convoy was hit on Thursday.', '2023-01-12').date).toBe('2023-01-12');
    expect(one('Shops reopened on Saturday.', '2023-01-12').date).toBe('2023-01-07');
  });

  it('reads "last" and "next" before a weekday', () => {
    expect(one('He was seized last Thursday.', '2023-01-12').date).toBe('2023-01-05');
    expect(one('Talks resume next Monday.', '2023-01-12').date).toBe('2023-01-16');
  });

  it('leaves relative dates unresolved without an anchor', () => {
    const m = one('Militants attacked a checkpoint on Tuesday.', null);
    expect(m).toMatchObject({ text: 'Tuesday', date: null, kind: 'relative' });
    expect(one('The market burned yesterday.').date).toBeNull();
  });

  it('resolves yesterday, today, last night, this morning and weekday nights', () => {
    const all = annotateDates('Shelling resumed last night. Yesterday a bus was hit; on Sunday night a mosque burned. Early this morning troops arrived.', '2023-01-12');
    expect(find(all, 'last night').date).toBe('2023-01-11');
    expect(find(all, 'Yesterday').date).toBe('2023-01-11');
    expect(find(all, 'Sunday night').date).toBe('2023-01-08');
    expect(find(all, 'this morning').date).toBe('2023-01-12');
    expect(one('The day before yesterday a patrol vanished.', '2023-01-12').date).toBe('2023-01-10');
  });

  it('does not read abbreviations such as "sat" or "sun" as weekdays', () => {
    expect(annotateDates('The guards sat in the sun near the wed couple.', '2023-01-12')).toEqual([]);
  });
});

describe('calendar dates', () => {
  it('reads full dates in several styles', () => {
    const all = annotateDates('It began on 29 December 2020, was noted on 29 Dec. 2020 and on December 29, 2020 (2020-12-29).');
    for (const t of ['29 December 2020', '29 Dec. 2020', 'December 29, 2020', '2020-12-29']) {
      expect(find(all, t)).toMatchObject({ date: '2020-12-29', granularity: 'day', kind: 'absolute', year_stated: true, approximate: false });
    }
  });

  it('resolves a day and month without a year to the latest one on or before the anchor', () => {
    expect(one('On December 7, soldiers clashed with rebels.', '2020-12-31')).toMatchObject({ text: 'December 7', date: '2020-12-07', year_stated: false, kind: 'absolute' });
    expect(one('On 7 December, soldiers clashed.', '2020-12-31').date).toBe('2020-12-07');
    expect(one('Fighting on January 3 left two dead.', '2020-01-02').date).toBe('2019-01-03');
    expect(one('ON 4 JANUARY THE ARMY ATTACKED.', '1990-01-20')).toMatchObject({ text: '4 JANUARY', date: '1990-01-04' });
    expect(one('On December 7, soldiers clashed.', null).date).toBeNull();
  });

  it('uses a stated weekday to choose between this year and the last', () => {
    // 11 November 2022 was a Friday; 11 November 2021 a Thursday.
    expect(one('on Thursday 11 November', '2023-01-12').date).toBe('2021-11-11');
    expect(one('on Friday 11 November', '2023-01-12').date).toBe('2022-11-11');
  });

  it('reads GTD-style month/day/year at the start of a line', () => {
    expect(one('09/01/2016: Assailants attacked a police post.')).toMatchObject({ text: '09/01/2016', date: '2016-09-01', year_stated: true });
    expect(one('25/12/2019: day first when the first number cannot be a month').date).toBe('2019-12-25');
    expect(one('31.12.2020 in dotted form').date).toBe('2020-12-31');
  });

  it('marks approximate dates and widens "(week of)"', () => {
    const m = one('Around 9 May 2020 (as reported), villagers were attacked.');
    expect(m).toMatchObject({ text: '9 May 2020', date: '2020-05-09', granularity: 'day', approximate: true });
    expect(timePrecision(m)).toBe(2);
    expect(one('Around 30 April 2020 (week of), a camp was raided.')).toMatchObject({ granularity: 'week', approximate: true });
    expect(one('On 9 May 2020, villagers were attacked.').approximate).toBe(false);
  });
});

describe('ranges', () => {
  it('reads day ranges with start and end', () => {
    expect(one('Clashes went on from 1 to 5 March 2020 near the border.')).toMatchObject({ date: '2020-03-01', end_date: '2020-03-05', year_stated: true });
    expect(one('Clashes went on between 1 and 5 March.', '2020-12-31')).toMatchObject({ date: '2020-03-01', end_date: '2020-03-05', year_stated: false });
    expect(one('Raids (12-14 May) were reported.', '2020-12-31')).toMatchObject({ text: '12-14 May', date: '2020-05-12', end_date: '2020-05-14' });
    expect(one('between 30 November - 2 December 2020')).toMatchObject({ date: '2020-11-30', end_date: '2020-12-02' });
    expect(one('May 3-5, 2020')).toMatchObject({ date: '2020-05-03', end_date: '2020-05-05' });
  });

  it('carries a range across the new year', () => {
    expect(one('Fighting from 30 December to 2 January', '2021-01-04')).toMatchObject({ date: '2020-12-30', end_date: '2021-01-02' });
  });

  it('codes the night of 3 to 4 May as its first day', () => {
    expect(one('On the night of 3 to 4 May 2020, a village was burned.')).toMatchObject({ date: '2020-05-03', end_date: null, granularity: 'day' });
    expect(one('on the night of 8 June, shots were heard', '2021-12-31').date).toBe('2021-06-08');
  });
});

describe('weeks, months and years', () => {
  it('codes last week as the middle of the previous week', () => {
    const m = one('The post was attacked last week.', '2023-01-12');
    expect(m).toMatchObject({ date: '2023-01-04', granularity: 'week' });
    expect(timePrecision(m)).toBe(2);
    expect(one('a week ago', '2023-01-12')).toMatchObject({ date: '2023-01-05', granularity: 'week' });
    expect(one('over the weekend', '2023-01-12')).toMatchObject({ date: '2023-01-07', granularity: 'week' });
  });

  it('codes this month at mid-month but never after the anchor', () => {
    expect(one('Earlier this month, rebels took the town.', '2023-01-12')).toMatchObject({ date: '2023-01-12', granularity: 'month' });
    expect(one('Earlier this month, rebels took the town.', '2023-01-28')).toMatchObject({ date: '2023-01-15', granularity: 'month' });
    expect(one('early this month', '2023-01-28')).toMatchObject({ date: '2023-01-01', granularity: 'month' });
    expect(one('last month', '2023-01-12')).toMatchObject({ date: '2022-12-15', granularity: 'month' });
    expect(one('at the end of last month', '2023-01-12')).toMatchObject({ date: '2022-12-31', granularity: 'month' });
  });

  it('codes parts of a named month', () => {
    expect(one('in early May', '2020-12-31')).toMatchObject({ text: 'early May', date: '2020-05-01', granularity: 'month' });
    expect(one('by the end of May', '2020-12-31')).toMatchObject({ date: '2020-05-31', granularity: 'month' });
    expect(one('in mid-May 2019')).toMatchObject({ date: '2019-05-15', granularity: 'week', year_stated: true });
    expect(one('in late March 2017')).toMatchObject({ date: '2017-03-20', granularity: 'week' });
  });

  it('codes a month with or without a year', () => {
    expect(one('Attacks rose in May 2020.')).toMatchObject({ text: 'May 2020', date: '2020-05-15', granularity: 'month', year_stated: true });
    expect(one('Attacks rose in March.', '2020-12-31')).toMatchObject({ text: 'March', date: '2020-03-15', granularity: 'month' });
    expect(one('Attacks rose in January.', '2020-01-10').date).toBe('2020-01-10');
  });

  it('codes a bare year as year granularity', () => {
    const since = one('The group has operated in the area since 2012.');
    expect(since).toMatchObject({ text: '2012', date: '2012-07-01', granularity: 'year', year_stated: true });
    expect(timePrecision(since)).toBeNull();
    expect(one('in 2012').granularity).toBe('year');
    expect(one('from 2012 to 2014')).toMatchObject({ date: '2012-07-01', end_date: '2014-07-01' });
    expect(annotateDates('in the 1990s and the early 1980s')).toEqual([]);
    expect(one('two years ago', '2023-01-12')).toMatchObject({ date: '2021-07-01', granularity: 'year', kind: 'relative' });
  });
});

describe('anchors and datelines', () => {
  it('reads a MUC-style dateline and anchors relative dates to it', () => {
    const text = 'DEV-MUC3-0000 (TEST)\n\n   SAN SALVADOR, 4 JAN 90 -- [TEXT] GUERRILLAS LAST NIGHT ATTACKED A POWER STATION. TODAY THE ARMY SAID ...';
    const all = annotateDates(text);
    expect(find(all, '4 JAN 90')).toMatchObject({ date: '1990-01-04', kind: 'dateline', year_stated: true });
    expect(find(all, 'LAST NIGHT').date).toBe('1990-01-03');
    expect(find(all, 'TODAY').date).toBe('1990-01-04');
  });

  it('reads agency datelines and two-digit years', () => {
    expect(annotateDates('BOGOTA, 28 MAY 89 (EFE) -- [TEXT] POLICE SAID.')[0]).toMatchObject({ text: '28 MAY 89', date: '1989-05-28', kind: 'dateline' });
    expect(annotateDates('BAMAKO, 12 January 2023 (AFP) - Gunmen struck on Tuesday.').map((m) => [m.text, m.date])).toEqual([
      ['12 January 2023', '2023-01-12'],
      ['Tuesday', '2023-01-10'],
    ]);
    expect(annotateDates('LIMA, 3 FEB 05 -- [TEXT] X')[0]!.date).toBe('2005-02-03');
  });

  it('resolves a yearless dateline with the publication date only', () => {
    const text = 'MOGADISHU, March 3 (Reuters) - A car bomb exploded on Monday.';
    expect(annotateDates(text).map((m) => m.date)).toEqual([null, null]);
    const withPub = annotateDates(text, '2023-03-03');
    expect(withPub[0]).toMatchObject({ text: 'March 3', date: '2023-03-03', kind: 'dateline' });
    expect(withPub[1]).toMatchObject({ text: 'Monday', date: '2023-02-27' });
  });

  it('prefers the publication date to the dateline', () => {
    expect(annotateDates('BAMAKO, 12 January 2023 (AFP) - Gunmen struck yesterday.', '2023-01-20')[1]!.date).toBe('2023-01-19');
  });

  it('falls back to the first full date in the text', () => {
    const all = annotateDates('On 5 March 2021 soldiers were deployed. The day before, on Thursday, rebels had attacked.');
    expect(find(all, '5 March 2021').date).toBe('2021-03-05');
    expect(find(all, 'Thursday').date).toBe('2021-03-04');
  });
});

describe('false dates', () => {
  it('does not read the verb may or the noun march as months', () => {
    expect(annotateDates('Officials said more people may be dead. A march was held.', '2020-12-31')).toEqual([]);
    expect(annotateDates('THE VICTIMS MAY HAVE BEEN TAKEN. THE MARCH ENDED PEACEFULLY.', '1990-01-04')).toEqual([]);
    expect(annotateDates('10 MAY HAVE DIED', '1990-01-04')).toEqual([]);
  });

  it('does not read counts, calibres, ages, times or durations as dates', () => {
    expect(annotateDates('10 soldiers with an AK-47 killed a 15-year-old at 10 pm; fighting lasted for three days.', '2020-12-31')).toEqual([]);
    expect(annotateDates('The next day, a few hours later, the score was 3/4.', '2020-12-31')).toEqual([]);
  });

  it('does not read a group named after a date as a date', () => {
    expect(annotateDates('MEMBERS OF THE 19 APRIL MOVEMENT', '1990-01-04')).toEqual([]);
  });
});

describe('output shape', () => {
  it('returns non-overlapping mentions in text order with exact text', () => {
    const text = 'BAMAKO, 12 January 2023 (AFP) - On Tuesday, between 1 and 5 January and since 2012, last week and in late December.';
    const all = annotateDates(text);
    expect(all.length).toBe(6);
    for (let k = 0; k < all.length; k++) {
      expect(text.slice(all[k]!.start, all[k]!.end)).toBe(all[k]!.text);
      if (k > 0) expect(all[k]!.start).toBeGreaterThanOrEqual(all[k - 1]!.end);
    }
  });

  it('keeps offsets right when lower-casing changes a character length', () => {
    const text = 'İSTANBUL, 3 May 2021 (AFP) - On Tuesday police arrived.';
    const all = annotateDates(text);
    for (const m of all) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(all.map((m) => m.text)).toEqual(['3 May 2021', 'Tuesday']);
  });
});

describe('datelines that name the country', () => {
  it('reads "GAO, Mali, May 4 (Reuters) -" as a dateline, so "on Monday" is the day before', async () => {
    const { annotateDates } = await import('../../src/annotate/dates.js');
    const text = 'GAO, Mali, May 4 (Reuters) - Gunmen killed five soldiers near Ansongo on Monday, the army said.';
    const ds = annotateDates(text, '2021-05-04');
    expect(ds[0]).toMatchObject({ text: 'May 4', kind: 'dateline', date: '2021-05-04' });
    expect(ds.find((d) => d.text === 'Monday')?.date).toBe('2021-05-03');
  });
});

describe('a count after the day is not a two-digit year', () => {
  it('reads "On February 26, 17 villagers were killed" as 26 February with no year', async () => {
    const { annotateDates } = await import('../../src/annotate/dates.js');
    const ds = annotateDates('On February 26, 17 villagers were killed near the river.', '2019-12-31');
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ text: 'February 26', date: '2019-02-26', year_stated: false });
  });
});
