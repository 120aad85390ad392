/**
 * Inputs for the reliability tests and bench/reliability.ts: news-style sentences written here from
 * templates (no text from any outlet or gold set), mutations of them, pathological shapes, and a
 * checker that every span the extractor outputs points inside `article.text` and names its slice.
 */
import type { Doc, ExtractResult } from '../../src/core/types.js';
import { rng } from '../../bench/lib/random.js';

/** The benchmarks' seeded generator (mulberry32), so a bench run is reproducible. */
export { rng };

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export const TOWNS = ['Mopti', 'Gao', 'Ménaka', 'Djibo', 'Dori', 'Diffa', 'Maiduguri', 'Kismayo', 'Kandahar', 'Beni', 'Goma', 'Idlib', 'Aden', 'Bunia', 'Timbuktu', 'Kidal'];
export const COUNTRIES = ['Mali', 'Burkina Faso', 'Niger', 'Nigeria', 'Somalia', 'Afghanistan', 'Democratic Republic of Congo', 'Syria', 'Yemen'];
export const ACTORS = ['JNIM', 'Islamic State Sahel', 'al-Shabaab', 'the Taliban', 'M23 rebels', 'ADF fighters', 'Boko Haram', 'gunmen', 'unidentified assailants', 'Wagner mercenaries', 'Malian soldiers', 'the army', 'police officers', 'a local militia', 'Dozo hunters'];
export const VICTIMS = ['civilians', 'soldiers', 'villagers', 'people', 'police officers', 'militants', 'traders', 'students', 'farmers', 'herders'];
export const CLAIMANTS = ['local officials said', 'a security source said', 'the army said in a statement', 'according to residents', 'the group claimed', 'a hospital worker told reporters', 'witnesses said', 'the governor said'];
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NUMBERS = ['two', 'three', 'five', 'seven', 'a dozen', 'dozens of', 'at least 12', 'more than 40', 'about 30', 'between 10 and 15', 'nearly 100', 'several', 'hundreds of', '1,200', '3', '17', '250'];
const VERBS = ['killed', 'attacked', 'ambushed', 'abducted', 'wounded', 'shelled', 'clashed with', 'raided', 'burned', 'looted'];
const WEAPONS = ['an improvised explosive device', 'a roadside bomb', 'mortar fire', 'a drone strike', 'an airstrike', 'machetes', 'automatic weapons', 'a car bomb', 'a landmine', 'rockets'];

/** One news-style sentence from the templates. */
export function sentence(r: () => number): string {
  const town = pick(r, TOWNS);
  const day = 1 + Math.floor(r() * 28);
  const month = pick(r, MONTHS);
  const year = 2012 + Math.floor(r() * 13);
  const n = pick(r, NUMBERS);
  const templates = [
    () => `${cap(pick(r, ACTORS))} ${pick(r, VERBS)} ${n} ${pick(r, VICTIMS)} in ${town} on ${day} ${month} ${year}, ${pick(r, CLAIMANTS)}.`,
    () => `At least ${1 + Math.floor(r() * 60)} ${pick(r, VICTIMS)} were killed and ${n} wounded when ${pick(r, WEAPONS)} hit a market near ${town}, ${pick(r, CLAIMANTS)}.`,
    () => `${cap(pick(r, ACTORS))} clashed with ${pick(r, ACTORS)} outside ${town}, in ${pick(r, COUNTRIES)}'s north, on ${pick(r, ['Monday', 'Tuesday', 'Friday', 'Sunday'])}.`,
    () => `${cap(pick(r, CLAIMANTS).replace(/ said$| told reporters$/, ''))} said ${n} ${pick(r, VICTIMS)} died, while ${pick(r, ACTORS)} put the toll at ${1 + Math.floor(r() * 90)}.`,
    () => `Hundreds of protesters marched in ${town} on ${month} ${day} to denounce the insecurity; police fired tear gas, ${pick(r, CLAIMANTS)}.`,
    () => `${cap(pick(r, ACTORS))} seized ${town} (${pick(r, TOWNS)}, ${pick(r, COUNTRIES)}) after two days of fighting, ${pick(r, CLAIMANTS)}.`,
    () => `The attack, which ${pick(r, ACTORS)} claimed, came a week after ${n} people were abducted ${1 + Math.floor(r() * 80)} km from ${town}.`,
    () => `${cap(pick(r, VICTIMS))} fled to ${town} after ${pick(r, WEAPONS)} struck their village on the night of ${day}-${day + 1} ${month}.`,
    () => `"We counted ${n} bodies," a resident of ${town} said by phone. "They came on motorbikes and shot at everyone."`,
    () => `Since ${year}, violence in ${pick(r, COUNTRIES)} has killed more than ${1000 + Math.floor(r() * 20000)} people and displaced ${pick(r, ['2 million', '350,000', 'thousands'])}.`,
  ];
  return pick(r, templates)();
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A dateline, paragraphs of template sentences, and some scraped-page noise. */
export function article(r: () => number, sentences: number): string {
  const parts: string[] = [`${pick(r, TOWNS).toUpperCase()}, ${pick(r, MONTHS)} ${1 + Math.floor(r() * 28)} (Reuters) -`];
  let para: string[] = [];
  for (let i = 0; i < sentences; i++) {
    para.push(sentence(r));
    if (para.length >= 2 + Math.floor(r() * 3)) {
      parts.push(para.join(' '));
      para = [];
      if (r() < 0.05) parts.push(pick(r, ['Read also: More news from the region', 'Advertisement', 'Share this article', 'Subscribe to our newsletter']));
    }
  }
  if (para.length) parts.push(para.join(' '));
  return parts.join('\n\n');
}

/** An article of about `bytes` UTF-8 bytes (a 100 KB article is several hundred template sentences). */
export function articleOfSize(r: () => number, bytes: number): string {
  let text = article(r, 20);
  while (Buffer.byteLength(text, 'utf8') < bytes) text += '\n\n' + article(r, 20).split('\n\n').slice(1).join('\n\n');
  // Cut at a paragraph end near the size.
  const cut = text.lastIndexOf('\n\n', bytes);
  return cut > bytes / 2 ? text.slice(0, cut) : text.slice(0, bytes);
}

/** Mutations of a text: the kind of damage scraped text has, and worse. */
export const MUTATIONS: ReadonlyArray<[string, (s: string, r: () => number) => string]> = [
  ['delete a span', (s, r) => {
    const a = Math.floor(r() * s.length);
    return s.slice(0, a) + s.slice(a + Math.floor(r() * 20));
  }],
  ['duplicate a span', (s, r) => {
    const a = Math.floor(r() * s.length);
    const b = Math.min(s.length, a + Math.floor(r() * 40));
    return s.slice(0, b) + s.slice(a, b) + s.slice(b);
  }],
  ['insert odd characters', (s, r) => {
    const a = Math.floor(r() * (s.length + 1));
    return s.slice(0, a) + pick(r, ['\u200b', '\u00a0', '\ufeff', '\u202e', '\u0301', '😀', '\ud83d', '\u2028', '\r', '\t', '\u0000', '—', '…', '«', '»', '“', '”', '’', '\\', '<', '&amp;']) + s.slice(a);
  }],
  ['swap case', (s) => s.toUpperCase()],
  ['lower case', (s) => s.toLowerCase()],
  ['huge numbers', (s, r) => s.replace(/\d+/g, () => pick(r, ['99999999999999999999', '1e308', '9007199254740993', '-5', '0', '000000012', '1,000,000,000,000', '12.5', 'NaN', 'Infinity']))],
  ['numbers as words', (s, r) => s.replace(/\b\d+\b/, () => pick(r, ['one hundred and twenty-three thousand', 'a million', 'zero', 'scores', 'tens of thousands']))],
  ['collapse whitespace', (s) => s.replace(/\s+/g, '')],
  ['pathological whitespace', (s, r) => s.replace(/ /g, () => pick(r, ['  ', '\n', '\t', ' \u00a0 ', '\n\n\n', '\u3000', ' ']))],
  ['punctuation storm', (s, r) => s.replace(/[.,;]/g, () => pick(r, ['...', ',,,', ';;', '?!', ' - ', '—', '.', '((', '))', '"', "'"]).repeat(1 + Math.floor(r() * 5)))],
  ['strip punctuation', (s) => s.replace(/[.,;:()"']/g, '')],
  ['reverse words', (s) => s.split(' ').reverse().join(' ')],
  ['truncate', (s, r) => s.slice(0, Math.floor(r() * s.length))],
];

export function mutate(s: string, r: () => number, times: number): string {
  let out = s;
  for (let i = 0; i < times; i++) out = pick(r, MUTATIONS)[1](out, r);
  return out;
}

/** The known bad shapes for backtracking regular expressions, each about `n` characters. */
export function badShapes(n = 50_000): Record<string, string> {
  const rep = (unit: string, tail = '') => unit.repeat(Math.ceil(n / unit.length)) + tail;
  return {
    'a×n!': 'a'.repeat(n) + '!',
    'A×n!': 'A'.repeat(n) + '!',
    spaces: 'x' + ' '.repeat(n) + 'x',
    'spaces+tabs': rep(' \t', 'x'),
    commas: rep(',', 'x'),
    'comma-space': rep(', ', 'x'),
    hyphens: rep('-', 'x'),
    'word-hyphen': rep('a-', '!'),
    digits: rep('1', 'x'),
    'digit-space': rep('1 ', 'killed'),
    'digit-comma': rep('1,', 'x'),
    'digit-dot': rep('1.', 'x'),
    'number-words': rep('12 and ', 'people'),
    dots: rep('.'),
    newlines: rep('a\n'),
    'blank lines': rep('\n\n', 'x'),
    'one long token': 'x'.repeat(n * 2),
    'capitalised words': rep('Aa '),
    'capital letters': rep('AAAA '),
    'names with commas': rep('Mali, '),
    'dates': rep('1 January 2023, '),
    'parentheses': rep('(', 'x'),
    'nested parentheses': rep('(a ', ')'),
    quotes: rep('"'),
    apostrophes: rep("'s "),
    'em dashes': rep('— '),
    'killed runs': rep('killed '),
    'said runs': rep('said '),
    'the runs': rep('The '),
    'of the runs': rep('of the '),
    'at least': rep('at least '),
    'near X of Y': rep('near Gao of '),
    'km from': rep('5 km from '),
    'unicode letters': rep('é'),
    'astral': rep('😀'),
    'combining marks': rep('e\u0301'),
    'zero width': rep('a\u200b'),
  };
}

/**
 * Every problem with the spans of an extraction result: offsets outside `article.text`, a span whose
 * `text` differs from the slice it names, a start after its end. `doc`, when given, is checked too:
 * every mention the annotators made (sentences, quantities, dates, places, actors, triggers, weapons,
 * attributions).
 */
export function spanProblems(result: ExtractResult, doc?: Doc): string[] {
  const text = result.article.text;
  const out: string[] = [];
  const range = (where: string, s: { start: number; end: number }) => {
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end)) out.push(`${where}: offsets ${s.start}–${s.end} are not integers`);
    else if (s.start < 0 || s.end > text.length || s.start > s.end) out.push(`${where}: ${s.start}–${s.end} is outside the text (length ${text.length})`);
  };
  const slice = (where: string, s: { start: number; end: number; text: string }) => {
    range(where, s);
    if (text.slice(s.start, s.end) !== s.text) out.push(`${where}: text ${JSON.stringify(s.text.slice(0, 60))} is not the slice ${JSON.stringify(text.slice(s.start, s.end).slice(0, 60))}`);
  };
  result.events.forEach((e, i) => {
    e.evidence.forEach((ev, k) => range(`event ${i} evidence ${k} (${ev.field})`, ev));
    e.claims.forEach((c, k) => slice(`event ${i} claim ${k}`, c));
    if (e.sources.length === 0) out.push(`event ${i}: no source`);
  });
  if (doc) {
    if (doc.text !== text) out.push('doc.text is not article.text');
    doc.sentences.forEach((s, k) => range(`sentence ${k}`, s));
    for (const key of ['quantities', 'dates', 'places', 'actors', 'triggers', 'weapons', 'attributions'] as const) {
      (doc[key] as ReadonlyArray<{ start: number; end: number; text: string }>).forEach((m, k) => slice(`${key} ${k}`, m));
    }
  }
  return out;
}
