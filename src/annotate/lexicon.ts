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
  private readonly payloads: T[];

  constructor(entries: readonly LexiconEntry<T>[]) {
    // Longest phrase first: alternation in a JS regex takes the first alternative that matches, so
    // "shoot-out" must be tried before "shoot". Length is the literal text a pattern always needs.
    const sorted = [...entries].sort((a, b) => literalLength(b.pattern) - literalLength(a.pattern) || b.pattern.length - a.pattern.length);
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
