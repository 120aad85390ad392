import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  gtdWeaponClass,
  kindOfSet,
  muc4Countries,
  parseAcledDate,
  parseAcledRow,
  parseGtdRow,
  parseMuc4Row,
  readGoldFile,
  setNameFromPath,
} from '../../src/eval/gold.js';

describe('set names', () => {
  it('come from the file name without the split suffix', () => {
    expect(setNameFromPath('/x/y/acled-mali.dev.jsonl')).toBe('acled-mali');
    expect(setNameFromPath('gtd.dev.jsonl')).toBe('gtd');
    expect(setNameFromPath('muc4.test.jsonl')).toBe('muc4');
    expect(setNameFromPath('acled-global.jsonl')).toBe('acled-global');
  });

  it('tell the kind of set by prefix', () => {
    expect(kindOfSet('acled-global')).toBe('acled');
    expect(kindOfSet('gtd')).toBe('gtd');
    expect(kindOfSet('muc4')).toBe('muc4');
    expect(() => kindOfSet('ucdp')).toThrow(/ucdp/);
  });
});

describe('parseAcledDate', () => {
  it('reads both ACLED forms and ISO', () => {
    expect(parseAcledDate('7-Mar-19')).toBe('2019-03-07');
    expect(parseAcledDate('28-Feb-98')).toBe('1998-02-28');
    expect(parseAcledDate('2 October 2018')).toBe('2018-10-02');
    expect(parseAcledDate('2018-10-02')).toBe('2018-10-02');
  });

  it('rejects what is not a date', () => {
    expect(parseAcledDate('31 February 2019')).toBeNull();
    expect(parseAcledDate('Tuesday')).toBeNull();
    expect(parseAcledDate('')).toBeNull();
  });
});

describe('parseAcledRow', () => {
  const base = {
    event_id_cnty: 'TST12',
    event_date: '4 June 2019',
    year: '2019',
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    country: 'Mali',
    admin1: 'Northland',
    location: 'Port Alma',
    latitude: '15.5',
    longitude: '-1.25',
    fatalities: '3',
    notes: 'On 4 June, two armed groups clashed near Port Alma. 3 fatalities.',
  };

  it('builds the README input: id, notes, published = last day of the year', () => {
    const r = parseAcledRow(base);
    expect(r.input).toEqual({ id: 'TST12', text: base.notes, published: '2019-12-31' });
    expect(r.gold).toMatchObject({
      event_date: '2019-06-04',
      fatalities: 3,
      latitude: 15.5,
      longitude: -1.25,
      location: 'Port Alma',
    });
  });

  it('takes each row actor1 of _rows_actor_fields as gold actors, never the associated ones', () => {
    const r = parseAcledRow({
      ...base,
      _rows_actor_fields: [
        { actor1: 'Alpha Militia', assoc_actor_1: 'Beta Front', inter1: '3' },
        { actor1: 'Civilians (Mali)', assoc_actor_1: '', inter1: '7' },
      ],
    });
    expect(r.gold.actors).toEqual(['Alpha Militia', 'Civilians (Mali)']);
    expect(r.gold.assoc_actors).toEqual(['Beta Front']);
  });

  it('takes actor1 and actor2 when given directly, skipping empty ones', () => {
    const r = parseAcledRow({ ...base, actor1: 'Rioters (Mali)', actor2: '', assoc_actor_1: 'Students (Mali)' });
    expect(r.gold.actors).toEqual(['Rioters (Mali)']);
  });
});

describe('parseGtdRow', () => {
  const base = {
    eventid: 201901010001,
    iyear: 2019,
    imonth: 1,
    country_txt: 'Testland',
    provstate: 'Northland',
    city: 'Port Alma',
    summary: '01/01/2019: Unknown assailants attacked a checkpoint in Port Alma.',
    gname: 'Alpha Front',
    weaptype1_txt: 'Firearms',
    nkill: 2,
    nwound: '',
  };

  it('uses eventid as a string and the summary as text, without a published date', () => {
    const r = parseGtdRow(base);
    expect(r.id).toBe('201901010001');
    expect(r.input).toEqual({ id: '201901010001', text: base.summary });
  });

  it('reads empty counts as unknown (null), numeric strings as numbers', () => {
    expect(parseGtdRow(base).gold.nwound).toBeNull();
    expect(parseGtdRow({ ...base, nkill: '0' }).gold.nkill).toBe(0);
    expect(parseGtdRow({ ...base, nkill: '' }).gold.nkill).toBeNull();
  });

  it('turns "Unknown" place, group and weapon into null, and month 0 into null', () => {
    const g = parseGtdRow({ ...base, provstate: 'Unknown', city: 'Unknown', gname: 'Unknown', weaptype1_txt: 'Unknown', imonth: 0 }).gold;
    expect(g).toMatchObject({ provstate: null, city: null, gname: null, weapon: null, month: null });
  });
});

describe('gtdWeaponClass', () => {
  it('uses the lower-cased first word, with the rare classes as "other"', () => {
    expect(gtdWeaponClass('Explosives')).toBe('explosives');
    expect(gtdWeaponClass('Vehicle (not to include vehicle-borne explosives)')).toBe('vehicle');
    expect(gtdWeaponClass('Sabotage Equipment')).toBe('other');
    expect(gtdWeaponClass('Fake Weapons')).toBe('other');
    expect(gtdWeaponClass('Biological')).toBe('other');
    expect(gtdWeaponClass('Radiological')).toBe('other');
    expect(gtdWeaponClass('Unknown')).toBeNull();
  });
});

describe('MUC-4', () => {
  it('reads the country part of INCIDENT: LOCATION', () => {
    expect(muc4Countries('PERU: LIMA (CITY)')).toEqual(['PERU']);
    expect(muc4Countries('EL SALVADOR')).toEqual(['EL SALVADOR']);
    expect(muc4Countries('(CHILE: SANTIAGO (CITY)) / (CHILE: VALPARAISO (CITY))')).toEqual(['CHILE']);
    expect(muc4Countries('? BOLIVIA')).toEqual(['BOLIVIA']);
    expect(muc4Countries('ECUADOR / PERU')).toEqual(['ECUADOR', 'PERU']);
    expect(muc4Countries('*')).toEqual([]);
  });

  it('is positive only when a template has a real incident type', () => {
    const slot = (type: string) => ({ 'INCIDENT: TYPE': type, 'INCIDENT: LOCATION': 'PERU: LIMA (CITY)' });
    expect(parseMuc4Row({ message_id: 'M1', text: 'X', templates: [slot('*')] }).gold.positive).toBe(false);
    expect(parseMuc4Row({ message_id: 'M2', text: 'X', templates: [slot('-'), slot('')] }).gold.positive).toBe(false);
    const yes = parseMuc4Row({ message_id: 'M3', text: 'X', templates: [slot('*'), slot('BOMBING')] });
    expect(yes.gold.positive).toBe(true);
    expect(yes.gold.incidents).toHaveLength(1);
    expect(yes.gold.countries).toEqual(['PERU']);
    expect(yes.input).toEqual({ id: 'M3', text: 'X' });
  });
});

describe('readGoldFile', () => {
  it('reads JSONL, skips blank lines, applies limit and an explicit set name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-gold-'));
    const file = join(dir, 'mine.jsonl');
    const row = (id: string) => JSON.stringify({ message_id: id, text: 'T', templates: [] });
    writeFileSync(file, `${row('A')}\n\n${row('B')}\n${row('C')}\n`);
    const set = readGoldFile(file, { set: 'muc4', limit: 2 });
    expect(set.kind).toBe('muc4');
    expect(set.name).toBe('muc4');
    expect(set.records.map((r) => r.id)).toEqual(['A', 'B']);
  });

  it('names the line that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-gold-'));
    const file = join(dir, 'gtd.dev.jsonl');
    writeFileSync(file, '{"eventid": 1}\nnot json\n');
    expect(() => readGoldFile(file)).toThrow(/line 2/);
  });
});
