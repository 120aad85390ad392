/**
 * Sentence splitting for news text.
 *
 * Paragraphs are separated by blank lines, or by single line breaks in ordinary web text (one
 * paragraph per line). Hard-wrapped wire copy (MUC-4 style, ~70-character lines that break
 * mid-sentence) is detected and its single line breaks are treated as spaces.
 * Inside a paragraph a sentence ends at . ! ? (plus closing quotes/brackets) followed by a space and
 * an upper-case letter, a digit or an opening quote, unless the word before the period is a known
 * abbreviation or a single letter ("U.S.", "Lt.", "Jan.").
 */
import type { Sentence } from '../core/types.js';

const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof gen lt col maj capt cpt sgt cpl pvt adm cmdr gov sen rep rev st mt ft no nos vol fig ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun ' +
    'inc ltd co corp jr sr dept approx est vs etc al ave blvd'
  ).split(' '),
);

/** True when single line breaks in the text are hard wraps inside paragraphs rather than paragraph ends. */
export function isHardWrapped(text: string): boolean {
  const lines = text.split('\n');
  let long = 0;
  let openEnded = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    const next = lines[i + 1]!.trim();
    if (line.length >= 50) long++;
    if (line.length >= 50 && next.length > 0 && !/[.!?:"”')\]]$/.test(line)) openEnded++;
  }
  return lines.length >= 4 && long >= lines.length * 0.4 && openEnded >= Math.max(2, long * 0.3);
}

export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  const wrapped = isHardWrapped(text);
  // Paragraph boundaries: blank lines always; single newlines unless the text is hard-wrapped.
  const paraBreak = wrapped ? /\n[ \t]*\n/g : /\n/g;
  let paraStart = 0;
  const pushParagraph = (start: number, end: number): void => {
    splitParagraph(text, start, end, sentences);
  };
  for (const m of text.matchAll(paraBreak)) {
    pushParagraph(paraStart, m.index);
    paraStart = m.index + m[0].length;
  }
  pushParagraph(paraStart, text.length);
  sentences.forEach((s, i) => (s.index = i));
  return sentences;
}

const BOUNDARY = /[.!?]+["”’')\]]*(?=\s+["“‘(]?[A-Z0-9À-Ý])|[.!?]+["”’')\]]*(?=\s*$)/g;

function splitParagraph(text: string, start: number, end: number, out: Sentence[]): void {
  const para = text.slice(start, end);
  let from = 0;
  for (const m of para.matchAll(BOUNDARY)) {
    const stop = m.index + m[0].length;
    if (m[0].startsWith('.') && m[0].length === 1 && isAbbreviation(para, m.index)) continue;
    pushTrimmed(text, start + from, start + stop, out);
    from = stop;
  }
  pushTrimmed(text, start + from, end, out);
}

function isAbbreviation(para: string, dot: number): boolean {
  let i = dot;
  while (i > 0 && /[A-Za-z.]/.test(para[i - 1]!)) i--;
  const word = para.slice(i, dot);
  if (word.length === 1) return true; // initials, "U.S" parts
  if (word.includes('.')) return true; // "U.S", "a.m"
  return ABBREVIATIONS.has(word.toLowerCase());
}

function pushTrimmed(text: string, start: number, end: number, out: Sentence[]): void {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) out.push({ start, end, index: out.length });
}

/** The sentence that contains offset `pos` (binary search); undefined when between sentences. */
export function sentenceAt(sentences: readonly Sentence[], pos: number): Sentence | undefined {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid]!;
    if (pos < s.start) hi = mid - 1;
    else if (pos >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
