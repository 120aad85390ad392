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

export class Lexicon<T> {
  private readonly regex: RegExp;
  private readonly payloads: T[];

  constructor(entries: readonly LexiconEntry<T>[]) {
    // Longest pattern first: alternation in a JS regex takes the first alternative that matches.
    const sorted = [...entries].sort((a, b) => b.pattern.length - a.pattern.length);
    this.payloads = sorted.map((e) => e.payload);
    // " ?" is an optional separator ("air ?strike" = "airstrike", "air strike", "air-strike"); " " a required one.
    const alternatives = sorted.map((e, i) => `(?<p${i}>${e.pattern.replace(/ \?/g, '[\\s-]*').replace(/ /g, '[\\s-]+')})`);
    this.regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  }

  match(text: string): LexiconMatch<T>[] {
    const out: LexiconMatch<T>[] = [];
    for (const m of text.matchAll(this.regex)) {
      const groups = m.groups ?? {};
      let payload: T | undefined;
      for (const key in groups) {
        if (groups[key] !== undefined) {
          payload = this.payloads[Number(key.slice(1))];
          break;
        }
      }
      if (payload === undefined) continue;
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], payload });
    }
    return out;
  }
}
