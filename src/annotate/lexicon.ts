/**
 * A phrase lexicon compiled into one case-insensitive, word-bounded regular expression.
 * Phrases may contain simple regex pieces (`(?:s|es)?`, `\s+`); they are tried longest first so that
 * "suicide car bomb" wins over "car bomb" and "bomb". Matching is one linear scan of the text.
 */
import type { Mention } from '../core/types.js';

export interface LexiconEntry<T> {
  /** A phrase; a space matches a run of whitespace or hyphens, " ?" an optional one. May contain non-capturing regex groups. */
  pattern: string;
  payload: T;
}

export interface LexiconMatch<T> extends Mention {
  payload: T;
}

/** The length of the text a pattern always matches: optional and alternative groups count as nothing. */
export function literalLength(pattern: string): number {
  let p = pattern;
  // Innermost groups first, until none is left.
  for (let i = 0; i < 5 && p.includes('('); i++) p = p.replace(/\((?:\?:)?[^()]*\)[?*+]?(?:\{\d+(?:,\d*)?\}\??)?/g, '');
  return p.replace(/\\./g, 'x').replace(/\[[^\]]*\][?*+]?/g, 'x').replace(/ \?/g, '').replace(/[?*+]/g, '').length;
}

export class Lexicon<T> {
  private readonly regex: RegExp;
  /** Each entry's own pattern, anchored, in the order the alternation tries them. */
  private readonly entries: { anchored: RegExp; payload: T }[];
  /** Payload by matched text (lower case): the same words recur, so each is resolved once. */
  private readonly resolved = new Map<string, T | null>();

  constructor(entries: readonly LexiconEntry<T>[]) {
    // Longest phrase first: alternation in a JS regex takes the first alternative that matches, so
    // "shoot-out" must be tried before "shoot". Length is the literal text a pattern always needs.
    const sorted = [...entries].sort((a, b) => literalLength(b.pattern) - literalLength(a.pattern) || b.pattern.length - a.pattern.length);
    // " ?" is an optional separator ("air ?strike" = "airstrike", "air strike", "air-strike"); " " a required one.
    const sources = sorted.map((e) => e.pattern.replace(/ \?/g, '[\\s-]*').replace(/ /g, '[\\s-]+'));
    this.entries = sorted.map((e, i) => ({ anchored: new RegExp(`^(?:${sources[i]})$`, 'iu'), payload: e.payload }));
    this.regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${sources.map((src) => `(?:${src})`).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  }

  /** Which entry produced a match: the first, in alternation order, whose pattern matches the whole text. */
  private payloadOf(text: string): T | null {
    const key = text.toLowerCase();
    let p = this.resolved.get(key);
    if (p === undefined) {
      p = this.entries.find((e) => e.anchored.test(text))?.payload ?? null;
      this.resolved.set(key, p);
    }
    return p;
  }

  match(text: string): LexiconMatch<T>[] {
    const out: LexiconMatch<T>[] = [];
    for (const m of text.matchAll(this.regex)) {
      const payload = this.payloadOf(m[0]);
      if (payload === null) continue;
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], payload });
    }
    return out;
  }
}
