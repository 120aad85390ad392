/**
 * Number phrases that could count people: "at least 14", "between 10 and 15", "two dozen",
 * "dozens", "several", "an unknown number", and the article of "a soldier" (one person).
 *
 * The annotator finds candidate counts only; which noun they count (killed, wounded, vehicles)
 * is the assembler's job. It therefore skips numbers that cannot be head counts: years, dates,
 * times, ordinals, percentages, money, distances, calibres ("AK-47") and ids ("MUC3-0059").
 * Text is matched case-insensitively so that all-caps wire copy works the same as mixed case.
 */
import type { Qualifier, Quantity } from '../core/types.js';

// ---------------------------------------------------------------- tokens

interface Tok {
  start: number;
  end: number;
  /** Lower-cased token text. */
  low: string;
  type: 'word' | 'num' | 'punct';
  /** True when a line break separates this token from the one before (or it is the first). */
  lineStart: boolean;
}

// Words (letters joined by apostrophes), digit groups (joined by . , : /), or one other character.
const TOKEN_RE = /\p{L}+(?:['’]\p{L}+)*|\d+(?:[.,:/]\d+)*|\S/gu;

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const raw = m[0];
    const start = m.index;
    const type = /^\p{L}/u.test(raw) ? 'word' : /^\d/.test(raw) ? 'num' : 'punct';
    const lineStart = toks.length === 0 || text.slice(prevEnd, start).includes('\n');
    toks.push({ start, end: start + raw.length, low: raw.toLowerCase(), type, lineStart });
    prevEnd = start + raw.length;
  }
  return toks;
}

/** True when token b follows token a with no space between them. */
function glued(a: Tok | undefined, b: Tok | undefined): boolean {
  return a !== undefined && b !== undefined && a.end === b.start;
}

function isHyphen(t: Tok | undefined): boolean {
  return t !== undefined && (t.low === '-' || t.low === '–' || t.low === '‑');
}

// ---------------------------------------------------------------- lexicons

// Maps, not object literals: a word such as "constructor" must not look like a number.
const UNITS = new Map<string, number>(
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'
    .split(' ')
    .map((w, k): [string, number] => [w, k]),
);
const TENS = new Map<string, number>([
  ['twenty', 20], ['thirty', 30], ['forty', 40], ['fourty', 40], ['fifty', 50],
  ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90],
]);
const SCALES = new Map<string, number>([['thousand', 1000], ['million', 1_000_000]]);

/** Singular nouns for one person: "a soldier", "an elderly man". */
const PERSON_SINGULAR = new Set(
  (
    'soldier officer policeman policewoman civilian man woman boy girl child baby infant toddler teenager ' +
    'youth teacher chief trader merchant farmer herder herdsman driver student pupil worker villager resident ' +
    'inhabitant militant fighter insurgent rebel jihadist terrorist gunman assailant attacker bandit gendarme ' +
    'guard guardsman journalist reporter priest pastor imam cleric marabout preacher leader official member ' +
    'person individual motorcyclist shepherd peasant commander militiaman trooper peacekeeper contractor ' +
    'employee doctor nurse volunteer mayor councillor councilor politician candidate activist protester ' +
    'protestor demonstrator prisoner detainee hostage suspect smuggler trafficker miner fisherman hunter ' +
    'elder notable judge magistrate lawyer businessman businesswoman tourist foreigner citizen pilgrim ' +
    'worshipper passenger traveller traveler refugee migrant wife husband son daughter father mother ' +
    'brother sister relative cousin nephew uncle lieutenant captain sergeant corporal colonel agent ' +
    'informant collaborator spy vigilante ranger watchman patient monk nun bishop catechist sheikh emir ' +
    'lawmaker senator minister governor prefect administrator deputy headman chieftain policeofficer ' +
    'serviceman servicewoman recruit cadet pilot mechanic engineer guide interpreter translator shopkeeper ' +
    'vendor labourer laborer herdboy dozo hunter body corpse victim survivor native national ' +
    'bodyguard clerk operator director spokesman spokesperson representative assistant technician secretary ' +
    'inmate photographer cameraman blogger professor lecturer physician surgeon inspector commissioner ' +
    'chairman chairperson superintendent warden kid teen adolescent grandson granddaughter grandfather ' +
    'grandmother stepson colleague companion friend neighbor neighbour owner clergyman deacon scholar bomber ' +
    'apprentice subprefect occupant marketgoer griot healer customer client shopper bystander pedestrian motorist cyclist rider'
  ).split(/\s+/),
);

/** True for a noun that names one or more people ("soldier", "villagers", "men"), lower case. */
export function isPersonNoun(word: string): boolean {
  return PERSON_SINGULAR.has(word) || PERSON_PLURAL.has(word);
}

/** True for a singular noun that names one person ("soldier", "chief"), lower case. */
export function isPersonSingular(word: string): boolean {
  return PERSON_SINGULAR.has(word);
}

/** Plural nouns for people, used to accept vague words ("several soldiers") and numbers that look like years. */
const PERSON_PLURAL = new Set([
  ...[...PERSON_SINGULAR].filter((w) => !/(man|woman|child|person|body|youth|wife|policeofficer)$/.test(w)).map((w) => w + 's'),
  ...'men women children people persons police personnel gunmen policemen policewomen militiamen herdsmen fishermen businessmen servicemen troops bodies corpses dead casualties fatalities victims hostages others wounded injured elements youths wives families relatives nationals worshippers'.split(
    ' ',
  ),
]);

/** A word right after a person noun that makes the noun a modifier ("a guard post", "a soldier camp"). */
const NOT_PERSON_HEAD = new Set(
  ('post posts house houses home camp base station office position checkpoint vehicle car truck school market ' +
    'union association group strike training uniform card hospital exchange swap plan plot attack raid ambush ' +
    'operation organization organisation cell network movement faction commando front party army militia force ' +
    'forces council assembly committee court government population area zone region territory stronghold ' +
    'hideout target unit convoy patrol act act').split(' '),
);

/**
 * Person nouns that are often adjectives ("a terrorist plan", "a civilian vehicle", "a national army"):
 * after these, the next word must end the noun phrase (punctuation, a function word, a verb, a person noun).
 */
const ADJECTIVE_PRONE = new Set(
  'national native civilian terrorist rebel militant jihadist insurgent youth student prisoner hostage refugee migrant worker child body guard elder official member leader suspect'.split(
    ' ',
  ),
);

/** Words that may follow a person noun that heads its phrase ("a civilian was killed", "a rebel who"). */
const PHRASE_ENDERS = new Set(
  'who whose whom was were is are has had have said says told died dies named identified called when while after before during but near inside outside also reportedly allegedly of the a an and or to in on at by for with from that which as than his her their its'.split(
    ' ',
  ),
);

/** Words after a number that make it a measure, a time or a date, not a head count. */
const UNIT_WORDS = new Set(
  (
    'percent pct per km kms kilometres kilometers kilometre kilometer miles mile metres meters metre meter m mm cm ' +
    'millimetre millimeter calibre caliber kg kilos kilograms kilogram tonnes tons ton hectares ha acres feet ft ' +
    'yards litres liters barrels degrees dollars dollar usd us euros euro eur francs cfa fcfa xof naira ' +
    'shillings rupees afghanis pounds cedis birr dinars pesos colones intis soles bolivars lempiras quetzales ' +
    'cordobas billion years year yrs months month weeks week days day nights night hours hour hrs hr minutes street avenue ' +
    'minute mins min seconds second secs am pm gmt utc o\'clock times jan january feb february mar march apr ' +
    'april jun june jul july aug august sep sept september oct october nov november dec december'
  ).split(/\s+/),
);

const MONTH_WORDS = new Set(
  'jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october nov november dec december'.split(
    ' ',
  ),
);

/** After "may", words that make it the modal verb ("10 may have died"), not the month. */
const MODAL_FOLLOWERS = new Set(
  'be have not also well never still only soon yet already even face need take become lose die remain rise increase continue'.split(
    ' ',
  ),
);

/** Words before a number that make it a label ("No. 5", "Route 16", "aged 15"), not a count. */
const LABEL_WORDS = new Set(
  'no nr number article resolution chapter page route highway road rn kilometre kilometer km marker sector zone room flight bus line channel cadena brigade battalion regiment division squadron block lot district level grade class version phase stage section paragraph item case code tel phone box vol volume issue episode model type series round id aged age ages decree law ordinance street avenue calle carrera precision geoprecision'.split(
    ' ',
  ),
);

/** Qualifier phrases before a number, longest first so "no more than" wins over "more than". */
const PRE_QUALIFIERS: [string[], Qualifier][] = (
  [
    ['at least', 'at_least'],
    ['no fewer than', 'at_least'],
    ['no less than', 'at_least'],
    ['not less than', 'at_least'],
    ['not fewer than', 'at_least'],
    ['more than', 'at_least'],
    ['over', 'at_least'],
    ['well over', 'at_least'],
    ['just over', 'at_least'],
    ['upwards of', 'at_least'],
    ['in excess of', 'at_least'],
    ['a minimum of', 'at_least'],
    ['up to', 'at_most'],
    ['at most', 'at_most'],
    ['fewer than', 'at_most'],
    ['less than', 'at_most'],
    ['no more than', 'at_most'],
    ['not more than', 'at_most'],
    ['a maximum of', 'at_most'],
    ['as many as', 'at_most'],
    ['just under', 'at_most'],
    ['nearly', 'about'],
    ['almost', 'about'],
    ['about', 'about'],
    ['around', 'about'],
    ['approximately', 'about'],
    ['approx', 'about'],
    ['some', 'about'],
    ['roughly', 'about'],
    ['an estimated', 'about'],
    ['estimated', 'about'],
    ['close to', 'about'],
    ['circa', 'about'],
    ['an approximate', 'about'],
  ] as [string, Qualifier][]
)
  .map(([p, q]): [string[], Qualifier] => [p.split(' '), q])
  .sort((a, b) => b[0].length - a[0].length);

/** Qualifier phrases after a number: "30 or more". */
const POST_QUALIFIERS: [string[], Qualifier][] = [
  [['or', 'more'], 'at_least'],
  [['and', 'more'], 'at_least'],
  [['or', 'so'], 'about'],
  [['or', 'fewer'], 'at_most'],
  [['or', 'less'], 'at_most'],
];

/** Vague plural numbers, counted the ACLED way ("dozens" 12, "hundreds" 100). `needsOf`: only before "of". */
const VAGUE_SCALES = new Map<string, { value: number; needsOf: boolean }>([
  ['tens', { value: 10, needsOf: true }],
  ['dozens', { value: 12, needsOf: false }],
  ['scores', { value: 20, needsOf: true }],
  ['hundreds', { value: 100, needsOf: false }],
  ['thousands', { value: 1000, needsOf: false }],
  ['millions', { value: 1_000_000, needsOf: true }],
]);

/** Vague words that count people only when a person noun follows within a few words. */
const VAGUE_FEW: Record<string, string[]> = {
  several: ['several'],
  many: ['many'],
  few: ['few'],
  some: ['some'],
  numerous: ['numerous'],
  multiple: ['multiple'],
  countless: ['countless'],
  'a few': ['a', 'few'],
  'a number of': ['a', 'number', 'of'],
  'a handful of': ['a', 'handful', 'of'],
  'a large number of': ['a', 'large', 'number', 'of'],
  'a great number of': ['a', 'great', 'number', 'of'],
  'a significant number of': ['a', 'significant', 'number', 'of'],
};
const VAGUE_FEW_LIST = Object.entries(VAGUE_FEW).sort((a, b) => b[1].length - a[1].length);

const UNKNOWN_ADJ = new Set(['unknown', 'undetermined', 'unspecified', 'undisclosed', 'unconfirmed', 'indeterminate', 'uncertain']);

/**
 * The words a quantity phrase can begin with, from the tables above: every matcher that `matchAtRaw`
 * tries looks at its first token first ("between", a qualifier, a vague word, a number word, the
 * articles of "a soldier" and "an unknown number"). A word outside them (most words of a text) starts
 * no phrase, and is passed over with one look-up instead of the whole cascade.
 */
const STARTERS = new Set<string>([
  'between', 'both', 'a', 'an', 'another', 'as', 'half', 'hundred', 'dozen',
  ...UNKNOWN_ADJ, ...UNITS.keys(), ...TENS.keys(), ...SCALES.keys(), ...VAGUE_SCALES.keys(),
  ...PRE_QUALIFIERS.map(([words]) => words[0]!), ...VAGUE_FEW_LIST.map(([, words]) => words[0]!),
]);

// ---------------------------------------------------------------- number cores

/** A parsed number: tokens [first, last], its value, and whether it came from digits. */
interface Core {
  first: number;
  last: number;
  value: number;
  /** True for "one" standing alone, which the caller treats like an article. */
  bareOne: boolean;
  /** The multiplier of a trailing scale word ("8 million" → 1e6), else 1. */
  scale: number;
}

function wordsAt(toks: Tok[], i: number, words: string[]): boolean {
  for (let k = 0; k < words.length; k++) {
    const t = toks[i + k];
    if (t === undefined || t.low !== words[k]) return false;
  }
  return true;
}

/** Digits: "14", "1,200", "1.5 million", "3 thousand", "2 dozen". */
function parseDigits(toks: Tok[], i: number): Core | null {
  const t = toks[i];
  if (t === undefined || t.type !== 'num') return null;
  const raw = t.low;
  let value: number;
  if (/^\d{1,3}(?:,\d{3})+$/.test(raw)) value = Number(raw.replace(/,/g, ''));
  else if (/^(?:0|[1-9]\d*)$/.test(raw)) value = Number(raw);
  else if (/^\d+\.\d+$/.test(raw)) value = Number(raw);
  else return null; // times (10:30), dates (09/01/2016), leading zeros (0900)
  let last = i;
  const next = toks[i + 1];
  const scale = next ? (SCALES.get(next.low) ?? (next.low === 'dozen' ? 12 : next.low === 'hundred' ? 100 : 0)) : 0;
  if (scale > 0) {
    value *= scale;
    last = i + 1;
  }
  if (!Number.isInteger(value)) return null; // "2.5" alone is a measure, not a head count
  return { first: i, last, value, bareOne: false, scale: scale || 1 };
}

/**
 * Number words: "three", "twenty-one", "thirty five", "one hundred and twenty", "two dozen",
 * "a hundred", "a dozen", "half a dozen". Accumulates like spoken English: units and tens add,
 * "hundred" multiplies the current group, "thousand"/"million" close a group.
 */
function parseWords(toks: Tok[], i: number): Core | null {
  const t0 = toks[i];
  if (t0 === undefined || t0.type !== 'word') return null;
  if (wordsAt(toks, i, ['half', 'a', 'dozen'])) return { first: i, last: i + 2, value: 6, bareOne: false, scale: 1 };
  let j = i;
  let current = 0;
  let total = 0;
  let consumed = false;
  // "a hundred", "a dozen", "a thousand": the article stands for one.
  if ((t0.low === 'a' || t0.low === 'an') && toks[i + 1] && ['hundred', 'thousand', 'million', 'dozen'].includes(toks[i + 1]!.low)) {
    current = 1;
    j = i + 1;
  }
  let last = -1;
  let prev: 'none' | 'unit' | 'tens' | 'hundred' | 'scale' = 'none';
  for (;;) {
    const t = toks[j];
    if (t === undefined) break;
    const w = t.low;
    const unit = UNITS.get(w);
    const tens = TENS.get(w);
    const scale = SCALES.get(w);
    if (unit !== undefined) {
      if (prev === 'unit') break;
      if (prev === 'tens' && unit >= 10) break;
      current += unit;
      prev = 'unit';
    } else if (tens !== undefined) {
      if (prev === 'unit' || prev === 'tens') break;
      current += tens;
      prev = 'tens';
    } else if (w === 'hundred') {
      if (current >= 100) break;
      current = (current || 1) * 100;
      prev = 'hundred';
    } else if (scale !== undefined) {
      total += (current || 1) * scale;
      current = 0;
      prev = 'scale';
    } else if (w === 'dozen') {
      if (prev === 'hundred' || prev === 'scale') break;
      current = (current || 1) * 12;
      consumed = true;
      last = j;
      break; // "two dozen" ends the number
    } else if (w === 'and' && (prev === 'hundred' || prev === 'scale') && isNumberWord(toks[j + 1])) {
      j++;
      continue;
    } else if (isHyphen(t) && prev === 'tens' && glued(toks[j - 1], t) && glued(t, toks[j + 1]) && (UNITS.get(toks[j + 1]!.low) ?? 10) < 10) {
      j++;
      continue;
    } else break;
    consumed = true;
    last = j;
    j++;
  }
  if (!consumed) return null;
  const value = total + current;
  const bareOne = last === i && t0.low === 'one';
  const lastWord = toks[last]!.low;
  const scale = SCALES.get(lastWord) ?? (lastWord === 'hundred' ? 100 : 1);
  return { first: i, last, value, bareOne, scale };
}

function isNumberWord(t: Tok | undefined): boolean {
  return t !== undefined && (UNITS.has(t.low) || TENS.has(t.low) || t.low === 'hundred' || SCALES.has(t.low));
}

function parseCore(toks: Tok[], i: number): Core | null {
  return parseDigits(toks, i) ?? parseWords(toks, i);
}

// ---------------------------------------------------------------- exclusions

function isMonthWord(toks: Tok[], i: number): boolean {
  const t = toks[i];
  if (t === undefined || !MONTH_WORDS.has(t.low)) return false;
  if (t.low === 'may') {
    const n = toks[i + 1];
    return !(n !== undefined && MODAL_FOLLOWERS.has(n.low));
  }
  return true;
}

/** The left edge of a number: glued to letters or symbols ("AK-47", "$5", "G5"), or after a label word. */
function badLeft(toks: Tok[], first: number): boolean {
  const t = toks[first]!;
  const p = toks[first - 1];
  if (p === undefined) return false;
  if (glued(p, t)) {
    if (p.type === 'word' || p.type === 'num') return true;
    if ('$€£#№/.:_@'.includes(p.low)) return true;
    if (isHyphen(p) && (glued(toks[first - 2], p) || p.start === 0)) return true; // "AK-47", "MUC3-0059"
  }
  if (p.type === 'word' && (LABEL_WORDS.has(p.low) || isMonthWord(toks, first - 1))) return true;
  // "No. 5", "Nr. 5"
  if (p.low === '.' && toks[first - 2] && ['no', 'nr', 'vol', 'art'].includes(toks[first - 2]!.low)) return true;
  return false;
}

/** The right edge: glued to letters ("2nd", "15km"), a percent sign, a compound ("15-year-old"), or a unit word. */
function badRight(toks: Tok[], last: number): boolean {
  const t = toks[last]!;
  const n = toks[last + 1];
  if (n === undefined) return false;
  if (glued(t, n)) {
    if (n.type === 'word' || n.type === 'num') return true;
    if (isHyphen(n) && glued(n, toks[last + 2]) && toks[last + 2]!.type === 'word') return true; // "15-year-old"
  }
  if (n.type === 'word') {
    if (isMonthWord(toks, last + 1)) return true;
    if (n.low !== 'may' && UNIT_WORDS.has(n.low)) return true;
    // "9 p.m.", "9 a.m."
    if ((n.low === 'a' || n.low === 'p') && toks[last + 2]?.low === '.' && toks[last + 3]?.low === 'm') return true;
    if (n.low === 'per' && toks[last + 2]?.low === 'cent') return true;
  }
  if (n.low === '%' || n.low === '$' || n.low === '€') return true;
  return false;
}

/** "1." or "2)" opening a list item, at a line start or after a sentence. */
function listMarker(toks: Tok[], i: number): boolean {
  const t = toks[i]!;
  const n = toks[i + 1];
  if (n === undefined || (n.low !== '.' && n.low !== ')') || !glued(t, n)) return false;
  if (glued(n, toks[i + 2])) return false; // "3)," or "4.)" inside a sentence
  const p = toks[i - 1];
  return t.lineStart || p === undefined || ['.', ':', ';'].includes(p.low);
}

/**
 * A 24-hour clock time ("at 1810 (2210 GMT)", "between 1800 and 0600"): four digits that read as
 * HHMM after "at"/"by"/"until"/"from"/"between" (a qualifier may come between), or before "(... GMT)".
 */
function looksLikeClock(toks: Tok[], phraseStart: number, core: Core, last: number): boolean {
  const t = toks[core.first]!;
  if (core.first !== core.last || !/^(?:[01]\d|2[0-3])[0-5]\d$/.test(t.low)) return false;
  if (personPluralWithin(toks, last + 1, 2)) return false;
  const p = toks[phraseStart - 1]?.low;
  const before = toks[phraseStart]?.low === 'between' ? 'between' : p;
  if (before !== undefined && ['at', 'by', 'until', 'till', 'from', 'between', 'since'].includes(before)) return true;
  // "1500 (2000 GMT)"
  return toks[last + 1]?.low === '(' && ['gmt', 'utc'].includes(toks[last + 3]?.low ?? '');
}

/** A four-digit year (1900–2099), or a range of them, that no person noun follows. */
function looksLikeYear(toks: Tok[], core: Core, last: number): boolean {
  const t = toks[core.first]!;
  if (core.first !== core.last || !/^(19|20)\d\d$/.test(t.low)) return false;
  if (last !== core.last && !/^(19|20)\d\d$/.test(toks[last]!.low)) return false;
  return !personPluralWithin(toks, last + 1, 2);
}

/** A plural person noun within `n` words from token i, not crossing punctuation other than hyphens. */
function personPluralWithin(toks: Tok[], i: number, n: number): boolean {
  let words = 0;
  for (let j = i; j < toks.length && words < n; j++) {
    const t = toks[j]!;
    if (t.type === 'punct') {
      if (isHyphen(t) && glued(toks[j - 1], t)) continue;
      return false;
    }
    if (PERSON_PLURAL.has(t.low)) return true;
    words++;
  }
  return false;
}

// ---------------------------------------------------------------- phrases

interface Found {
  firstTok: number;
  lastTok: number;
  value: number | null;
  high: number | null;
  qualifier: Qualifier;
  vague?: string;
  indefinite?: boolean;
}

function matchPhrase(toks: Tok[], i: number, table: [string[], Qualifier][]): [number, Qualifier] | null {
  for (const [words, q] of table) if (wordsAt(toks, i, words)) return [words.length, q];
  return null;
}

/** A number, a range after it ("10-15", "10 to 15", "two or three"), and a trailing qualifier ("or more"). */
function matchNumber(toks: Tok[], i: number, between: boolean): { core: Core; high: number | null; last: number; post: Qualifier | null } | 'skip' | null {
  const core = parseCore(toks, i);
  if (core === null) return null;
  let last = core.last;
  let high: number | null = null;
  const sep = toks[last + 1];
  const joiner = between ? ['and', 'to', '-', '–'] : ['-', '–', 'to', 'or'];
  if (sep !== undefined && joiner.includes(sep.low)) {
    // "10-15" needs the hyphen glued on both sides or spaced on both ("10 - 15").
    const tight = isHyphen(sep) && glued(toks[last], sep);
    const core2 = tight && !glued(sep, toks[last + 2]) ? null : parseCore(toks, last + 2);
    // "7 or 8 million": the scale word covers both figures.
    const low = core2 !== null && core2.scale > 1 && core.scale === 1 && core.value < 1000 ? core.value * core2.scale : core.value;
    if (core2 !== null && core2.value > low) {
      core.value = low;
      high = core2.value;
      last = core2.last;
    }
  }
  if (badLeft(toks, core.first) || badRight(toks, last) || listMarker(toks, core.first)) return 'skip';
  if (looksLikeYear(toks, core, last)) return 'skip';
  let post: Qualifier | null = null;
  if (high === null) {
    const pq = matchPhrase(toks, last + 1, POST_QUALIFIERS);
    if (pq) {
      post = pq[1];
      last += pq[0];
    } else if (toks[last + 1]?.low === '+' && glued(toks[last], toks[last + 1])) {
      post = 'at_least';
      last += 1;
    }
  }
  return { core, high, last, post };
}

function matchUnknown(toks: Tok[], i: number): Found | null {
  let j = i;
  if (toks[j]?.low === 'an' || toks[j]?.low === 'a') j++;
  if (toks[j]?.low === 'as' && toks[j + 1]?.low === 'yet') j += 2;
  if (!UNKNOWN_ADJ.has(toks[j]?.low ?? '')) return null;
  if (toks[j + 1]?.low !== 'number') return null;
  return { firstTok: i, lastTok: j + 1, value: null, high: null, qualifier: 'unknown' };
}

/** "dozens", "hundreds", "tens of thousands", "several hundred", "a few dozen". */
function matchVagueScale(toks: Tok[], i: number): Found | null {
  const t = toks[i];
  if (t === undefined) return null;
  // "several dozen", "a few hundred", "many thousands"
  for (const [label, words] of VAGUE_FEW_LIST) {
    if (!wordsAt(toks, i, words)) continue;
    const s = toks[i + words.length];
    if (s === undefined) continue;
    const scale = ['dozen', 'dozens'].includes(s.low) ? 12 : ['hundred', 'hundreds'].includes(s.low) ? 100 : ['thousand', 'thousands'].includes(s.low) ? 1000 : 0;
    if (scale === 0 || unitAfter(toks, i + words.length + 1)) continue;
    return { firstTok: i, lastTok: i + words.length, value: scale, high: null, qualifier: 'vague', vague: `${label} ${s.low}` };
  }
  const v = VAGUE_SCALES.get(t.low);
  if (v === undefined) return null;
  const of = toks[i + 1]?.low === 'of';
  if (v.needsOf && !of) return null;
  if (unitAfter(toks, i + 1)) return null;
  // "tens of thousands", "hundreds of thousands"
  const inner = of ? VAGUE_SCALES.get(toks[i + 2]?.low ?? '') : undefined;
  if (inner !== undefined && inner.value > v.value) {
    return { firstTok: i, lastTok: i + 2, value: v.value * inner.value, high: null, qualifier: 'vague', vague: `${t.low} of ${toks[i + 2]!.low}` };
  }
  return { firstTok: i, lastTok: i, value: v.value, high: null, qualifier: 'vague', vague: t.low };
}

/** A unit word at token i, or "of" and a unit ("hundreds of kilometres"): no head count. */
function unitAfter(toks: Tok[], i: number): boolean {
  const n = toks[i]?.low === 'of' ? toks[i + 1] : toks[i];
  return n !== undefined && n.type === 'word' && UNIT_WORDS.has(n.low);
}

/** "several soldiers", "a few villagers", "some of the residents" (3); "a couple of" (2). */
function matchVagueFew(toks: Tok[], i: number): Found | null {
  if (wordsAt(toks, i, ['a', 'couple', 'of'])) {
    return { firstTok: i, lastTok: i + 1, value: 2, high: null, qualifier: 'about' };
  }
  for (const [label, words] of VAGUE_FEW_LIST) {
    if (!wordsAt(toks, i, words)) continue;
    const p = toks[i - 1]?.low;
    if (label === 'many' && p !== undefined && ['how', 'so', 'too', 'as'].includes(p)) return null;
    if (label === 'few' && p === 'a') return null; // "a few" was tried at the article
    if (!personPluralWithin(toks, i + words.length, 3)) return null;
    // The span covers the vague word itself, not a trailing "of" ("a number of" → "a number").
    const lastTok = words[words.length - 1] === 'of' ? i + words.length - 2 : i + words.length - 1;
    return { firstTok: i, lastTok, value: 3, high: null, qualifier: 'vague', vague: label };
  }
  return null;
}

/** "a soldier", "an elderly man", "a 15-year-old boy", "another civilian": one person; the span is the article. */
function matchIndefinite(toks: Tok[], i: number): Found | null {
  const t = toks[i];
  if (t === undefined || !['a', 'an', 'another'].includes(t.low)) return null;
  // "two were killed and another was injured": "another" as a pronoun for one more person.
  if (t.low === 'another' && PRONOUN_VERBS.has(toks[i + 1]?.low ?? '')) return { firstTok: i, lastTok: i, value: 1, high: null, qualifier: 'exact', indefinite: true };
  let j = i + 1;
  for (let mods = 0; mods <= 2; mods++) {
    const unit = wordUnit(toks, j);
    if (unit === null) return null;
    const head = toks[unit.last]!;
    if (unit.first === unit.last && PERSON_SINGULAR.has(head.low)) {
      if (!headsPhrase(toks, unit.last)) return null;
      return { firstTok: i, lastTok: i, value: 1, high: null, qualifier: 'exact', indefinite: true };
    }
    if (FUNCTION_WORDS.has(head.low)) return null;
    j = unit.last + 1;
  }
  return null;
}

/** Words after "another" that make it a pronoun for a person ("another was wounded", "another died"). */
const PRONOUN_VERBS = new Set('was were is died later also reportedly succumbed remains remained sustained suffered'.split(' '));

/** True when the person noun at token k is the head of its phrase, not a modifier ("a terrorist plan"). */
function headsPhrase(toks: Tok[], k: number): boolean {
  const after = toks[k + 1];
  if (after === undefined || after.type !== 'word') return true;
  if (NOT_PERSON_HEAD.has(after.low)) return false;
  if (!ADJECTIVE_PRONE.has(toks[k]!.low)) return true;
  return PHRASE_ENDERS.has(after.low) || PERSON_SINGULAR.has(after.low) || /(?:ed|ing)$/.test(after.low);
}

const FUNCTION_WORDS = new Set(
  'of the a an and or to in on at by for with from that which who whom was is were are had has have been be not as than this these those his her their its'.split(' '),
);

/** A word, or a glued hyphen compound such as "off-duty" or "15-year-old". */
function wordUnit(toks: Tok[], j: number): { first: number; last: number } | null {
  const t = toks[j];
  if (t === undefined || t.type === 'punct') return null;
  let last = j;
  while (isHyphen(toks[last + 1]) && glued(toks[last], toks[last + 1]) && glued(toks[last + 1], toks[last + 2]) && toks[last + 2]!.type !== 'punct') {
    last += 2;
  }
  if (t.type === 'num' && last === j) return null; // a bare number is not a modifier
  return { first: j, last };
}

/** Try every phrase kind at token i, most specific first; reject clock times. */
function matchAt(toks: Tok[], i: number): Found | 'skip' | null {
  const t = toks[i]!;
  if (t.type !== 'num' && !STARTERS.has(t.low)) return null;
  const found = matchAtRaw(toks, i);
  if (found === null || found === 'skip' || found.value === null || found.qualifier === 'vague') return found;
  const core = parseCore(toks, toks[found.firstTok]!.low === 'between' ? found.firstTok + 1 : firstNumberTok(toks, found));
  if (core !== null && looksLikeClock(toks, found.firstTok, core, found.lastTok)) return 'skip';
  return found;
}

/** The first token of the number inside a found phrase (after any qualifier words). */
function firstNumberTok(toks: Tok[], found: Found): number {
  const pre = matchPhrase(toks, found.firstTok, PRE_QUALIFIERS);
  return pre && !(found.firstTok + pre[0] > found.lastTok) ? found.firstTok + pre[0] : found.firstTok;
}

function matchAtRaw(toks: Tok[], i: number): Found | 'skip' | null {
  const unknown = matchUnknown(toks, i);
  if (unknown) return unknown;

  const t = toks[i]!;
  if (t.low === 'between') {
    const m = matchNumber(toks, i + 1, true);
    if (m === 'skip') return 'skip';
    if (m !== null && m.high !== null) {
      return { firstTok: i, lastTok: m.last, value: m.core.value, high: m.high, qualifier: 'about' };
    }
  }
  const pre = matchPhrase(toks, i, PRE_QUALIFIERS);
  if (pre) {
    const m = matchNumber(toks, i + pre[0], false);
    if (m === 'skip') return 'skip';
    if (m !== null) {
      const qualifier = m.high !== null ? 'about' : pre[1];
      return { firstTok: i, lastTok: m.last, value: m.core.value, high: m.high, qualifier };
    }
  }
  const scale = matchVagueScale(toks, i);
  if (scale) return scale;

  const m = matchNumber(toks, i, false);
  if (m === 'skip') return 'skip';
  if (m !== null) {
    // "from 10 to 15" is a change, not a range: keep the two figures apart.
    if (m.high !== null && toks[i - 1]?.low === 'from' && toks[m.core.last + 1]?.low === 'to') {
      return { firstTok: i, lastTok: m.core.last, value: m.core.value, high: null, qualifier: 'exact' };
    }
    if (m.core.bareOne && m.high === null && m.post === null) {
      const p = toks[i - 1]?.low;
      if (p !== undefined && ['the', 'this', 'that', 'no', 'any', 'every', 'each', 'which', 'only'].includes(p)) return null;
      if (toks[i + 1]?.low === 'another') return null;
      return { firstTok: i, lastTok: i, value: 1, high: null, qualifier: 'exact', indefinite: true };
    }
    const qualifier: Qualifier = m.high !== null ? 'about' : (m.post ?? (isDozen(toks, m.core) ? 'about' : 'exact'));
    return { firstTok: i, lastTok: m.last, value: m.core.value, high: m.high, qualifier };
  }
  return matchVagueFew(toks, i) ?? matchBoth(toks, i) ?? matchIndefinite(toks, i);
}

/**
 * "both soldiers", "both the assailants": two people. Not "both soldiers and civilians", where
 * "both" coordinates two groups instead of counting one.
 */
function matchBoth(toks: Tok[], i: number): Found | null {
  if (toks[i]?.low !== 'both') return null;
  let j = i + 1;
  if (toks[j]?.low === 'the' || toks[j]?.low === 'of') j += toks[j + 1]?.low === 'the' ? 2 : 1;
  for (let mods = 0; mods <= 2; mods++, j++) {
    const t = toks[j];
    if (t === undefined || t.type !== 'word' || FUNCTION_WORDS.has(t.low)) return null;
    if (!PERSON_PLURAL.has(t.low) && /s$/.test(t.low)) return null; // "both sides lost men": another noun heads the phrase
    if (PERSON_PLURAL.has(t.low)) {
      // "both soldiers and civilians" joins two groups; "both assailants and one officer" counts two.
      const n = toks[j + 2];
      const joined = toks[j + 1]?.low === 'and' || toks[j + 1]?.low === 'or';
      if (joined && !(n && (n.type === 'num' || isNumberWord(n) || ['a', 'an', 'the', 'one', 'another'].includes(n.low)))) return null;
      return { firstTok: i, lastTok: i, value: 2, high: null, qualifier: 'exact' };
    }
  }
  return null;
}

/** "a dozen", "two dozen": round figures, read as approximate. */
function isDozen(toks: Tok[], core: Core): boolean {
  return toks[core.last]?.low === 'dozen';
}

/**
 * Every number phrase in `text` that could count people, in text order and non-overlapping.
 * Offsets are into `text`; `text` of each quantity is exactly `text.slice(start, end)`.
 */
export function annotateQuantities(text: string): Quantity[] {
  const toks = tokenize(text);
  const out: Quantity[] = [];
  let i = 0;
  while (i < toks.length) {
    const found = matchAt(toks, i);
    if (found === null) {
      i++;
      continue;
    }
    if (found === 'skip') {
      i = skipNumberRun(toks, i);
      continue;
    }
    const start = toks[found.firstTok]!.start;
    const end = toks[found.lastTok]!.end;
    const q: Quantity = { start, end, text: text.slice(start, end), value: found.value, high: found.high, qualifier: found.qualifier };
    if (found.vague !== undefined) q.vague = found.vague;
    if (found.indefinite) q.indefinite = true;
    out.push(q);
    i = found.lastTok + 1;
  }
  return out;
}

/** Past a rejected number and anything numeric glued or joined to it ("12-14 May", "10 to 15 km"). */
function skipNumberRun(toks: Tok[], i: number): number {
  let j = i;
  // Step over a qualifier, then over number tokens and their joiners.
  while (j < toks.length && toks[j]!.type === 'word' && !isNumberWord(toks[j])) j++;
  while (j < toks.length) {
    const t = toks[j]!;
    if (t.type === 'num' || isNumberWord(t) || t.low === 'dozen' || ((isHyphen(t) || ['to', 'and', 'or'].includes(t.low)) && (toks[j + 1]?.type === 'num' || isNumberWord(toks[j + 1])))) j++;
    else break;
  }
  return Math.max(j, i + 1);
}
