/**
 * Readers for the gold sets in ../shared/eval (ACLED, GTD, MUC-4) into one shape:
 * `{ id, input: ArticleInput, gold }`, where `input` is exactly what the README says the extractor
 * gets and `gold` holds the values the scorer compares, already parsed.
 *
 * Gold values that the README says to skip are stored as null (GTD "Unknown" place/group/weapon,
 * empty `nkill`/`nwound`), so the scorer's rule is simply "skip null".
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ArticleInput } from '../core/types.js';

export type SetKind = 'acled' | 'gtd' | 'muc4';

export interface AcledGold {
  /** YYYY-MM-DD, or null when the row's date cannot be read. */
  event_date: string | null;
  event_type: string;
  sub_event_type: string;
  /** Gold actors: each row's `actor1` in `_rows_actor_fields`, else `actor1`/`actor2`; never associated actors. */
  actors: string[];
  /** Associated actors, for display only (the README does not score them). */
  assoc_actors: string[];
  country: string;
  admin1: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
  fatalities: number | null;
}

export interface GtdGold {
  year: number | null;
  /** 1–12, or null when GTD gives 0 (unknown month). */
  month: number | null;
  country: string;
  /** null when "Unknown" or empty. */
  provstate: string | null;
  city: string | null;
  gname: string | null;
  /** null when empty (unknown, not 0). */
  nkill: number | null;
  nwound: number | null;
  /** The weapon class the README defines (firearms, explosives, ..., other); null when "Unknown". */
  weapon: string | null;
}

export interface Muc4Incident {
  type: string;
  date: string;
  location: string;
  /** Country names read from `INCIDENT: LOCATION` (alternatives split on "/"). */
  countries: string[];
  /** Quoted names in HUM TGT: NAME, HUM TGT: DESCRIPTION and PHYS TGT: ID (for merging reports). */
  names: string[];
}

export interface Muc4Gold {
  /** True when any template has an incident type other than "-", "*" or empty. */
  positive: boolean;
  incidents: Muc4Incident[];
  /** Union of the incidents' countries. */
  countries: string[];
}

interface RecordBase {
  id: string;
  input: ArticleInput;
}
export interface AcledRecord extends RecordBase {
  kind: 'acled';
  gold: AcledGold;
}
export interface GtdRecord extends RecordBase {
  kind: 'gtd';
  gold: GtdGold;
}
export interface Muc4Record extends RecordBase {
  kind: 'muc4';
  gold: Muc4Gold;
}
export type GoldRecord = AcledRecord | GtdRecord | Muc4Record;

interface SetBase {
  /** "acled-mali", "acled-global", "gtd", "muc4" for the dev files. */
  name: string;
  path: string;
}
export type GoldSet =
  | (SetBase & { kind: 'acled'; records: AcledRecord[] })
  | (SetBase & { kind: 'gtd'; records: GtdRecord[] })
  | (SetBase & { kind: 'muc4'; records: Muc4Record[] });

type Row = Record<string, unknown>;

// ---------------------------------------------------------------- small value readers

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v).trim();
}

/** A number from a number or numeric string; null for empty or non-numeric. */
function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = str(v);
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function known(v: unknown): string | null {
  const s = str(v);
  return s === '' || s.toLowerCase() === 'unknown' ? null : s;
}

// ---------------------------------------------------------------- set names

/** File name without directory, ".jsonl" and a split suffix: "x/acled-mali.dev.jsonl" → "acled-mali". */
export function setNameFromPath(path: string): string {
  return basename(path)
    .replace(/\.jsonl$/i, '')
    .replace(/\.[a-z0-9_-]+$/i, '');
}

export function kindOfSet(name: string): SetKind {
  const n = name.toLowerCase();
  if (n.startsWith('acled')) return 'acled';
  if (n.startsWith('gtd')) return 'gtd';
  if (n.startsWith('muc4') || n.startsWith('muc-4')) return 'muc4';
  throw new Error(`cannot tell which gold set "${name}" is (expected a name starting with acled, gtd or muc4)`);
}

// ---------------------------------------------------------------- ACLED

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** ACLED dates: "9-May-20", "31 December 2020", or already "2020-12-31"; null otherwise. */
export function parseAcledDate(s: string): string | null {
  const t = s.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const m = /^(\d{1,2})[-\s]([A-Za-z]{3,})\.?[-\s](\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return null;
  let year = Number(m[3]);
  // ACLED data start in 1997: a two-digit year below 70 is 20xx.
  if (m[3]!.length === 2) year += year < 70 ? 2000 : 1900;
  return isoDate(year, month, Number(m[1]));
}

function uniqueNonEmpty(names: unknown[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const s = str(n);
    if (s !== '' && !out.includes(s)) out.push(s);
  }
  return out;
}

function acledActors(row: Row): { actors: string[]; assoc: string[] } {
  const split = row['_rows_actor_fields'];
  if (Array.isArray(split)) {
    // acled-mali: one entry per actor row, each with its own actor1; order is not actor1/actor2.
    const entries = split.filter((e): e is Row => typeof e === 'object' && e !== null);
    return {
      actors: uniqueNonEmpty(entries.map((e) => e['actor1'])),
      assoc: uniqueNonEmpty(entries.map((e) => e['assoc_actor_1'])),
    };
  }
  return {
    actors: uniqueNonEmpty([row['actor1'], row['actor2']]),
    assoc: uniqueNonEmpty([row['assoc_actor_1'], row['assoc_actor_2']]),
  };
}

export function parseAcledRow(row: Row): AcledRecord {
  const id = str(row['event_id_cnty']);
  const event_date = parseAcledDate(str(row['event_date']));
  const year = str(row['year']) || (event_date ? event_date.slice(0, 4) : '');
  // A row without an id still gets scored; the article then takes its content-hash id.
  const input: ArticleInput = { id: id || undefined, text: str(row['notes']) };
  if (/^\d{4}$/.test(year)) input.published = `${year}-12-31`;
  const { actors, assoc } = acledActors(row);
  return {
    kind: 'acled',
    id,
    input,
    gold: {
      event_date,
      event_type: str(row['event_type']),
      sub_event_type: str(row['sub_event_type']),
      actors,
      assoc_actors: assoc,
      country: str(row['country']),
      admin1: str(row['admin1']),
      location: str(row['location']),
      latitude: num(row['latitude']),
      longitude: num(row['longitude']),
      fatalities: num(row['fatalities']),
    },
  };
}

// ---------------------------------------------------------------- GTD

const GTD_WEAPON_CLASSES = new Set(['explosives', 'firearms', 'incendiary', 'melee', 'vehicle', 'chemical']);
const GTD_OTHER_WEAPONS = new Set(['sabotage', 'fake', 'biological', 'radiological', 'other']);

/** README: lower-cased first word of `weaptype1_txt`; sabotage/fake/biological/radiological → "other"; "Unknown" → null. */
export function gtdWeaponClass(weaptype: string): string | null {
  const first = (weaptype.trim().toLowerCase().match(/^[a-z]+/) ?? [''])[0];
  if (first === '' || first === 'unknown') return null;
  if (GTD_WEAPON_CLASSES.has(first)) return first;
  if (GTD_OTHER_WEAPONS.has(first)) return 'other';
  return first;
}

export function parseGtdRow(row: Row): GtdRecord {
  const id = str(row['eventid']);
  const month = num(row['imonth']);
  return {
    kind: 'gtd',
    id,
    input: { id, text: str(row['summary']) },
    gold: {
      year: num(row['iyear']),
      month: month !== null && month >= 1 && month <= 12 ? month : null,
      country: str(row['country_txt']),
      provstate: known(row['provstate']),
      city: known(row['city']),
      gname: known(row['gname']),
      nkill: num(row['nkill']),
      nwound: num(row['nwound']),
      weapon: gtdWeaponClass(str(row['weaptype1_txt'])),
    },
  };
}

// ---------------------------------------------------------------- MUC-4

const EMPTY_SLOT = new Set(['', '-', '*']);

/**
 * Countries named by an `INCIDENT: LOCATION` slot: "EL SALVADOR: SAN SALVADOR (CITY)" → EL SALVADOR.
 * The README's "first word before the colon" is read as the whole country part before the colon
 * ("EL SALVADOR", not "EL"). Alternatives ("HONDURAS / EL SALVADOR", "(A: X) / (B: Y)") give each
 * country; "?" (uncertain) marks and stray parentheses are dropped.
 */
export function muc4Countries(location: string): string[] {
  const out: string[] = [];
  for (const alternative of location.split('/')) {
    const beforeColon = alternative.split(':')[0] ?? '';
    const name = beforeColon
      .replace(/\([^()]*\)/g, ' ')
      .replace(/[()?]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!EMPTY_SLOT.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Every "quoted" string in the given slot values, without duplicates. */
export function quotedNames(slots: unknown[]): string[] {
  const names = new Set<string>();
  for (const slot of slots) {
    for (const m of str(slot).matchAll(/"([^"]+)"/g)) names.add(m[1]!.trim());
  }
  return [...names].filter((n) => n !== '');
}

export function parseMuc4Row(row: Row): Muc4Record {
  const id = str(row['message_id']);
  const templates = Array.isArray(row['templates']) ? (row['templates'] as unknown[]) : [];
  const incidents: Muc4Incident[] = [];
  for (const t of templates) {
    if (typeof t !== 'object' || t === null) continue;
    const slots = t as Row;
    const type = str(slots['INCIDENT: TYPE']);
    if (EMPTY_SLOT.has(type)) continue;
    const location = str(slots['INCIDENT: LOCATION']);
    incidents.push({
      type,
      date: str(slots['INCIDENT: DATE']),
      location,
      countries: muc4Countries(location),
      names: quotedNames([slots['HUM TGT: NAME'], slots['HUM TGT: DESCRIPTION'], slots['PHYS TGT: ID']]),
    });
  }
  const countries = [...new Set(incidents.flatMap((i) => i.countries))];
  return {
    kind: 'muc4',
    id,
    input: { id, text: str(row['text']) },
    gold: { positive: incidents.length > 0, incidents, countries },
  };
}

// ---------------------------------------------------------------- files

function parseLines(text: string, path: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`${path}: line ${i + 1} is not JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`${path}: line ${i + 1} is not a JSON object`);
    }
    rows.push(value as Row);
  });
  return rows;
}

/** Parses gold rows of a known set; `set` overrides the name taken from the path. */
export function parseGoldRows(rows: Row[], path: string, set?: string): GoldSet {
  const name = set ?? setNameFromPath(path);
  const kind = kindOfSet(name);
  switch (kind) {
    case 'acled':
      return { name, path, kind, records: rows.map(parseAcledRow) };
    case 'gtd':
      return { name, path, kind, records: rows.map(parseGtdRow) };
    case 'muc4':
      return { name, path, kind, records: rows.map(parseMuc4Row) };
  }
}

/** Reads a gold JSONL file; `limit` keeps the first N records. */
export function readGoldFile(path: string, opts: { set?: string; limit?: number } = {}): GoldSet {
  let rows = parseLines(readFileSync(path, 'utf8'), path);
  if (opts.limit !== undefined) rows = rows.slice(0, Math.max(0, opts.limit));
  return parseGoldRows(rows, path, opts.set);
}
