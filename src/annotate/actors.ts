/**
 * Actor annotator: named armed groups, state forces and generic actors (civilians, gunmen, protesters…).
 *
 * The registry is data/actors.json; state forces of every country are generated from the country list.
 * Text is split into word tokens (letters and digits; hyphens and spaces are alike, apostrophes and a
 * possessive "'s" are ignored) and every alias is stored in a token trie, so one left-to-right pass finds
 * the longest match at each position. Four kinds of match compete at a position, longest first:
 *  - a registry alias ("JNIM", "Group for Support of Islam and Muslims", "Houthi rebels");
 *  - a demonym or country name before a state/civilian noun ("Malian soldiers", "Mali's army");
 *  - an ethnic name before a militia or civilian noun ("Fulani militiamen", "Dogon villagers");
 *  - a generic noun alone ("the army", "gunmen", "villagers").
 * Short acronyms match only as written or in capitals; those that are also English words ("IS", "AA")
 * need more (see `stopAcronymOk`), because MUC-4 style texts are entirely upper case.
 *
 * A name is joined across spaces, a line break or a hyphen, never across a comma, a bracket or a
 * sentence end; an actor noun right after a name belongs to it ("JNIM militants"). Mentions never overlap.
 *
 * Generic mentions (`generic: true`: found through a common noun, even with a stated country) carry a
 * template name with `{country}` unless the mention states the country ("Malian civilians" →
 * "Civilians (Mali)"; "Malian soldiers" → Mali's state actor); `resolveActorName` fills the template
 * once the event's country is known. External forces (inter 8) get as `iso3` the country they operate in (MINUSMA → MLI,
 * French troops → null), so that their nationality does not pull an event towards their home country.
 */
import { readFileSync } from 'node:fs';
import type { ActorMention, Inter } from '../core/types.js';
import { allCountries, countryByIso3, countryByName, type Country } from '../geo/countries.js';

// ---------------------------------------------------------------- registry

export type StateKind = 'military' | 'police';

export interface NamedActor {
  id: string;
  /** ACLED-style canonical name; may contain `{country}` ("Islamic State ({country})"). */
  name: string;
  short: string;
  inter: Inter;
  /** Home country for local actors; for external forces their nationality (see `theatre`). */
  iso3: string | null;
  parent: string | null;
  aliases: string[];
  case_sensitive_aliases?: string[];
  /** Victim category; defaults from inter (1 soldiers/police, 2-4 militants, 5 rioters, 6 protesters, 7 civilians, 8 soldiers). */
  noun?: string;
  /** This entry is the military or police of `iso3`: demonym phrases ("Malian soldiers") resolve to it. */
  state_of?: StateKind;
  /** For external forces: where they operate (null when it varies). */
  theatre?: string | null;
  /** Event country (ISO3) → id of the actor this one stands for there ("Al Shabaab" in Mozambique). */
  by_country?: Record<string, string>;
  /** Where an armed group mostly operates: event country (ISO3) → first-level units, likeliest first. */
  areas?: Record<string, string[]>;
  /** Where inside its first area, per country, its operations centre when that area's seat lies outside them: a town of that unit. */
  around?: Record<string, string>;
}

export interface GenericActor {
  id: string;
  /** Template with `{country}`, or a fixed name ("Militia (Pro-Government)"). */
  name: string;
  short: string;
  inter: Inter;
  noun: string;
  /** State forces: with a stated country the mention becomes that country's state actor. */
  state?: StateKind;
  /** A demonym or country name may precede the trigger ("Malian civilians"). */
  demonym?: boolean;
  triggers: string[];
  /** Triggers that only count after a demonym or before "of <country>" ("French forces", "forces of Mali"). */
  demonym_only_triggers?: string[];
  case_sensitive_triggers?: string[];
  /** Another name in some countries (gendarmes are police in Mali). */
  alt_name?: { name: string; iso3: string[] };
  /** Associated-actor template → triggers that imply it ("Farmers ({country})" ← "farmers"). */
  assoc?: Record<string, string[]>;
}

interface EthnicGroup {
  name: string;
  aliases: string[];
  militia_triggers?: string[];
}

interface RegistryFile {
  actors: NamedActor[];
  generic: GenericActor[];
  ethnic: { groups: EthnicGroup[]; militia_triggers: string[]; civilian_triggers: string[]; armed_prefix: string[] };
  head_nouns: string[];
  linkers: string[];
}

export interface Registry {
  /** Registry actors followed by the generated state forces (`military:MLI`, `police:MLI`, …) not overridden by an entry. */
  actors: NamedActor[];
  generic: GenericActor[];
  ethnic: RegistryFile['ethnic'];
  headNouns: ReadonlySet<string>;
  linkers: ReadonlySet<string>;
  byId: ReadonlyMap<string, NamedActor | GenericActor>;
  /** `military:MLI` → the actor that is Mali's military (a registry entry with `state_of`, or a generated one). */
  state: ReadonlyMap<string, NamedActor>;
}

const ETHNIC_MILITIA_ID = 'generic:ethnic_militia';

let registry: Registry | null = null;

/** The registry, read and checked once. Throws on an inconsistent file (unknown parent, duplicate id, …). */
export function loadRegistry(): Registry {
  if (registry) return registry;
  const file = JSON.parse(readFileSync(new URL('../../data/actors.json', import.meta.url), 'utf8')) as RegistryFile;
  registry = buildRegistry(file);
  return registry;
}

function buildRegistry(file: RegistryFile): Registry {
  const byId = new Map<string, NamedActor | GenericActor>();
  const state = new Map<string, NamedActor>();
  const add = (a: NamedActor | GenericActor): void => {
    if (byId.has(a.id)) throw new Error(`data/actors.json: duplicate actor id "${a.id}"`);
    if (typeof a.name !== 'string' || typeof a.short !== 'string') throw new Error(`data/actors.json: "${a.id}" needs a name and a short label`);
    if (!Array.isArray('aliases' in a ? a.aliases : a.triggers)) throw new Error(`data/actors.json: "${a.id}" needs an ${'inter' in a && 'triggers' in a ? 'triggers' : 'aliases'} list`);
    if (!Number.isInteger(a.inter) || a.inter < 1 || a.inter > 8) throw new Error(`data/actors.json: "${a.id}" has inter ${a.inter}`);
    byId.set(a.id, a);
  };
  for (const a of file.actors) {
    add(a);
    if (a.state_of) {
      if (!a.iso3) throw new Error(`data/actors.json: "${a.id}" is state forces without iso3`);
      state.set(`${a.state_of}:${a.iso3}`, a);
    }
  }
  const actors = [...file.actors];
  for (const c of allCountries()) {
    for (const kind of ['military', 'police'] as const) {
      const key = `${kind}:${c.iso3}`;
      if (state.has(key)) continue;
      const a = generatedStateActor(kind, c);
      add(a);
      state.set(key, a);
      actors.push(a);
    }
  }
  for (const g of file.generic) add(g);
  for (const a of file.actors) {
    if (a.parent && !byId.has(a.parent)) throw new Error(`data/actors.json: "${a.id}" has unknown parent "${a.parent}"`);
    for (const [iso3, target] of Object.entries(a.by_country ?? {})) {
      if (!byId.has(target)) throw new Error(`data/actors.json: "${a.id}" maps ${iso3} to unknown actor "${target}"`);
    }
  }
  return {
    actors,
    generic: file.generic,
    ethnic: file.ethnic,
    headNouns: new Set(file.head_nouns.map(foldPhrase)),
    linkers: new Set(file.linkers.map(foldPhrase)),
    byId,
    state,
  };
}

function generatedStateActor(kind: StateKind, c: Country): NamedActor {
  const police = kind === 'police';
  return {
    id: `${kind}:${c.iso3}`,
    name: `${police ? 'Police' : 'Military'} Forces of ${withArticle(c.name)}`,
    short: police ? 'police' : 'army',
    inter: 1,
    iso3: c.iso3,
    parent: null,
    aliases: [],
    noun: police ? 'police' : 'soldiers',
    state_of: kind,
  };
}

/** A registry actor, a generated state actor or a generic template by id. */
export function actorById(id: string): NamedActor | GenericActor | undefined {
  return loadRegistry().byId.get(id);
}

function isNamed(a: NamedActor | GenericActor | undefined): a is NamedActor {
  return !!a && 'aliases' in a;
}

// ---------------------------------------------------------------- names

/** ACLED writes "Military Forces of the Philippines", "… of the Democratic Republic of Congo". */
const NEEDS_THE = /^(?:United |Democratic Republic|Republic of|Central African Republic|Philippines|Netherlands|Bahamas|Comoros|Maldives|Marshall Islands|Solomon Islands|Seychelles|Czech Republic|Dominican Republic)/;

function withArticle(countryName: string): string {
  return NEEDS_THE.test(countryName) ? `the ${countryName}` : countryName;
}

function fillCountry(template: string, countryName: string): string {
  return template.replace('of {country}', `of ${withArticle(countryName)}`).replace('{country}', countryName);
}

/**
 * A template without a country: "Military Forces of {country}" → "Unidentified Military Forces" (ACLED's
 * own name for unattributed state forces), likewise for police; otherwise the parenthesised country is
 * dropped: "Civilians ({country})" → "Civilians", "Islamic State ({country})" → "Islamic State".
 */
function withoutCountry(template: string): string {
  if (template.startsWith('Military Forces of {country}')) return 'Unidentified Military Forces';
  if (template.startsWith('Police Forces of {country}')) return 'Unidentified Police Forces';
  return template.replace(/\s*\(\{country\}\)/g, '').replace(/\{country\}\s*/g, '').trim();
}

/**
 * The ACLED actor name of a mention in an event located in `countryName` (null when unknown).
 * Applies the registry's country substitutions ("Al Shabaab" in Mozambique → Islamic State Mozambique
 * Province, "Islamic State" in Nigeria → ISWAP) and country-specific names (gendarmes are police in
 * Mali), then fills `{country}`; without a country see `withoutCountry`.
 */
export function resolveActorName(mention: ActorMention, countryName: string | null): string {
  const country = countryName ? countryByName(countryName) : undefined;
  const actor = actorById(mention.actor_id);
  let name = mention.name;
  if (country && isNamed(actor)) {
    const target = actor.by_country?.[country.iso3];
    const replacement = target ? actorById(target) : undefined;
    if (replacement) name = replacement.name;
  }
  if (!name.includes('{country}')) return name;
  if (actor && !isNamed(actor) && actor.alt_name && country && actor.alt_name.iso3.includes(country.iso3)) name = actor.alt_name.name;
  if (countryName) return fillCountry(name, country?.name ?? countryName);
  return withoutCountry(name);
}

/** The country a mention places its actor in (stated, or the registry's home/theatre), or null. */
export function actorCountry(mention: ActorMention): Country | null {
  return mention.iso3 ? (countryByIso3(mention.iso3) ?? null) : null;
}

/**
 * ACLED's inter code in an event located in `eventIso3`: state forces outside their own country are
 * external forces (8), and an external force's own military at home is state forces (1).
 */
export function actorInter(mention: ActorMention, eventIso3: string | null): Inter {
  const actor = actorById(mention.actor_id);
  const home = isNamed(actor) && actor.state_of ? actor.iso3 : null;
  if (!eventIso3 || !home) return mention.inter;
  if (mention.inter === 1 && home !== eventIso3) return 8;
  if (mention.inter === 8 && home === eventIso3) return 1;
  return mention.inter;
}

/**
 * Associated actors ACLED would list with a generic mention: the victims' group ("Dogon herders" →
 * "Dogon Ethnic Group (Mali)", "Pastoralists (Mali)"). Empty for other mentions.
 */
export function associatedActors(mention: ActorMention, countryName: string | null): string[] {
  if (mention.actor_id !== 'generic:civilians') return [];
  const m = matcher();
  const toks = tokenize(mention.text);
  const out: string[] = [];
  const ethnic = walk(m.ethnic, toks, 0, () => true);
  let from = 0;
  if (ethnic && ethnic.hit.kind === 'ethnic') {
    out.push(`${ethnic.hit.group.name} Ethnic Group ({country})`);
    from = ethnic.end;
  }
  const phrase = toks
    .slice(from)
    .map((t) => t.key)
    .join(' ');
  // The trigger is the tail of the mention (after any demonym).
  for (const [key, template] of m.assocByTrigger) {
    if (phrase === key || phrase.endsWith(` ${key}`)) {
      out.push(template);
      break;
    }
  }
  const country = countryName ?? (mention.iso3 ? (countryByIso3(mention.iso3)?.name ?? null) : null);
  return out.map((t) => (country ? fillCountry(t, country) : withoutCountry(t)));
}

// ---------------------------------------------------------------- tokens

interface Token {
  start: number;
  end: number;
  /** As written, apostrophes and a possessive "'s" removed. */
  raw: string;
  /** Folded: lower case, accents removed. */
  key: string;
  /** The next token continues the same phrase (only spaces, a hyphen or a line break between). */
  join: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const NON_ASCII = /[^\x00-\x7f]/;

function fold(raw: string): string {
  const lower = raw.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : lower;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    let raw = m[0];
    let end = m.index + raw.length;
    // A possessive "'s" is not part of the name: "Taliban's" is "Taliban".
    const n = raw.length;
    if (n > 2 && (raw[n - 1] === 's' || raw[n - 1] === 'S') && (raw[n - 2] === "'" || raw[n - 2] === '’')) {
      raw = raw.slice(0, -2);
      end -= 2;
    }
    if (raw.includes("'") || raw.includes('’')) raw = raw.replace(/['’]/g, '');
    const prev = out[out.length - 1];
    if (prev) {
      // A single space or hyphen is the usual gap: decide it without slicing the text.
      const c = m.index - prev.end === 1 ? text.charCodeAt(prev.end) : -1;
      prev.join = c === 32 || c === 45 || joinable(text.slice(prev.end, m.index), prev.raw);
    }
    out.push({ start: m.index, end, raw, key: fold(raw), join: false });
  }
  return out;
}

/** Spaces or one line break (MUC wires wrap lines), a hyphen, a slash, after an optional possessive. */
const JOIN_GAP = /^(?:['’]s?)?(?:[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?|[ \t]?[-‑][ \t]?|\/)$/;
const ABBREVIATION_GAP = /^\.(?:[-‑]|[ \t]*(?:\r?\n[ \t]*)?)$/;

/** Whether two tokens may belong to one name: not across a comma, a bracket or a sentence end. */
function joinable(gap: string, prevRaw: string): boolean {
  if (gap === ' ' || gap === '-') return true;
  // "U.S. troops", "U.S.-led": a period after a single letter is an abbreviation, not a sentence end.
  if (gap[0] === '.') return prevRaw.length === 1 && ABBREVIATION_GAP.test(gap);
  return JOIN_GAP.test(gap);
}

function foldPhrase(s: string): string {
  return tokenize(s)
    .map((t) => t.key)
    .join(' ');
}

/** Upper-case texts (MUC-4 wires): letters are mostly capitals. */
function isUpperText(text: string): boolean {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  return upper >= 20 && upper > 4 * lower;
}

function isAllCaps(raw: string): boolean {
  return raw.length >= 2 && raw === raw.toUpperCase() && raw !== raw.toLowerCase();
}

// ---------------------------------------------------------------- the trie

type Hit =
  | { kind: 'named'; actor: NamedActor; cs: string[] | null; stop: boolean }
  | { kind: 'generic'; gen: GenericActor; cs: string[] | null; stop: boolean; demonymOnly: boolean; phrase: string }
  | { kind: 'country'; country: Country; cs: string[] | null; stop: boolean; name: boolean }
  | { kind: 'ethnic'; group: EthnicGroup; cs: null; stop: false }
  | { kind: 'militia'; only: string | null; phrase: string; cs: null; stop: false };

interface TrieNode {
  next: Map<string, TrieNode> | null;
  hits: Hit[] | null;
}

function node(): TrieNode {
  return { next: null, hits: null };
}

function insert(root: TrieNode, phrase: string, hit: Hit): void {
  const toks = tokenize(phrase);
  if (!toks.length) return;
  let n = root;
  for (const t of toks) {
    if (!n.next) n.next = new Map();
    let child = n.next.get(t.key);
    if (!child) n.next.set(t.key, (child = node()));
    n = child;
  }
  // Exact duplicates (the same alias listed twice) are skipped; named hits come before generic ones.
  const hits = (n.hits ??= []);
  if (hits.some((h) => sameHit(h, hit))) return;
  hits.push(hit);
  hits.sort((a, b) => hitRank(a) - hitRank(b));
}

function sameHit(a: Hit, b: Hit): boolean {
  if (a.kind !== b.kind || String(a.cs) !== String(b.cs)) return false;
  if (a.kind === 'named' && b.kind === 'named') return a.actor === b.actor;
  if (a.kind === 'generic' && b.kind === 'generic') return a.gen === b.gen && a.demonymOnly === b.demonymOnly;
  if (a.kind === 'country' && b.kind === 'country') return a.country === b.country;
  if (a.kind === 'ethnic' && b.kind === 'ethnic') return a.group === b.group;
  if (a.kind === 'militia' && b.kind === 'militia') return a.only === b.only;
  return false;
}

function hitRank(h: Hit): number {
  return h.kind === 'named' ? 0 : h.kind === 'generic' ? (h.demonymOnly ? 2 : 1) : 3;
}

/**
 * Single-token names that are also common words or names ("IS", "AA", "ANA", "Wagner" the surname):
 * they need the context `stopAcronymOk` asks for.
 */
const STOP_ACRONYMS = new Set(['is', 'as', 'us', 'it', 'an', 'at', 'on', 'in', 'or', 'no', 'so', 'do', 'am', 'be', 'we', 'to', 'of', 'by', 'up', 'he', 'me', 'my', 'if', 'aa', 'ana', 'car', 'ola', 'un', 'wagner']);

/** What may follow such a name in an upper-case text for it to count: "IS FIGHTERS", not "IS LEADER OF". */
const STOP_CONTEXT = new Set(['militants', 'militant', 'fighters', 'fighter', 'jihadists', 'jihadist', 'terrorists', 'insurgents', 'cell', 'cells', 'mercenaries', 'rebels']);

function csTokens(alias: string): { cs: string[]; stop: boolean } {
  const cs = tokenize(alias).map((t) => t.raw);
  return { cs, stop: cs.length === 1 && STOP_ACRONYMS.has(cs[0]!.toLowerCase()) };
}

interface Matcher {
  /** Registry aliases and generic triggers. */
  main: TrieNode;
  /** Country names and demonyms (prefixes of state and civilian nouns). */
  country: TrieNode;
  ethnic: TrieNode;
  /** Nouns that make an ethnic name a militia ("Fulani militiamen"). */
  militia: TrieNode;
  /** Nouns that make an ethnic name civilians ("Dogon villagers", "the Fulani community"). */
  ethnicCivilians: TrieNode;
  armedPrefix: ReadonlySet<string>;
  assocByTrigger: [string, string][];
}

let compiled: Matcher | null = null;

function matcher(): Matcher {
  if (compiled) return compiled;
  const reg = loadRegistry();
  const main = node();
  for (const a of reg.actors) {
    for (const alias of a.aliases) insert(main, alias, { kind: 'named', actor: a, cs: null, stop: false });
    for (const alias of a.case_sensitive_aliases ?? []) insert(main, alias, { kind: 'named', actor: a, ...csTokens(alias) });
  }
  const assocByTrigger: [string, string][] = [];
  for (const g of reg.generic) {
    const plain = (phrase: string, demonymOnly: boolean): void => insert(main, phrase, { kind: 'generic', gen: g, cs: null, stop: false, demonymOnly, phrase: foldPhrase(phrase) });
    for (const t of g.triggers) plain(t, false);
    for (const t of g.demonym_only_triggers ?? []) plain(t, true);
    for (const t of g.case_sensitive_triggers ?? []) insert(main, t, { kind: 'generic', gen: g, ...csTokens(t), demonymOnly: false, phrase: t });
    for (const [template, triggers] of Object.entries(g.assoc ?? {})) {
      for (const t of triggers) {
        plain(t, false);
        assocByTrigger.push([foldPhrase(t), template]);
      }
    }
  }
  // Longer trigger phrases first, so that "gold miners" is looked up before "miners".
  assocByTrigger.sort((a, b) => b[0].length - a[0].length);

  const country = node();
  const owners = demonymOwners();
  for (const c of allCountries()) {
    for (const n of c.names) insertCountry(country, n, c, true);
    for (const d of c.demonyms) if (owners.get(foldPhrase(d)) === c) insertCountry(country, d, c, false);
  }
  // "US troops", "UK forces": codes that are words, so only as written.
  const usa = countryByIso3('USA');
  const gbr = countryByIso3('GBR');
  if (usa) insert(country, 'US', { kind: 'country', country: usa, ...csTokens('US'), name: true });
  if (gbr) insert(country, 'UK', { kind: 'country', country: gbr, ...csTokens('UK'), name: true });

  const ethnic = node();
  const militia = node();
  const ethnicCivilians = node();
  const civilians = reg.generic.find((g) => g.id === 'generic:civilians');
  if (civilians) {
    const triggers = [...civilians.triggers, ...Object.values(civilians.assoc ?? {}).flat(), ...reg.ethnic.civilian_triggers];
    for (const t of triggers) insert(ethnicCivilians, t, { kind: 'generic', gen: civilians, cs: null, stop: false, demonymOnly: false, phrase: foldPhrase(t) });
  }
  for (const g of reg.ethnic.groups) {
    for (const a of g.aliases) insert(ethnic, a, { kind: 'ethnic', group: g, cs: null, stop: false });
    for (const t of g.militia_triggers ?? []) insert(militia, t, { kind: 'militia', only: g.name, phrase: foldPhrase(t), cs: null, stop: false });
  }
  for (const t of reg.ethnic.militia_triggers) insert(militia, t, { kind: 'militia', only: null, phrase: foldPhrase(t), cs: null, stop: false });

  compiled = { main, country, ethnic, militia, ethnicCivilians, armedPrefix: new Set(reg.ethnic.armed_prefix.map(foldPhrase)), assocByTrigger };
  return compiled;
}

/** Demonyms shared by two states that news means one of; other shared ones go to the shortest name. */
const DEMONYM_OWNER: Record<string, string> = { congolese: 'COD' };

/**
 * Each demonym's country. A demonym listed for several countries ("French": France and the French
 * Southern Lands, "Indian": India and the British Indian Ocean Territory) goes to the one with the
 * shortest name, which is the sovereign state in every such case in the data, unless DEMONYM_OWNER says.
 */
function demonymOwners(): Map<string, Country> {
  const owners = new Map<string, Country>();
  for (const c of allCountries()) {
    for (const d of c.demonyms) {
      const key = foldPhrase(d);
      const forced = DEMONYM_OWNER[key];
      const current = owners.get(key);
      if (forced) {
        if (c.iso3 === forced) owners.set(key, c);
      } else if (!current || c.name.length < current.name.length) owners.set(key, c);
    }
  }
  return owners;
}

function insertCountry(root: TrieNode, phrase: string, c: Country, isName: boolean): void {
  // All-capital short names ("DRC", "CAR") match only as written.
  const caps = phrase.length <= 4 && phrase === phrase.toUpperCase() && /[A-Z]/.test(phrase);
  insert(root, phrase, { kind: 'country', country: c, ...(caps ? csTokens(phrase) : { cs: null, stop: false }), name: isName });
}

// ---------------------------------------------------------------- matching

interface Ctx {
  text: string;
  toks: Token[];
  upper: boolean;
  reg: Registry;
  m: Matcher;
}

interface Found {
  end: number;
  hit: Hit;
}

/** The longest match in `root` starting at token `i` whose hit passes `accept`. */
function walk(root: TrieNode, toks: readonly Token[], i: number, accept: (hit: Hit, end: number) => boolean): Found | null {
  let best: Found | null = null;
  let n: TrieNode | undefined = root;
  for (let j = i; j < toks.length; j++) {
    if (j > i && !toks[j - 1]!.join) break;
    n = n.next?.get(toks[j]!.key);
    if (!n) break;
    if (n.hits) {
      for (const h of n.hits) {
        if (accept(h, j + 1)) {
          best = { end: j + 1, hit: h };
          break;
        }
      }
    }
  }
  return best;
}

/** Case rules for a hit spanning tokens [i, end). */
function caseOk(ctx: Ctx, h: Hit, i: number, end: number): boolean {
  if (h.kind === 'country' && !h.cs) {
    // Country names and demonyms are capitalised in running text ("Turkey", not "turkey").
    const first = ctx.toks[i]!.raw;
    return ctx.upper || first[0] !== first[0]!.toLowerCase();
  }
  const cs = h.cs;
  if (!cs) return true;
  for (let k = 0; k < cs.length; k++) {
    const raw = ctx.toks[i + k]!.raw;
    const want = cs[k]!;
    if (raw !== want && (raw !== want.toUpperCase() || (h.stop && !ctx.upper))) return false;
  }
  // A country code that is a word ("US", "CAR") is a prefix: demonymCandidate checks the noun after it.
  return !h.stop || h.kind === 'country' || stopAcronymOk(ctx, i, end);
}

/**
 * A name that is also a word ("IS", "AA", "Wagner") counts only in a clear context: in an upper-case
 * text when a fighters' noun follows ("IS FIGHTERS"); in mixed-case text when it is written as in the
 * registry and not inside a run of capitals (a headline "THIS IS WAR").
 */
function stopAcronymOk(ctx: Ctx, i: number, end: number): boolean {
  const next = ctx.toks[end];
  if (ctx.upper) return !!next && ctx.toks[end - 1]!.join && STOP_CONTEXT.has(next.key);
  const prev = ctx.toks[i - 1];
  return !(prev && isAllCaps(prev.raw)) && !(next && isAllCaps(next.raw));
}

/** Tokens i and i+1 are joined by a hyphen ("anti-Houthi", "JNIM-linked"). */
function hyphenBetween(ctx: Ctx, a: Token, b: Token): boolean {
  const gap = ctx.text.slice(a.end, b.start);
  return gap === '-' || gap === '‑' || gap === '–';
}

/** "of (the) Mali" at token `j`: the country and the token after its name, or null. */
function ofCountryAt(ctx: Ctx, j: number): { end: number; country: Country } | null {
  if (ctx.toks[j]?.key !== 'of' || !ctx.toks[j - 1]?.join || !ctx.toks[j]!.join) return null;
  let k = j + 1;
  if (ctx.toks[k]?.key === 'the' && ctx.toks[k]!.join) k++;
  const f = walk(ctx.m.country, ctx.toks, k, (h, end) => h.kind === 'country' && h.name && caseOk(ctx, h, k, end));
  return f && f.hit.kind === 'country' ? { end: f.end, country: f.hit.country } : null;
}

interface Candidate {
  start: number;
  end: number;
  /** Lower wins a tie on length: named 0, demonym 1, ethnic 2, generic 3. */
  rank: number;
  /** Built only for the winning candidate; usually one mention ("forces of India and Pakistan" gives two). */
  make: () => ActorMention[];
}

export function annotateActors(text: string): ActorMention[] {
  const reg = loadRegistry();
  const ctx: Ctx = { text, toks: tokenize(text), upper: isUpperText(text), reg, m: matcher() };
  const out: ActorMention[] = [];
  const { toks } = ctx;
  let i = 0;
  while (i < toks.length) {
    const c = bestCandidate(ctx, i);
    if (c) {
      out.push(...c.make());
      i = c.end;
    } else i++;
  }
  return out;
}

function bestCandidate(ctx: Ctx, i: number): Candidate | null {
  let best: Candidate | null = null;
  const consider = (c: Candidate | null): void => {
    if (c && (!best || c.end > best.end || (c.end === best.end && c.rank < best.rank))) best = c;
  };
  consider(mainCandidate(ctx, i));
  consider(demonymCandidate(ctx, i));
  consider(ethnicCandidate(ctx, i));
  return best;
}

// A registry alias or a generic noun alone.
function mainCandidate(ctx: Ctx, i: number): Candidate | null {
  const f = walk(ctx.m.main, ctx.toks, i, (h, end) => {
    if (!caseOk(ctx, h, i, end)) return false;
    if (h.kind === 'generic' && h.demonymOnly) return ofCountryAt(ctx, end) !== null;
    return true;
  });
  if (!f) return null;
  const h = f.hit;
  if (h.kind === 'named') return namedCandidate(ctx, i, f.end, h.actor);
  if (h.kind !== 'generic') return null;
  const { gen, phrase } = h;
  if (gen.state) return stateOfCandidate(ctx, i, f.end, gen, phrase);
  let end = f.end;
  // "rebel forces", "Islamist factions": an actor noun after an armed-group noun is part of it.
  if (gen.inter >= 2 && gen.inter <= 4) {
    for (let k = 0; k < 2 && ctx.toks[end - 1]!.join && ctx.toks[end] && ctx.reg.headNouns.has(ctx.toks[end]!.key); k++) end++;
  }
  const stop = end;
  return { start: i, end, rank: 3, make: () => [genericMention(ctx, i, stop, gen, phrase, null)] };
}

// "the army", "armed forces of El Salvador", "military forces of India and Pakistan".
function stateOfCandidate(ctx: Ctx, i: number, end: number, gen: GenericActor, phrase: string): Candidate {
  const of = ofCountryAt(ctx, end);
  if (!of) return { start: i, end, rank: 3, make: () => [genericMention(ctx, i, end, gen, phrase, null)] };
  const { toks } = ctx;
  const j = of.end;
  if (toks[j]?.key === 'and' && toks[j - 1]!.join && toks[j]!.join) {
    const k = j + 1;
    const second = walk(ctx.m.country, toks, k, (h, e) => h.kind === 'country' && h.name && caseOk(ctx, h, k, e));
    if (second && second.hit.kind === 'country') {
      const other = second.hit.country;
      return {
        start: i,
        end: second.end,
        rank: 3,
        make: () => [genericMention(ctx, i, j, gen, phrase, of.country), genericMention(ctx, k, second.end, gen, phrase, other)],
      };
    }
  }
  return { start: i, end: j, rank: 3, make: () => [genericMention(ctx, i, j, gen, phrase, of.country)] };
}

function namedCandidate(ctx: Ctx, i: number, end: number, actor: NamedActor): Candidate | null {
  const { toks, reg } = ctx;
  const prev = toks[i - 1];
  // "anti-Houthi forces" are not Houthis.
  if (prev && (prev.key === 'anti' || prev.key === 'counter') && hyphenBetween(ctx, prev, toks[i]!)) return null;
  let stop = end;
  const joined = (k: number): boolean => !!toks[k - 1]?.join && !!toks[k];
  if (joined(stop) && reg.linkers.has(toks[stop]!.key)) {
    // "JNIM-linked militants" are JNIM; "al-Qaeda-linked JNIM" names JNIM, not al-Qaeda.
    if (!joined(stop + 1) || !reg.headNouns.has(toks[stop + 1]!.key)) return null;
    stop += 2;
  }
  // Up to two actor nouns belong to the name: "Wagner Group mercenaries", "ISWAP faction fighters".
  for (let k = 0; k < 2 && joined(stop) && reg.headNouns.has(toks[stop]!.key); k++) stop++;
  const last = stop;
  return { start: i, end: last, rank: 0, make: () => [namedMention(ctx, i, last, actor)] };
}

// "Malian soldiers", "Mali's army", "Burkinabe gendarmes", "Nigerian civilians".
function demonymCandidate(ctx: Ctx, i: number): Candidate | null {
  const { toks, m } = ctx;
  const prefix = walk(m.country, toks, i, (h, end) => h.kind === 'country' && caseOk(ctx, h, i, end));
  if (!prefix || prefix.hit.kind !== 'country') return null;
  const country = prefix.hit.country;
  const j = prefix.end;
  if (!toks[j - 1]!.join) return null;
  // "Turkish-backed forces", "US-led coalition": the country backs someone else.
  if (toks[j] && ctx.reg.linkers.has(toks[j]!.key)) return null;
  // "Latin American", "South American" are not the United States.
  if (country.iso3 === 'USA' && i > 0 && /^(?:latin|central|south|north)$/.test(toks[i - 1]!.key)) return null;
  const trigger = demonymTrigger(ctx, j);
  // In capitals "US TROOPS" is a country, "LET US PEOPLE" and "THE CAR DRIVER" are not.
  if (trigger && prefix.hit.stop && ctx.upper && !trigger.gen.state) return null;
  if (trigger) {
    return { start: i, end: trigger.end, rank: 1, make: () => [genericMention(ctx, i, trigger.end, trigger.gen, trigger.phrase, country)] };
  }
  // "Malian and French soldiers": the first demonym shares the noun of the second.
  if (toks[j]?.key === 'and' && toks[j]!.join) {
    const second = walk(m.country, toks, j + 1, (h, end) => h.kind === 'country' && caseOk(ctx, h, j + 1, end));
    const shared = second ? demonymTrigger(ctx, second.end) : null;
    if (shared) return { start: i, end: j, rank: 1, make: () => [genericMention(ctx, i, j, shared.gen, shared.phrase, country)] };
  }
  return null;
}

function demonymTrigger(ctx: Ctx, j: number): { end: number; gen: GenericActor; phrase: string } | null {
  const f = walk(ctx.m.main, ctx.toks, j, (h, end) => h.kind === 'generic' && !!h.gen.demonym && caseOk(ctx, h, j, end));
  return f && f.hit.kind === 'generic' ? { end: f.end, gen: f.hit.gen, phrase: f.hit.phrase } : null;
}

// "Fulani militiamen", "armed Fulani", "Dogon villagers".
function ethnicCandidate(ctx: Ctx, i: number): Candidate | null {
  const { toks, m } = ctx;
  const armed = m.armedPrefix.has(toks[i]!.key) && toks[i]!.join;
  const at = armed ? i + 1 : i;
  const e = walk(m.ethnic, toks, at, (h) => h.kind === 'ethnic' && (ctx.upper || /^\p{Lu}/u.test(toks[at]!.raw)));
  if (!e || e.hit.kind !== 'ethnic') return null;
  const group = e.hit.group;
  if (!toks[e.end - 1]!.join) return armed ? { start: i, end: e.end, rank: 2, make: () => [ethnicMilitiaMention(ctx, i, e.end, group, 'armed')] } : null;
  const militia = walk(m.militia, toks, e.end, (h) => h.kind === 'militia' && (h.only === null || h.only === group.name));
  if (militia) {
    const end = militia.end;
    const phrase = militia.hit.kind === 'militia' ? militia.hit.phrase : 'militia';
    return { start: i, end, rank: 2, make: () => [ethnicMilitiaMention(ctx, i, end, group, phrase)] };
  }
  if (armed) return { start: i, end: e.end, rank: 2, make: () => [ethnicMilitiaMention(ctx, i, e.end, group, 'armed')] };
  const civ = walk(m.ethnicCivilians, toks, e.end, () => true);
  if (civ && civ.hit.kind === 'generic') {
    const { gen, phrase } = civ.hit;
    return { start: i, end: civ.end, rank: 2, make: () => [genericMention(ctx, i, civ.end, gen, phrase, null)] };
  }
  return null;
}

// ---------------------------------------------------------------- mentions

/** Every mention is built here, with one property order, so that all share one object shape (fast). */
function mention(ctx: Ctx, i: number, end: number, actorId: string, name: string, inter: Inter, iso3: string | null, generic: boolean, short: string, noun: string): ActorMention {
  const start = ctx.toks[i]!.start;
  const stop = ctx.toks[end - 1]!.end;
  return { start, end: stop, text: ctx.text.slice(start, stop), actor_id: actorId, name, inter, iso3, generic, short, noun };
}

function defaultNoun(a: NamedActor): string {
  if (a.noun) return a.noun;
  switch (a.inter) {
    case 1:
      return a.state_of === 'police' ? 'police' : 'soldiers';
    case 5:
      return 'rioters';
    case 6:
      return 'protesters';
    case 7:
      return 'civilians';
    case 8:
      return 'soldiers';
    default:
      return 'militants';
  }
}

/** External forces are placed where they operate, not in their home country. */
function placeOf(a: NamedActor): string | null {
  return a.inter === 8 ? (a.theatre ?? null) : a.iso3;
}

function namedMention(ctx: Ctx, i: number, end: number, a: NamedActor): ActorMention {
  const m = mention(ctx, i, end, a.id, a.name, a.inter, a.name.includes('{country}') ? null : placeOf(a), false, a.short, defaultNoun(a));
  const parent = a.parent ? actorById(a.parent) : undefined;
  if (parent) m.parent = parent.name;
  // A katiba without areas of its own operates where its parent does.
  const areas = a.areas ?? (parent && 'areas' in parent ? parent.areas : undefined);
  if (areas) m.areas = areas;
  if (a.areas && a.around) m.around = a.around;
  return m;
}

function genericMention(ctx: Ctx, i: number, end: number, g: GenericActor, phrase: string, country: Country | null): ActorMention {
  // With a country, plain military/police nouns become that country's state actor ("Malian soldiers" → FAMa's entry).
  if (country && (g.id === 'generic:military' || g.id === 'generic:police')) {
    const s = ctx.reg.state.get(`${g.state}:${country.iso3}`);
    if (s) return mention(ctx, i, end, s.id, s.name, s.inter, placeOf(s), true, phrase, defaultNoun(s));
  }
  let template = g.name;
  if (country && g.alt_name?.iso3.includes(country.iso3)) template = g.alt_name.name;
  const name = country ? fillCountry(template, country.name) : template;
  return mention(ctx, i, end, g.id, name, g.inter, country ? country.iso3 : null, true, phrase, g.noun);
}

function ethnicMilitiaMention(ctx: Ctx, i: number, end: number, group: EthnicGroup, phrase: string): ActorMention {
  return mention(ctx, i, end, ETHNIC_MILITIA_ID, `${group.name} Ethnic Militia ({country})`, 4, null, true, phrase, 'militants');
}
