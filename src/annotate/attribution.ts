/**
 * Attribution: who states what. Finds the cues news uses to attribute a statement ("the army said",
 * "according to local sources", "X claimed responsibility", "in a statement", "on condition of
 * anonymity", "officials told") and the claimant phrase each cue names.
 *
 * The claimant is returned as written (trimmed of articles); the assembler maps it to an actor when
 * an actor mention lies inside it.
 */
import type { Attribution } from '../core/types.js';

/** A claimant phrase: up to six words, optionally starting with a determiner. */
const WHO = String.raw`((?:the |a |an |its |their |local |several |some |two |three )?(?:[\p{L}\p{N}'’\-]+ ){0,5}?[\p{L}\p{N}'’\-]+)`;

const SAID = String.raw`(?:said|says|say|told|reported|stated|announced|confirmed|claimed|claims|claim|indicated|added|noted|declared|insisted|explained|revealed|wrote|tweeted)`;

interface Rule {
  cue: Attribution['cue'];
  regex: RegExp;
  /** Capture group holding the claimant (or a fixed claimant). */
  claimant: number | string;
  /**
   * A cheap cue to look for first; the rule's own expression then runs only on the text just before and
   * around each cue (a claimant phrase is at most six words), instead of at every position of the text.
   */
  near?: RegExp;
}

/** How far before its cue a claimant phrase may start. */
const WINDOW_BEFORE = 100;

const RULES: Rule[] = [
  // "according to the army", "according to JNIM", "according to local sources"
  { cue: 'according_to', regex: new RegExp(String.raw`\baccording to ${WHO}(?=[,.;:)]|\s(?:who|which|in|on|at|from|quoted|cited)\b|$)`, 'giu'), claimant: 1 },
  // "X claimed responsibility"
  { cue: 'claimed_responsibility', regex: new RegExp(String.raw`${WHO}\s+(?:has |have |had )?(?:claimed|claims|claim|claiming) (?:the )?responsibility`, 'giu'), claimant: 1, near: /\bclaim(?:ed|s|ing)? (?:the )?responsibility/giu },
  // "responsibility was claimed by X"
  { cue: 'claimed_responsibility', regex: new RegExp(String.raw`responsibility (?:was|has been) claimed by ${WHO}`, 'giu'), claimant: 1 },
  // "on condition of anonymity" / "who requested anonymity"
  { cue: 'anonymous', regex: /\b(?:on (?:the )?condition of anonymity|(?:who )?(?:requested|asked for|spoke on) anonymity|speaking anonymously|who asked not to be named|who did not want to be named|anonymous sources?)\b/giu, claimant: 'anonymous sources' },
  // "local sources", "security sources", "medical sources", "witnesses", "residents said"
  { cue: 'local_sources', regex: /\b((?:local|security|military|medical|hospital|humanitarian|police|army|official|government|diplomatic|community|tribal|hospital) (?:sources?|officials?)|witness(?:es)?|residents|eyewitness(?:es)?)\b(?=[^.]{0,60}\b(?:said|say|says|told|reported|according)\b)/giu, claimant: 1 },
  // "X said", "X told AFP", "X said in a statement"
  { cue: 'said', regex: new RegExp(String.raw`${WHO},?\s+(?:(?:has|have|had|also|later|further)\s+)?${SAID}\b`, 'giu'), claimant: 1, near: new RegExp(String.raw`\b${SAID}\b`, 'giu') },
  // "said X" (inverted): "..., said the army spokesman"
  { cue: 'said', regex: new RegExp(String.raw`[,"”]\s*(?:said|says|told|added|stated) ((?:the |a |an )?(?:[\p{L}'’\-]+ ){0,4}?[\p{L}'’\-]+)(?=\s*[.;,]|\s(?:on|in|at|who|told)\b|$)`, 'giu'), claimant: 1 },
  // "in a statement" (claimant resolved from the sentence's subject by the assembler)
  { cue: 'statement', regex: /\bin (?:a|its|their|an official|a joint|a written) (?:statement|communiqu[ée]|press release|video|post|message)\b/giu, claimant: '' },
  // "officials told", "sources told"
  { cue: 'told', regex: new RegExp(String.raw`${WHO} told\b`, 'giu'), claimant: 1, near: /\btold\b/giu },
];

/** Words that cannot head a claimant phrase (pronoun-like or function words). */
const BAD_CLAIMANT = /^(?:it|this|that|there|which|who|what|he|she|they|we|i|you|and|but|as|also|reports?|earlier reports?)$|\b(?:were|was|is|are|been|killed|wounded|injured)\b|\d/i;

/** Strip determiners and leading filler so "the Malian army" → "Malian army". */
function cleanClaimant(raw: string): string {
  let c = raw
    .trim()
    .replace(/^["“”'‘’\s]+/, '')
    .replace(/\s+(?:who )?(?:spoke |speaking )?on (?:the )?condition of anonymity$/i, '')
    .replace(/^(?:the|a|an|its|their)\s+/i, '');
  // Keep only the tail after a conjunction or comma-less clause start: "clashes with jihadists in the heart of the country, the army" → handled by WHO's limit
  c = c.replace(/^(?:and|but|as|while|when|which|who|that)\s+/i, '');
  return c;
}

/** Matches of a rule: over the whole text, or only in windows around its cue words. */
function* ruleMatches(text: string, rule: Rule): Generator<{ index: number; 0: string; [k: number]: string | undefined }> {
  if (!rule.near) {
    yield* text.matchAll(rule.regex);
    return;
  }
  // Matches never overlap, as in a scan of the whole text: a match must start after the previous one ends.
  let lastEnd = 0;
  for (const cue of text.matchAll(rule.near)) {
    const cueEnd = cue.index + cue[0].length;
    if (cueEnd <= lastEnd) continue;
    // Start the window at a word boundary, so that a claimant never begins inside a word.
    let from = Math.max(0, cue.index - WINDOW_BEFORE, lastEnd);
    if (from > 0 && !/\s/.test(text[from - 1]!)) {
      const ws = text.slice(from, cue.index).search(/\s/);
      from = ws < 0 ? cue.index : from + ws + 1;
    }
    const windowText = text.slice(from, Math.min(text.length, cueEnd + 20));
    for (const m of windowText.matchAll(rule.regex)) {
      const start = from + m.index;
      if (start < lastEnd || start + m[0].length < cue.index) continue;
      lastEnd = start + m[0].length;
      yield Object.assign([...m], { index: start }) as unknown as { index: number; 0: string; [k: number]: string | undefined };
    }
  }
}

export function annotateAttributions(text: string): Attribution[] {
  const out: Attribution[] = [];
  for (const rule of RULES) {
    for (const m of ruleMatches(text, rule)) {
      let claimant = typeof rule.claimant === 'number' ? (m[rule.claimant] ?? '') : rule.claimant;
      claimant = cleanClaimant(claimant);
      // Keep the last few words before "said": "in the heart of the country, the army said" → "army".
      if (rule.cue === 'said' || rule.cue === 'told' || rule.cue === 'claimed_responsibility') {
        const parts = claimant.split(/,\s*|\s+(?:and|while|but|after|when|as|that|in|on|at|with|of the)\s+(?=\S)/i);
        claimant = cleanClaimant(parts[parts.length - 1] ?? claimant);
      }
      if (typeof rule.claimant === 'number' && (!claimant || BAD_CLAIMANT.test(claimant))) continue;
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], claimant, cue: rule.cue });
    }
  }
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  // Drop attributions wholly inside another one that names a claimant.
  return out.filter((a, i) => !out.some((b, j) => j !== i && b.start <= a.start && b.end >= a.end && (b.end - b.start > a.end - a.start) && b.claimant && a.cue === b.cue));
}
