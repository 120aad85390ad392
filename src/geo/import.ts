/**
 * Imported gazetteers: GeoNames country dumps (the 19-column `geoname` table, e.g. ML.txt) and the
 * admin-name files `admin1CodesASCII.txt` / `admin2Codes.txt`, read strictly and kept in the data
 * directory so that villages and second-level units (cercles, provinces, departments) resolve.
 *
 * The store is one JSON file, `DIR/gazetteer/imported.json`, in columnar form (one array per field,
 * like the town table in gazetteer.ts) with the folded lookup keys computed at import time: every
 * command loads it at start-up, and parsing flat arrays is several times faster than parsing one
 * object per place. Beside it, `admin-names.json` keeps every admin name imported, for all countries
 * (47,540 second-level names are 2.8 MB that no command needs at start-up; the store keeps only its
 * own countries' share), and `manifest.json` records what was imported and when.
 *
 * Import is all or nothing: every file is parsed and checked before anything is written, and the
 * files are replaced by writing temporary files and renaming them over the old ones.
 *
 * Data: GeoNames (https://www.geonames.org/), CC BY 4.0.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError, type Place } from '../core/types.js';
import { loadAdmin1Shapes } from './admin1-shapes.js';
import { countryByIso2, foldKey } from './countries.js';
import { dataDir, ensureGazetteerDir, gazetteerDir } from './datadir.js';

// ---------------------------------------------------------------- types

/** One populated place or administrative unit from a GeoNames country dump. */
export interface ImportedPlace {
  id: number;
  name: string;
  asciiname: string;
  /** The alternatenames column, without codes, links, over-long entries and names in non-Latin scripts. */
  alternates: string[];
  lat: number;
  lon: number;
  /** "P" (populated place) or "A" (administrative unit). */
  featureClass: string;
  /** "PPL", "PPLA2", ..., or "ADM1" / "ADM2" / "ADM3". */
  featureCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  admin1Code: string;
  admin2Code: string;
  population: number;
}

/** One row of admin1CodesASCII.txt or admin2Codes.txt. */
export interface AdminEntry {
  name: string;
  asciiname: string;
  geonameid: number;
}

export type GeonamesFileKind = 'dump' | 'admin1' | 'admin2';

/** What one imported file contributed. */
export interface FileSummary {
  /** The path as given. */
  file: string;
  kind: GeonamesFileKind;
  sha256: string;
  bytes: number;
  /** Non-empty lines read. */
  lines: number;
  /** Places kept (dumps) or names read (admin files). */
  rows: number;
  /** Places kept per country (dumps) or names per country (admin files). */
  countries: Record<string, number>;
}

export interface ImportSummary {
  files: FileSummary[];
  /** Places in the store after the import. */
  places: number;
  /** Countries in the store after the import, sorted. */
  countries: string[];
  /** Admin names kept after the import (all countries). */
  adminNames: { admin1: number; admin2: number };
  /** Where the store was written. */
  store: string;
}

/** The places of the store in memory: parallel arrays, one entry per place ("row"). */
export interface ImportedColumns {
  id: number[];
  name: string[];
  asciiname: string[];
  /** Each place's alternates joined by commas (GeoNames' own separator: a name never holds one). */
  alternates: string[];
  lat: number[];
  lon: number[];
  featureClass: string[];
  featureCode: string[];
  country: string[];
  admin1: string[];
  admin2: string[];
  population: number[];
  /**
   * Each place's distinct folded keys (`foldKey` of name, asciiname and alternates; units also without
   * "Cercle", "Province"...), joined by "|" (folded keys hold only a-z, 0-9 and spaces). Computed at import.
   */
  keys: string[];
}

/** Admin names from admin1CodesASCII.txt / admin2Codes.txt: code "CC.A1" or "CC.A1.A2", name, ascii name, geonameid. */
export interface AdminColumns {
  code: string[];
  name: string[];
  asciiname: string[];
  geonameid: number[];
}

export interface ImportedStore extends Readonly<ImportedColumns> {
  /** Admin names of the store's countries (all countries' names are kept in admin-names.json). */
  admin: Readonly<AdminColumns>;
  /** Where it was read from. */
  path: string;
  /** Number of places. */
  size: number;
  /** Countries present, sorted. */
  countries: string[];
  /** Name of a first-level unit ("Mopti"), from admin1CodesASCII.txt or else the dump's ADM1 row. */
  admin1Name(country: string, code: string): string | undefined;
  /** Name of a second-level unit ("Tenenkou"), from admin2Codes.txt or else the dump's ADM2 row. */
  admin2Name(country: string, admin1: string, admin2: string): string | undefined;
  /** Rows whose names fold to `key` (see `foldKey`), in store order. */
  rowsForKey(key: string): readonly number[];
  /** A row's folded keys (its `keys` entry split). */
  keysOf(row: number): string[];
  alternatesOf(row: number): string[];
  /**
   * The row as a `Place`: P rows are towns (id "geonames:ID", as the built-in towns), ADM1 rows
   * admin1 units (id "admin1:CC.A1", as the built-in units), ADM2 rows admin2 units ("admin2:CC.A1.A2"),
   * ADM3 rows (communes, departments) towns. Null for a country code `countries.ts` does not know.
   */
  placeOf(row: number): Place | null;
}

interface ManifestFile extends FileSummary {
  name: string;
  path: string;
  imported_at: string;
}

export interface Manifest {
  version: number;
  updated_at: string;
  store: { file: string; bytes: number; sha256: string };
  /** Places per country now in the store, and the files they came from. */
  countries: Record<string, { rows: number; files: string[]; imported_at: string }>;
  /** Admin names kept in admin-names.json (all countries); the store holds its own countries' share. */
  admin_names: { admin1: number; admin2: number };
  /** Every file ever imported into this store (one entry per content hash, the latest import). */
  files: ManifestFile[];
}

const STORE_FORMAT = 'sitrep-imported-gazetteer';
const ADMIN_FORMAT = 'sitrep-admin-names';
const STORE_VERSION = 1;
/** The places, loaded by every command. */
export const STORE_FILE = 'imported.json';
/** Every admin name ever imported, for all countries: read only by imports, so a later dump finds its names. */
export const ADMIN_FILE = 'admin-names.json';
export const MANIFEST_FILE = 'manifest.json';

const DUMP_COLUMNS = 19;
const ADMIN_COLUMNS = 4;
const MAX_ALTERNATE_LENGTH = 60;

// ---------------------------------------------------------------- reading lines

interface Line {
  /** 1-based line number in the file. */
  n: number;
  text: string;
  /** False for a last line with no newline after it. */
  terminated: boolean;
}

const lineError = (file: string, n: number, reason: string): InputError => new InputError(`${file} line ${n}`, reason);

/** Strict UTF-8: a bad byte is an error naming the file and its line, never a silent U+FFFD. */
function decodeUtf8(content: Buffer | string, file: string): string {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw badUtf8Line(content, file);
  }
}

/**
 * Find the line of the first bad byte (only called on bad input). A newline byte is never part of a
 * multi-byte UTF-8 sequence, so each line can be checked on its own.
 */
function badUtf8Line(content: Buffer, file: string): InputError {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let n = 1; start <= content.length; n++) {
    const nl = content.indexOf(0x0a, start);
    const end = nl < 0 ? content.length : nl;
    const bytes = content.subarray(start, end);
    try {
      strict.decode(bytes);
    } catch {
      const column = new TextDecoder('utf-8').decode(bytes).indexOf('\uFFFD') + 1;
      return lineError(file, n, `not valid UTF-8 (bad byte at character ${column}); GeoNames files are UTF-8`);
    }
    start = end + 1;
  }
  return new InputError(file, 'not valid UTF-8; GeoNames files are UTF-8');
}

/** Non-empty lines with their numbers; a CR before the newline (a file saved on Windows) is dropped. */
function splitLines(text: string): Line[] {
  const parts = text.split('\n');
  const lines: Line[] = [];
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    lines.push({ n: i + 1, text: line, terminated: i < parts.length - 1 });
  }
  return lines;
}

function columns(line: Line, expected: number, file: string): string[] {
  const f = line.text.split('\t');
  if (f.length !== expected) {
    const cut = !line.terminated && f.length < expected ? ' (the last line ends early: is the file truncated?)' : '';
    throw lineError(file, line.n, `expected ${expected} tab-separated columns, found ${f.length}${cut}`);
  }
  return f;
}

const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

// ---------------------------------------------------------------- country dumps

const INT = /^\d+$/;
const SIGNED_INT_OR_EMPTY = /^(?:-?\d+)?$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEPT_ADMIN = /^ADM[123]$/;
/**
 * Named sites that are not populated places but where events are reported and that news names like
 * villages: localities and areas, camps, markets, wells, waterholes, ponds, oases and ruins, and in
 * the Sahel wadis, wetlands, marshes, depressions, dunes, hills, scrubland, escarpments and named
 * stretches of seasonal streams (many a "village" of the news is a well, a locality or a pasture by a
 * wadi in GeoNames, and ACLED codes it at that feature); not whole rivers (STM, STMI), which run
 * through many districts and share their names. Their feature class.
 */
const KEPT_SITES: Record<string, string> = {
  LCTY: 'L', AREA: 'L', CMP: 'S', CMPMN: 'S', MKT: 'S', RUIN: 'S', WLL: 'H', WLLS: 'H', WTRH: 'H', PND: 'H', PNDI: 'H', PNDS: 'H', OAS: 'L',
  WAD: 'H', WTLD: 'H', WTLDI: 'H', MRSH: 'H', DPR: 'T', DUNE: 'T', HLL: 'T', HLLS: 'T',
  STMIX: 'H', SCRP: 'T', SCRB: 'V',
};
/** The feature class a kept feature code belongs to ("A" units, "P" populated places, else the site's). */
function classOfCode(code: string): string {
  return KEPT_ADMIN.test(code) ? 'A' : KEPT_SITES[code] ?? 'P';
}

interface DumpResult {
  places: ImportedPlace[];
  lines: number;
  /** Every country with at least one row in the file (kept or not): the countries this file replaces. */
  countries: Set<string>;
}

/**
 * Parse a GeoNames `geoname` table file (a country dump such as ML.txt, or allCountries / citiesN).
 * Every line is checked; populated places (class P), ADM1–ADM3 units and named sites (`KEPT_SITES`) are kept.
 */
export function parseGeonamesDump(content: Buffer | string, file: string): ImportedPlace[] {
  return parseDump(decodeUtf8(content, file), file).places;
}

function parseDump(text: string, file: string): DumpResult {
  const lines = splitLines(text);
  const places: ImportedPlace[] = [];
  const countries = new Set<string>();
  for (const line of lines) {
    const place = parseDumpLine(line, file);
    if (place.country) countries.add(place.country);
    if (place.country && (place.featureClass === 'P' || (place.featureClass === 'A' && KEPT_ADMIN.test(place.featureCode)) || KEPT_SITES[place.featureCode] === place.featureClass)) {
      places.push(place);
    }
  }
  return { places, lines: lines.length, countries };
}

/** The 19 columns of the `geoname` table, in order. */
type DumpRow = [string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string];

function parseDumpLine(line: Line, file: string): ImportedPlace {
  const f = columns(line, DUMP_COLUMNS, file);
  const bad = (reason: string): InputError => lineError(file, line.n, reason);
  const [idS, name, ascii, alts, latS, lonS, fclass, fcode, cc, , a1, a2, , , popS, elev, dem, , date] = f as DumpRow;
  if (!INT.test(idS)) throw bad(`geonameid ${show(idS)} is not a number`);
  if (!name.trim()) throw bad('the name column is empty');
  const lat = coordinate(latS, 90, 'latitude', bad);
  const lon = coordinate(lonS, 180, 'longitude', bad);
  if (!/^[A-Z]?$/.test(fclass)) throw bad(`feature class ${show(fclass)} is not one letter`);
  if (!/^(?:[A-Z]{2})?$/.test(cc)) throw bad(`country code ${show(cc)} is not two capital letters`);
  if (!INT.test(popS)) throw bad(`population ${show(popS)} is not a whole number`);
  if (!SIGNED_INT_OR_EMPTY.test(elev)) throw bad(`elevation ${show(elev)} is not a whole number`);
  if (!SIGNED_INT_OR_EMPTY.test(dem)) throw bad(`dem ${show(dem)} is not a whole number`);
  if (!DATE.test(date)) throw bad(`modification date ${show(date)} is not yyyy-MM-dd`);
  return {
    id: Number(idS),
    name,
    asciiname: ascii,
    alternates: alts ? alts.split(',').filter(isUsefulAlternate) : [],
    lat,
    lon,
    featureClass: fclass,
    featureCode: fcode,
    country: cc,
    admin1Code: a1,
    admin2Code: a2,
    population: Number(popS),
  };
}

function coordinate(s: string, limit: number, what: string, bad: (reason: string) => InputError): number {
  if (!DECIMAL.test(s)) throw bad(`${what} ${show(s)} is not a number`);
  const x = Number(s);
  if (Math.abs(x) > limit) throw bad(`${what} ${s} is outside -${limit}..${limit}`);
  return x;
}

/** Letters, marks, digits, punctuation and spaces, all letters in Latin script. */
const LATIN_ONLY = /^(?:\p{Script=Latin}|\p{M}|\p{N}|\p{P}|\p{Zs}|\p{S})+$/u;

/**
 * Alternate names worth keeping: drops airport codes (IATA/ICAO: "BKO", "GABS"), numbers and postal
 * codes, links, long descriptive entries, and names in non-Latin scripts (news text in Latin script
 * never matches them, and they would only enlarge the store).
 */
export function isUsefulAlternate(alt: string): boolean {
  if (!alt.trim() || alt.length > MAX_ALTERNATE_LENGTH) return false;
  if (/^[A-Z]{3,4}$/.test(alt)) return false;
  if (/\d/.test(alt) && !/\p{L}{3}/u.test(alt)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(alt) || alt.startsWith('www.')) return false;
  return LATIN_ONLY.test(alt);
}

// ---------------------------------------------------------------- admin-name files

const ADMIN_CODE = /^[A-Z]{2}\.[^.\t]+(?:\.[^.\t]+)?$/;
const ADMIN_CODE_LEVEL = { 1: /^[A-Z]{2}\.[^.\t]+$/, 2: /^[A-Z]{2}\.[^.\t]+\.[^.\t]+$/ } as const;

/** Parse admin1CodesASCII.txt (level 1: "CC.A1") or admin2Codes.txt (level 2: "CC.A1.A2"). */
export function parseAdminCodes(content: Buffer | string, file: string, level: 1 | 2): Map<string, AdminEntry> {
  return parseAdminText(decodeUtf8(content, file), file, level).entries;
}

function parseAdminText(text: string, file: string, level: 1 | 2): { entries: Map<string, AdminEntry>; lines: number } {
  const lines = splitLines(text);
  const entries = new Map<string, AdminEntry>();
  const shape = level === 1 ? 'CC.A1 (e.g. ML.04)' : 'CC.A1.A2 (e.g. ML.04.8299589)';
  for (const line of lines) {
    const [code, name, ascii, id] = columns(line, ADMIN_COLUMNS, file) as [string, string, string, string];
    if (!ADMIN_CODE_LEVEL[level].test(code)) throw lineError(file, line.n, `code ${show(code)} is not of the form ${shape}`);
    if (!name.trim()) throw lineError(file, line.n, 'the name column is empty');
    if (!INT.test(id)) throw lineError(file, line.n, `geonameid ${show(id)} is not a number`);
    entries.set(code, { name, asciiname: ascii, geonameid: Number(id) });
  }
  return { entries, lines: lines.length };
}

// ---------------------------------------------------------------- kind of file

/**
 * What a file is, from its first non-empty line (19 columns: a dump; 4 columns with a "CC.A1[.A2]" code:
 * admin names), else from its name (so that a damaged ML.txt is reported as a bad dump, not as an unknown file).
 */
export function detectKind(text: string, file: string): GeonamesFileKind {
  const first = splitLines(text)[0];
  if (!first) throw new InputError(file, 'the file is empty');
  const cols = first.text.split('\t');
  if (cols.length === DUMP_COLUMNS) return 'dump';
  if (cols.length === ADMIN_COLUMNS && ADMIN_CODE.test(cols[0]!)) return cols[0]!.split('.').length === 2 ? 'admin1' : 'admin2';
  const name = basename(file);
  if (/admin1codes/i.test(name)) return 'admin1';
  if (/admin2codes/i.test(name)) return 'admin2';
  if (/^(?:[A-Z]{2}|allCountries|cities\d+|no-country)\.txt$/i.test(name)) return 'dump';
  throw lineError(
    file,
    first.n,
    `not a GeoNames file: ${cols.length} tab-separated columns; expected ${DUMP_COLUMNS} (a country dump such as ML.txt) or ${ADMIN_COLUMNS} (admin1CodesASCII.txt, admin2Codes.txt)`,
  );
}

// ---------------------------------------------------------------- import

interface ParsedFile {
  summary: FileSummary;
  places: ImportedPlace[];
  /** The countries whose places this file replaces. */
  replaces: Set<string>;
  admin: Map<string, AdminEntry>;
}

function readInput(path: string): Buffer {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new InputError(path, 'file not found');
  }
  if (isDir) throw new InputError(path, 'is a directory');
  try {
    return readFileSync(path);
  } catch (err) {
    throw new InputError(path, `cannot read: ${(err as Error).message}`);
  }
}

function parseFile(path: string): ParsedFile {
  const bytes = readInput(path);
  const text = decodeUtf8(bytes, path);
  const kind = detectKind(text, path);
  const base = { file: path, kind, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  const perCountry: Record<string, number> = {};
  const count = (cc: string): void => {
    perCountry[cc] = (perCountry[cc] ?? 0) + 1;
  };
  if (kind === 'dump') {
    const { places, lines, countries } = parseDump(text, path);
    for (const p of places) count(p.country);
    return { summary: { ...base, lines, rows: places.length, countries: perCountry }, places, replaces: countries, admin: new Map() };
  }
  const { entries, lines } = parseAdminText(text, path, kind === 'admin1' ? 1 : 2);
  for (const code of entries.keys()) count(code.slice(0, 2));
  return { summary: { ...base, lines, rows: entries.size, countries: perCountry }, places: [], replaces: new Set(), admin: entries };
}

/**
 * A feature two country dumps both list (a pasture or a hamlet on the Mali–Burkina Faso line is in
 * ML.txt and in BF.txt under one geonameid, with one country's admin codes): kept once, under the
 * country whose territory holds its point (Natural Earth's first-level polygons), else the first
 * country code, so that the store does not depend on the order the files were given in.
 */
function sharedFeature(a: ImportedPlace, b: ImportedPlace): ImportedPlace {
  const holder = loadAdmin1Shapes().at(a.lat, a.lon, 0)?.iso2;
  if (holder === a.country) return a;
  if (holder === b.country) return b;
  return a.country < b.country ? a : b;
}

/**
 * Import GeoNames files into the store of data directory `dir`. All files are parsed first: any error
 * throws an `InputError` naming the file and line, and nothing is written. Then a re-imported country's
 * places replace its old ones (a file replaces every country it has rows for), admin names replace the
 * entries with the same code, and the store files are replaced atomically.
 */
export function importFiles(paths: string[], dir = dataDir()): ImportSummary {
  if (paths.length === 0) throw new InputError('sitrep gazetteer import', 'no files given');
  const parsed = paths.map(parseFile);
  const gdir = gazetteerDir(dir);
  const old = readStore(join(gdir, STORE_FILE));
  const oldAdmin = readAdminFile(join(gdir, ADMIN_FILE)) ?? old?.admin ?? null;

  // Places: the old rows of countries no new file covers, then the new ones (a later duplicate id of the
  // same country wins; one listed under two countries is kept under one, `sharedFeature`).
  const replaced = new Set<string>();
  for (const p of parsed) for (const cc of p.replaces) replaced.add(cc);
  const byId = new Map<number, ImportedPlace>();
  if (old) for (let i = 0; i < old.id.length; i++) if (!replaced.has(old.country[i]!)) byId.set(old.id[i]!, rowFromColumns(old, i));
  const fresh = new Map<number, ImportedPlace>();
  for (const p of parsed) {
    for (const place of p.places) {
      const other = fresh.get(place.id);
      fresh.set(place.id, other && other.country !== place.country ? sharedFeature(other, place) : place);
    }
  }
  for (const [id, place] of fresh) {
    // A row the store keeps for a country no new file covers, under the same id: the same rule.
    const kept = byId.get(id);
    byId.set(id, kept && kept.country !== place.country ? sharedFeature(kept, place) : place);
  }
  const places = [...byId.values()].sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : a.id - b.id));

  const admin = new Map<string, AdminEntry>();
  if (oldAdmin) oldAdmin.code.forEach((code, i) => admin.set(code, { name: oldAdmin.name[i]!, asciiname: oldAdmin.asciiname[i]!, geonameid: oldAdmin.geonameid[i]! }));
  for (const p of parsed) for (const [code, entry] of p.admin) admin.set(code, entry);

  const countries = [...new Set(places.map((p) => p.country))].sort();
  const storeText = JSON.stringify(toStoreFile(places, admin, new Set(countries)));
  const adminText = JSON.stringify({ format: ADMIN_FORMAT, version: STORE_VERSION, ...adminColumns(admin, () => true) });
  const summaries = parsed.map((p) => p.summary);
  const manifest = nextManifest(readManifest(dir), summaries, places, admin, storeText);
  ensureGazetteerDir(dir);
  const storePath = join(gdir, STORE_FILE);
  writeAtomically([
    [storePath, storeText],
    [join(gdir, ADMIN_FILE), adminText],
    [join(gdir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n'],
  ]);
  return { files: summaries, places: places.length, countries, adminNames: manifest.admin_names, store: storePath };
}

/** Write every file under a temporary name first, then rename each into place: a failed write leaves the old files. */
function writeAtomically(files: [string, string][]): void {
  const temps = files.map(([path]) => `${path}.${process.pid}.${Date.now()}.tmp`);
  try {
    files.forEach(([, text], i) => writeFileSync(temps[i]!, text));
    files.forEach(([path], i) => renameSync(temps[i]!, path));
  } finally {
    for (const t of temps) rmSync(t, { force: true });
  }
}

function rowFromColumns(c: ImportedColumns, i: number): ImportedPlace {
  return {
    id: c.id[i]!,
    name: c.name[i]!,
    asciiname: c.asciiname[i]!,
    alternates: c.alternates[i] ? c.alternates[i]!.split(',') : [],
    lat: c.lat[i]!,
    lon: c.lon[i]!,
    featureClass: c.featureClass[i]!,
    featureCode: c.featureCode[i]!,
    country: c.country[i]!,
    admin1Code: c.admin1[i]!,
    admin2Code: c.admin2[i]!,
    population: c.population[i]!,
  };
}

/** The distinct folded keys a place answers to; units also without their kind word ("Tenenkou Cercle" → "tenenkou"). */
export function placeKeys(p: ImportedPlace): string[] {
  const keys = new Set<string>();
  const add = (s: string): void => {
    const k = foldKey(s);
    if (k) keys.add(k);
  };
  add(p.name);
  add(p.asciiname);
  for (const a of p.alternates) add(a);
  if (p.featureClass === 'A') {
    add(cleanUnitName(p.name));
    add(cleanUnitName(p.asciiname));
  }
  for (const k of [...keys]) for (const v of prefixVariants(k)) keys.add(v);
  return [...keys];
}

/**
 * Tamasheq names written with or without the separated prefix: GeoNames' "I-n-Tillit" is "Intillit",
 * "In Tillit" and "N'Tillit" in the news; "Ti-n-Tahati" and "Tin Tahati" are "Tintahati".
 */
export function prefixVariants(key: string): string[] {
  const m = /^(i n|in|ti n|tin) (\S.*)$/.exec(key);
  if (!m) return [];
  const rest = m[2]!;
  if (m[1] === 'ti n' || m[1] === 'tin') return [`tin ${rest}`, `tin${rest}`];
  return [`in ${rest}`, `in${rest}`, ...(m[1] === 'i n' ? [`n${rest}`, `i n ${rest}`] : [])].filter((v) => v !== key);
}

const UNIT_WORD = '(?:Province|Cercle|D[ée]partement|Department|R[ée]gion|Pr[ée]fecture|District|Division|Commune|Arrondissement)';
const UNIT_PREFIX = new RegExp(`^${UNIT_WORD}\\s+(?:of|du|des|de\\s+la|de\\s+l['’]|de|d['’])\\s*`, 'i');
const UNIT_SUFFIX = new RegExp(`\\s+${UNIT_WORD}$`, 'i');

/** "Province du Yatenga" → "Yatenga", "Tenenkou Cercle" → "Tenenkou", "Mayo-Sava Division" → "Mayo-Sava" (as ACLED names units). */
export function cleanUnitName(name: string): string {
  const cleaned = name.replace(UNIT_PREFIX, '').replace(UNIT_SUFFIX, '').trim();
  return cleaned || name;
}

// ---------------------------------------------------------------- the files on disk

/**
 * imported.json: the columns, with the repetitive ones packed (ML+BF+NE+CM with all admin names went
 * from 8.3 MB to 4.3 MB): an asciiname equal to the name is "", the feature class follows from the
 * feature code, countries are runs (rows are sorted by country), keys are one "|"-joined string per
 * place, and only the store's countries' admin names are kept.
 */
interface StoreFile {
  format: typeof STORE_FORMAT;
  version: number;
  id: number[];
  name: string[];
  asciiname: string[];
  alternates: string[];
  lat: number[];
  lon: number[];
  featureCode: string[];
  countryRuns: [string, number][];
  admin1: string[];
  admin2: string[];
  population: number[];
  keys: string[];
  admin: AdminColumns;
}

const PLACE_COLUMNS = ['name', 'asciiname', 'alternates', 'lat', 'lon', 'featureCode', 'admin1', 'admin2', 'population', 'keys'] as const;

function toStoreFile(places: ImportedPlace[], admin: Map<string, AdminEntry>, countries: Set<string>): StoreFile {
  const f: StoreFile = {
    format: STORE_FORMAT,
    version: STORE_VERSION,
    id: [],
    name: [],
    asciiname: [],
    alternates: [],
    lat: [],
    lon: [],
    featureCode: [],
    countryRuns: [],
    admin1: [],
    admin2: [],
    population: [],
    keys: [],
    admin: adminColumns(admin, (code) => countries.has(code.slice(0, 2))),
  };
  for (const p of places) {
    f.id.push(p.id);
    f.name.push(p.name);
    f.asciiname.push(p.asciiname === p.name ? '' : p.asciiname);
    f.alternates.push(p.alternates.join(','));
    f.lat.push(p.lat);
    f.lon.push(p.lon);
    f.featureCode.push(p.featureCode);
    const run = f.countryRuns[f.countryRuns.length - 1];
    if (run && run[0] === p.country) run[1]++;
    else f.countryRuns.push([p.country, 1]);
    f.admin1.push(p.admin1Code);
    f.admin2.push(p.admin2Code);
    f.population.push(p.population);
    f.keys.push(placeKeys(p).join('|'));
  }
  return f;
}

function adminColumns(admin: Map<string, AdminEntry>, keep: (code: string) => boolean): AdminColumns {
  const a: AdminColumns = { code: [], name: [], asciiname: [], geonameid: [] };
  for (const code of [...admin.keys()].sort()) {
    if (!keep(code)) continue;
    const e = admin.get(code)!;
    a.code.push(code);
    a.name.push(e.name);
    a.asciiname.push(e.asciiname);
    a.geonameid.push(e.geonameid);
  }
  return a;
}

function damagedError(path: string, why: string): InputError {
  return new InputError(path, `the imported gazetteer is damaged (${why}); delete ${basename(path)} and run "sitrep gazetteer import" again`);
}

/** Read and parse a JSON file of ours, or null when it does not exist. */
function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(path, `cannot read the imported gazetteer: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw damagedError(path, 'not valid JSON');
  }
}

function checkAdminColumns(a: AdminColumns | undefined, path: string): AdminColumns {
  const n = a?.code?.length;
  if (typeof n !== 'number' || a!.name?.length !== n || a!.asciiname?.length !== n || a!.geonameid?.length !== n) {
    throw damagedError(path, 'admin name columns of different lengths');
  }
  return a!;
}

function readAdminFile(path: string): AdminColumns | null {
  const a = readJson(path) as (AdminColumns & { format?: string }) | null;
  if (a === null) return null;
  if (a.format !== ADMIN_FORMAT) throw damagedError(path, 'not a sitrep admin-name file');
  return checkAdminColumns(a, path);
}

/** The store's columns, unpacked, or null when there is none; a damaged file is an error, not an empty store. */
function readStore(path: string): (ImportedColumns & { admin: AdminColumns }) | null {
  const f = readJson(path) as StoreFile | null;
  if (f === null) return null;
  if (f.format !== STORE_FORMAT) throw damagedError(path, 'not a sitrep gazetteer store');
  if (f.version !== STORE_VERSION) throw damagedError(path, `version ${String(f.version)}, expected ${STORE_VERSION}`);
  const n = f.id?.length;
  if (typeof n !== 'number' || PLACE_COLUMNS.some((k) => f[k]?.length !== n)) throw damagedError(path, 'columns of different lengths');
  const country: string[] = [];
  for (const [cc, count] of f.countryRuns ?? []) for (let i = 0; i < count; i++) country.push(cc);
  if (country.length !== n) throw damagedError(path, 'country runs do not cover the rows');
  return {
    id: f.id,
    name: f.name,
    asciiname: f.asciiname.map((a, i) => a || f.name[i]!),
    alternates: f.alternates,
    lat: f.lat,
    lon: f.lon,
    featureClass: f.featureCode.map(classOfCode),
    featureCode: f.featureCode,
    country,
    admin1: f.admin1,
    admin2: f.admin2,
    population: f.population,
    keys: f.keys,
    admin: checkAdminColumns(f.admin, path),
  };
}

// ---------------------------------------------------------------- manifest

function readManifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(gazetteerDir(dir), MANIFEST_FILE), 'utf8')) as Manifest;
    return Array.isArray(m.files) ? m : null;
  } catch {
    return null; // Absent, or damaged: the manifest only describes the store, and this import rewrites it.
  }
}

/** What was imported into data directory `dir` (null when nothing was). */
export function loadManifest(dir = dataDir()): Manifest | null {
  return readManifest(dir);
}

function nextManifest(prev: Manifest | null, imported: FileSummary[], places: ImportedPlace[], admin: Map<string, AdminEntry>, storeText: string): Manifest {
  const now = new Date().toISOString();
  const files = new Map<string, ManifestFile>();
  for (const f of prev?.files ?? []) files.set(`${f.kind}:${f.sha256}`, f);
  for (const f of imported) files.set(`${f.kind}:${f.sha256}`, { ...f, name: basename(f.file), path: resolve(f.file), imported_at: now });

  // Per country: places now in the store; the files and date of this import, or kept from before.
  const rows: Record<string, number> = {};
  for (const p of places) rows[p.country] = (rows[p.country] ?? 0) + 1;
  const countries: Manifest['countries'] = {};
  for (const cc of Object.keys(rows).sort()) {
    const fresh = imported.filter((f) => f.kind === 'dump' && f.countries[cc] !== undefined).map((f) => basename(f.file));
    const before = prev?.countries?.[cc];
    countries[cc] = fresh.length > 0 || !before ? { rows: rows[cc]!, files: fresh, imported_at: now } : { ...before, rows: rows[cc]! };
  }
  let admin1 = 0;
  for (const code of admin.keys()) if (code.split('.').length === 2) admin1++;
  return {
    version: STORE_VERSION,
    updated_at: now,
    store: { file: STORE_FILE, bytes: Buffer.byteLength(storeText), sha256: createHash('sha256').update(storeText).digest('hex') },
    countries,
    admin_names: { admin1, admin2: admin.size - admin1 },
    files: [...files.values()].sort((a, b) => (a.imported_at < b.imported_at ? -1 : a.imported_at > b.imported_at ? 1 : 0)),
  };
}

// ---------------------------------------------------------------- loading

/**
 * The imported gazetteer of data directory `dir`, or null when nothing was imported. Meant for every
 * command's start-up: one JSON parse and three linear passes; the key and admin-name indexes are built
 * at their first use. A damaged store throws an `InputError` saying how to repair it.
 */
export function loadImported(dir = dataDir()): ImportedStore | null {
  const path = join(gazetteerDir(dir), STORE_FILE);
  const c = readStore(path);
  if (!c) return null;

  let adminNames: Map<string, string> | null = null;
  const adminName = (code: string): string | undefined => {
    if (!adminNames) {
      // The dump's own ADM1/ADM2 rows first, so that the admin-name files, when imported, override them.
      adminNames = new Map();
      for (let i = 0; i < c.id.length; i++) {
        const fc = c.featureCode[i];
        if (fc === 'ADM1') adminNames.set(`${c.country[i]}.${c.admin1[i]}`, cleanUnitName(c.name[i]!));
        else if (fc === 'ADM2') adminNames.set(`${c.country[i]}.${c.admin1[i]}.${c.admin2[i]}`, cleanUnitName(c.name[i]!));
      }
      c.admin.code.forEach((code, i) => adminNames!.set(code, cleanUnitName(c.admin.name[i]!)));
    }
    return adminNames.get(code);
  };
  // admin1 "00" is GeoNames' "unknown".
  const admin1Name = (country: string, code: string): string | undefined => (code && code !== '00' ? adminName(`${country}.${code}`) : undefined);
  const admin2Name = (country: string, a1: string, a2: string): string | undefined => (a2 ? adminName(`${country}.${a1}.${a2}`) : undefined);
  // A first-level code the names do not know ("00", or another country's code on a feature of the
  // border): the unit whose polygon holds the point (or the nearest, just outside the simplified
  // rings), in the row's country, named as the names name it.
  const admin1Holding = (country: string, lat: number, lon: number): string | null => {
    const shape = loadAdmin1Shapes().at(lat, lon);
    if (!shape || shape.iso2 !== country) return null;
    return (shape.geonamesCode ? adminName(shape.geonamesCode) : undefined) ?? shape.name;
  };

  let byKey: Map<string, number[]> | null = null;
  const rowsForKey = (key: string): readonly number[] => {
    if (!byKey) {
      byKey = new Map();
      for (let row = 0; row < c.keys.length; row++) {
        if (!c.keys[row]) continue; // a name in a non-Latin script only folds to nothing
        for (const k of c.keys[row]!.split('|')) {
          const rows = byKey.get(k);
          if (rows) rows.push(row);
          else byKey.set(k, [row]);
        }
      }
    }
    return byKey.get(key) ?? [];
  };

  const placeOf = (row: number): Place | null => {
    const country = countryByIso2(c.country[row] ?? '');
    if (!country) return null;
    const cc = country.iso2;
    const a1 = c.admin1[row]!;
    const a2 = c.admin2[row]!;
    const admin1 = admin1Name(cc, a1) ?? admin1Holding(cc, c.lat[row]!, c.lon[row]!);
    const admin2 = admin2Name(cc, a1, a2) ?? null;
    const own = cleanUnitName(c.name[row]!);
    const base = { iso2: cc, iso3: country.iso3, country: country.name, latitude: c.lat[row]!, longitude: c.lon[row]!, population: c.population[row]! };
    switch (c.featureCode[row]) {
      case 'ADM1':
        return { ...base, name: admin1 ?? own, admin1: admin1 ?? own, admin2: null, level: 'admin1', id: `admin1:${cc}.${a1}` };
      case 'ADM2':
        return { ...base, name: admin2 ?? own, admin1, admin2: admin2 ?? own, level: 'admin2', id: `admin2:${cc}.${a1}.${a2}` };
      default:
        return { ...base, name: c.name[row]!, admin1, admin2, level: 'town', id: `geonames:${c.id[row]}`, feature: c.featureCode[row]!, imported: true };
    }
  };

  return {
    ...c,
    path,
    size: c.id.length,
    countries: [...new Set(c.country)].sort(),
    admin1Name,
    admin2Name,
    rowsForKey,
    keysOf: (row) => (c.keys[row] ? c.keys[row]!.split('|') : []),
    alternatesOf: (row) => (c.alternates[row] ? c.alternates[row]!.split(',') : []),
    placeOf,
  };
}
