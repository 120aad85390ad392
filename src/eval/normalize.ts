/**
 * Name normalisation and matching for scoring, as ../shared/eval/README.md defines it.
 *
 * Places: lower case, accents removed, parenthesised text removed, apostrophes deleted, other
 * punctuation turned into spaces, the words region/province/state/department/cercle/district
 * removed, spaces collapsed. Two place names match when equal or when one contains the other as
 * whole words.
 *
 * Actors: the same, except that parenthesised text stays unless it is only years ("(2020-2021)",
 * "(2016-)"), and the words of/the/and/for/in are dropped. Reading chosen here: the place words
 * (region, state, ...) are NOT removed from actor names, because the README's list of generic actor
 * words names "state" — it must survive normalisation to be excluded there — and because dropping it
 * would make "Islamic State" a one-word name that matches far too much.
 * Two actor names match when the alias table says so, or when both word-set Jaccard overlaps reach
 * 0.5: over all words, and over distinctive words (all but the generic ones). When neither name has a
 * distinctive word (e.g. "Unidentified Armed Group" vs "Armed Group"), the distinctive overlap counts
 * as 1, so the all-words overlap decides; when only one has any, the overlap is 0. All of the
 * README's examples hold under this reading (see test/eval/normalize.test.ts).
 */
import { ACTOR_ALIAS_GROUPS } from './aliases.js';

const PLACE_WORDS = new Set(['region', 'province', 'state', 'department', 'cercle', 'district']);
const ACTOR_STOP_WORDS = new Set(['of', 'the', 'and', 'for', 'in']);
const GENERIC_ACTOR_WORDS = new Set([
  'forces',
  'force',
  'group',
  'groups',
  'armed',
  'unidentified',
  'ethnic',
  'communal',
  'militia',
  'state',
  'faction',
]);

/** Letters that Unicode decomposition does not split into a base letter and an accent. */
const UNDECOMPOSED: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', ı: 'i', þ: 'th' };

function foldLetters(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[øæœßđłıþ]/g, (c) => UNDECOMPOSED[c] ?? c);
}

/** Removes innermost "(...)" groups until none is left, so nested parentheses go too. */
function removeParenthesised(s: string, keep: (inner: string) => boolean = () => false): string {
  let previous: string;
  let current = s;
  do {
    previous = current;
    current = current.replace(/\(([^()]*)\)/g, (whole, inner: string) => (keep(inner) ? ` ${inner} ` : ' '));
  } while (current !== previous);
  return current;
}

/** Apostrophes join ("N'Djamena" → "ndjamena"); every other non-letter, non-digit separates. */
function wordsOf(s: string): string[] {
  return s
    .replace(/['’‘`ʼ´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

export function normalizePlace(name: string): string {
  const words = wordsOf(removeParenthesised(foldLetters(name)));
  return words.filter((w) => !PLACE_WORDS.has(w)).join(' ');
}

/** True for parenthesised text that is only a year or a year range: "2020-2021", "2016-", "1998". */
function isYearsOnly(inner: string): boolean {
  return /^\s*\d{4}\s*(?:[-–]\s*(?:\d{4}\s*)?)?$/.test(inner);
}

export function normalizeActor(name: string): string {
  const kept = removeParenthesised(foldLetters(name), (inner) => !isYearsOnly(inner));
  return wordsOf(kept)
    .filter((w) => !ACTOR_STOP_WORDS.has(w))
    .join(' ');
}

/** `haystack` contains `needle` as a run of whole words (both already normalised). */
function containsWords(haystack: string, needle: string): boolean {
  return ` ${haystack} `.includes(` ${needle} `);
}

/** README place match; a name that normalises to nothing matches nothing. */
export function placeMatch(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const na = normalizePlace(a);
  const nb = normalizePlace(b);
  if (na === '' || nb === '') return false;
  return na === nb || containsWords(na, nb) || containsWords(nb, na);
}

/** |A ∩ B| / |A ∪ B|, with two empty sets counting as identical (1). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

let aliasIndex: Map<string, number> | null = null;

/** Normalised alias → index of its group in ACTOR_ALIAS_GROUPS; built on first use. */
function aliasGroupOf(normalised: string): number | undefined {
  if (!aliasIndex) {
    aliasIndex = new Map();
    ACTOR_ALIAS_GROUPS.forEach((group, i) => {
      for (const name of group) aliasIndex!.set(normalizeActor(name), i);
    });
  }
  return aliasIndex.get(normalised);
}

/**
 * The keys an actor name is known by: the alias group of the whole name, and — for ACLED's
 * "ABBR: Full name" form — of the acronym and of the full name, each on its own. A name outside
 * the table stands for itself.
 */
function actorKeys(name: string): Set<string> {
  const forms = [name];
  const colon = /^([^:]{1,15}):\s*(\S.*)$/.exec(name);
  if (colon) forms.push(colon[1]!, colon[2]!);
  const keys = new Set<string>();
  for (const form of forms) {
    const n = normalizeActor(form);
    if (n === '') continue;
    const group = aliasGroupOf(n);
    keys.add(group === undefined ? `name:${n}` : `alias:${group}`);
  }
  return keys;
}

/** True when the alias table (or ACLED's "ABBR: Full name" convention) makes the two names one actor. */
export function aliasMatch(a: string, b: string): boolean {
  const ka = actorKeys(a);
  for (const k of actorKeys(b)) if (ka.has(k)) return true;
  return false;
}

/** README actor match: alias, or both Jaccard overlaps (all words, distinctive words) ≥ 0.5. */
export function actorMatch(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const wa = normalizeActor(a).split(' ').filter((w) => w !== '');
  const wb = normalizeActor(b).split(' ').filter((w) => w !== '');
  if (wa.length === 0 || wb.length === 0) return false;
  if (aliasMatch(a, b)) return true;
  const all = jaccard(new Set(wa), new Set(wb));
  const distinctive = jaccard(
    new Set(wa.filter((w) => !GENERIC_ACTOR_WORDS.has(w))),
    new Set(wb.filter((w) => !GENERIC_ACTOR_WORDS.has(w))),
  );
  return all >= 0.5 && distinctive >= 0.5;
}
