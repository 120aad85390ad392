/**
 * Casualty claims: each number the text states about people killed, wounded, abducted, arrested,
 * missing or displaced, with who states it (claimant) and who was hit (victim).
 *
 * Four readings, in this order of trust:
 *
 * 1. A quantity governed by a casualty word: after it ("14 soldiers were killed", "11 wounded",
 *    "seven people, including two children, were killed"), or a verb before it ("killing 14
 *    soldiers", "neutralized 31 terrorists", "the death toll rose to 20"). A verb right before the
 *    number wins over a word after the noun ("killed three farmers and wounded one woman"), unless
 *    "were"/"who" says outright what happened to them ("wounded a guard who later died").
 *    Quantities coordinated with a claim ("killed five X and seven Y", "two soldiers and four
 *    assailants were killed") take its kind, and being listed side by side they are never
 *    alternatives of each other. Quantities inside "including ..." after a total are parts of it.
 * 2. One person with no number: a name or a definite noun next to a casualty verb ("shot and killed
 *    Ahmad Wali", "Karimi, a judge, was killed", "his wife was wounded", "killing the driver").
 * 3. The attackers themselves when the text counts them in: "in addition to the bomber", "killing
 *    himself", "the assailants were the only casualties".
 * 4. A coder's explicit figure ("unknown fatalities coded as 10") replaces what the text says, and
 *    totals shared between several incidents ("across the three attacks", "fatalities split between
 *    2 events (4)") are marked with how many incidents share them.
 */
import type { ActorMention, Attribution, Claim, ClaimKind, Doc, Quantity, Range, Sentence } from '../core/types.js';
import { isPersonNoun, isPersonSingular } from '../annotate/quantities.js';

export interface DraftClaim extends Claim {
  /** The victim side used to decide which claims are alternatives: "state:MLI", "actor:wagner", "militants", "civilians", "people". */
  victim_key: string;
  /** The actor mention of the victims, when one was found. */
  victim_actor?: ActorMention;
  /** The claimant's actor mention, when the claimant is an actor. */
  claimant_actor?: ActorMention;
  sentence: number;
  /** Where the victims' noun phrase ends, for coordination ("five X and seven Y"). */
  end_noun: number;
  /** Start of the total this claim is a part of ("five people, including two children"): never added to it. */
  part_of?: number;
  /** A coder's explicit figure ("fatalities coded as 10"): it replaces the other claims about its victims. */
  coded?: boolean;
  /** How many incidents share this figure ("across the three attacks"), when more than one. */
  shared_by?: number;
  /** The text says the figure could not be verified ("unconfirmed reports", "could not be independently verified"). */
  unverified?: boolean;
  /** "the victim", "killing him": one person the text has most likely counted already. */
  anaphoric?: boolean;
}

// ---------------------------------------------------------------- casualty words

/** Small counts as written in digits or words ("across the three attacks", "split between 2 events"). */
const COUNT_ALT = String.raw`\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve`;
const COUNT_WORD = `(${COUNT_ALT})`;

const TO_DEATH = String.raw`(?:shot|stabbed|hacked|beaten|burned|burnt|bludgeoned|stoned|clubbed|strangled|tortured|crushed) to death`;

const KIND_WORDS: [ClaimKind, RegExp][] = [
  ['killed', new RegExp(String.raw`^(?:killed|dead|died|die|slain|murdered|executed|massacred|beheaded|lost (?:their|his|her) li(?:ves|fe)|perished|fatalities|fatality|deaths|bodies|corpses|neutrali[sz]ed|eliminated|shot dead|lynched|assassinated|burned to death|burnt to death|${TO_DEATH}|drowned|succumbed|gunned down|decapitated)\b`, 'i')],
  ['injured', /^(?:wounded|injured|hurt|injuries|wounds|casualties wounded|hospitali[sz]ed|poisoned|sick|fell (?:ill|sick)|became (?:ill|sick))\b/i],
  ['abducted', /^(?:abducted|kidnapped|taken hostage|hostages?|held hostage|seized|captured|carried off|taken away)\b/i],
  ['arrested', /^(?:arrested|detained|apprehended|in custody|taken into custody|rounded up|held)\b/i],
  ['missing', /^(?:missing|unaccounted for|disappeared)\b/i],
  ['displaced', /^(?:displaced|fled|forced to flee|homeless)\b/i],
];

/** Qualifier words that may stand between a verb and its number ("killing at least 14"). */
const LEFT_QUAL = String.raw`\s*(?:all |the |all the |a reported |a total of |an additional |a further |another |a family of |a group of )?(?:at least |some |about |around |nearly |almost |more than |over |up to |an estimated |approximately |roughly )?["“”']?\s*$`;

/**
 * Verbs before the number: "killing 14", "wounded 11", "neutralized 31", "death toll rose to 20".
 * Group 1 is the verb. A weak verb ("left", "took", "seized") only counts when nothing after the number does.
 */
const LEFT_KIND: [ClaimKind, RegExp][] = [
  ['killed', new RegExp(String.raw`\b(kill(?:ed|ing|s)?|slew|slaying|murder(?:ed|ing)?|execut(?:ed|ing)|massacr(?:ed|ing)|behead(?:ed|ing)|assassinat(?:ed|ing)|neutrali[sz](?:ed|ing)|eliminat(?:ed|ing)|claim(?:ed|ing)? the li(?:ves|fe) of|death toll (?:\w+ )?(?:rose|risen|rises|climbed|reached|stood|stands|is|was|of|at|to)(?: to| at)?|toll (?:rose|climbed|reached|stood|of)(?: to| at)?|bod(?:y|ies) of|corpses? of|shot dead|${TO_DEATH.replace(' to death', '')} (?:and killed|dead)|gunned down|(?:killed|died|dead) (?:along|together) with|kill(?:ed|ing) (?:himself|herself|themselves) and|killings? of|murders? of|deaths? of|decapitat(?:ed|ing)|left|leaving|lynch(?:ed|ing))` + LEFT_QUAL, 'i')],
  ['injured', new RegExp(String.raw`\b(wound(?:ed|ing|s)?|injur(?:ed|ing|es)?|hurt(?:ing)?|(?:injured|wounded) (?:along|together) with|flogg(?:ed|ing)|whipp(?:ed|ing)|stabb(?:ed|ing)|poison(?:ed|ing))` + LEFT_QUAL, 'i')],
  ['abducted', new RegExp(String.raw`\b(abduct(?:ed|ing|s)?|kidnap(?:ped|ping|s)?|took|taking|seized|seizing|captur(?:ed|ing)|carried off|held)` + LEFT_QUAL, 'i')],
  ['arrested', new RegExp(String.raw`\b(arrest(?:ed|ing|s)?|detain(?:ed|ing|s)?|apprehend(?:ed|ing)?|round(?:ed)? up)` + LEFT_QUAL, 'i')],
  ['displaced', new RegExp(String.raw`\b(displac(?:ed|ing))` + LEFT_QUAL, 'i')],
];

/** "in retaliation for the death of", "responsible for the killing of": a motive or a charge, not this event's dead. */
const BACKGROUND_DEATH =
  /\b(?:retaliat\w*|reveng\w*|aveng\w*|mourn\w*|anniversary|memory|investigat\w*|responsible|accused|charged|convicted|suspected|blamed|wanted|involved|implicated)\b[^.;]{0,20}?\b(?:the\s+)?(?:deaths?|killings?|murders?)\s+of\s*$/i;

/** Left verbs that do not by themselves say what happened to the people counted. */
const WEAK_LEFT = /^(?:left|leaving|took|taking|seized|seizing|captur(?:ed|ing)|held)$/i;

/** "killing and wounding 20", "killed or injured 7": no separate count of the dead. */
const MIXED_LEFT = new RegExp(String.raw`\b(?:kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))\s*(?:,|and|or|and/or)\s*(?:kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))` + LEFT_QUAL, 'i');

/** After a killed/injured word: "killed and wounded", "killed, injured or captured" (one count for both). */
const MIXED_RIGHT = /^\s*(?:,\s*)?(?:and|or|and\/or)\s+(?:injured|wounded|hurt|killed|captured)\b|^\s*,\s*(?:injured|wounded)\s*(?:,\s*)?(?:and|or)\b|^\s*\(\s*killed or\b/i;

/** Words between the victims' noun phrase and the casualty word ("were", "reportedly", "later"). */
const AUX = new Set(
  ('were was are is have has had been being got be reportedly also later all allegedly reported confirmed feared believed ' +
    'presumed thought subsequently eventually then both each who that initially apparently likely presumably ultimately ' +
    'immediately instantly fatally critically seriously severely slightly lightly badly mortally publicly summarily found ' +
    'left themselves said to either estimated understood known').split(' '),
);

/** Participles that may precede the casualty word with "and" ("were abducted and killed"). */
const VERB_AND = new Set('shot attacked abducted kidnapped captured taken beaten tortured stabbed ambushed seized arrested detained hit struck targeted robbed raped dragged'.split(' '));

/** Words that end the victims' noun phrase. */
const NP_STOP = new Set(
  'and or in on at near during after before while when with from who that which were was are is as by including to for but had have has said says since because although though whereas inside outside across between into onto upon amid among over aboard riding carrying wearing driving using via behind against toward towards through within around following despite'.split(
    ' ',
  ),
);

/** What may follow a victims' phrase inside a subject: a prepositional phrase or a participle. */
const NP_MODIFIER =
  /^(?:in|on|at|near|from|of|with|aboard|inside|outside|riding|travell?ing|driving|working|living|belonging|including|among|accused|suspected|believed|said|thought|known|identified|described|reported|presumed|alleged|who|whom|that)\b/i;

/** Words that open a list of parts after a total: "seven people, including two children, ...". */
const PARTS_OPENER = /^(?:including|among|mostly|mainly|primarily|notably|namely|incl)$/i;

/** Nouns that make a number a count of people (so "3 vehicles were destroyed" is not a casualty claim). */
const PERSON_NOUN =
  /\b(?:people|persons?|soldiers?|troops|servicemen|servicemembers|military|officers?|policem[ae]n|police|gendarmes?|guards?|civilians?|villagers?|residents?|m[ae]n|wom[ae]n|children|child|boys?|girls?|teachers?|students?|pupils?|farmers?|herders?|shepherds?|traders?|merchants?|drivers?|passengers?|workers?|miners?|fighters?|militants?|jihadists?|terrorists?|insurgents?|rebels?|attackers?|assailants?|gunm[ae]n|bandits?|extremists?|islamists?|members?|mercenaries|militiam[ae]n|militia|combatants?|elements|recruits|hostages?|worshippers?|pilgrims?|chiefs?|leaders?|officials?|journalists?|priests?|imams?|pastors?|doctors?|nurses?|health workers?|aid workers?|staff|employees?|customs officers?|agents?|infants?|babies|family|relatives|detainees?|prisoners?|suspects?|protesters?|demonstrators?|rioters?|displaced|individuals?|victims?|casualties|dead|wounded|injured|bodies|personnel|volunteers?|vdps?|dozos?|hunters?|cadets?|commanders?|sympathi[sz]ers|enemies|enemy|bandits|kidnappers?|smugglers?|peacekeepers?|contractors?|Malians|Afghans|nationals|foreigners|tourists|Nigeriens|Burkinabe|others|bombers?)\b/iu;

// ---------------------------------------------------------------- tokens

interface Tok extends Range {
  text: string;
  low: string;
  word: boolean;
}

const TOKEN_RE = /\s*([\p{L}\p{N}](?:[\p{L}\p{N}'’]|[.\-–](?=[\p{L}\p{N}]))*|\S)/uy;

/** Tokens of text[from, to): words (with inner hyphens and apostrophes) and single punctuation marks. */
function tokens(text: string, from: number, to: number, max = 48): Tok[] {
  const out: Tok[] = [];
  TOKEN_RE.lastIndex = from;
  while (out.length < max) {
    const m = TOKEN_RE.exec(text);
    if (!m) break;
    const t = m[1]!;
    const start = m.index + m[0].length - t.length;
    if (start + t.length > to) break;
    out.push({ start, end: start + t.length, text: t, low: t.toLowerCase(), word: /^[\p{L}\p{N}]/u.test(t) });
  }
  return out;
}

const QUOTE = /^["“”'‘’]$/;

function isCapitalized(t: Tok): boolean {
  return /^\p{Lu}/u.test(t.text);
}

/** All casualty words in one sticky pattern, one group per kind, tried at a position without copying the text. */
const KIND_AT = new RegExp(KIND_WORDS.map(([, re]) => `(${re.source.replace(/^\^/, '')})`).join('|'), 'iy');

function kindAt(text: string, pos: number): { kind: ClaimKind; end: number } | null {
  KIND_AT.lastIndex = pos;
  const m = KIND_AT.exec(text);
  if (!m) return null;
  // "were 'neutralized'": in quotes, the word is the source's, and may mean captured.
  if (/^neutrali/i.test(m[0]) && /['‘’]/.test(text.charAt(pos - 1))) return null;
  const group = m.findIndex((g, i) => i > 0 && g !== undefined);
  return { kind: KIND_WORDS[group - 1]![0], end: pos + m[0].length };
}

// ---------------------------------------------------------------- the victims' noun phrase and what follows it

interface Scan {
  /** Where the victims' noun phrase ends (= the quantity's end when there is none). */
  npEnd: number;
  /** A "(, )including ... ," list skipped inside the phrase. */
  parts: Range | null;
  /** The casualty word found after the phrase, if any. */
  kind: ClaimKind | null;
  /** True when the casualty word joins two kinds ("killed and wounded"): no count for either. */
  mixed: boolean;
  /** True when a form of "be" stands before the casualty word ("were wounded"). */
  passive: boolean;
}

/**
 * From `from` (the end of a quantity) read the victims' noun phrase, then auxiliaries, then a
 * casualty word. The phrase may hold "of the", names with parenthesised acronyms ("Village
 * Defence Committee (VDC) members"), "X and Y" when Y is a person noun, and an "including ..." list.
 */
function scanRight(text: string, from: number, limit: number, isQuantity: (pos: number) => boolean): Scan {
  const toks = tokens(text, from, Math.min(limit, from + 260));
  let i = 0;
  let npEnd = from;
  let lower = 0;
  let caps = 0;
  let parts: Range | null = null;
  while (i < toks.length && QUOTE.test(toks[i]!.text)) i++;
  for (; i < toks.length; i++) {
    const t = toks[i]!;
    const prev = toks[i - 1]?.low;
    // "one of the three soldiers": the second number belongs to the phrase of the first.
    if (isQuantity(t.start) && !(prev === 'of' || (prev === 'the' && toks[i - 2]?.low === 'of'))) break;
    if (t.word) {
      // A casualty word ends the phrase, except as a noun: "one of the wounded later died", "the two hostages were killed".
      if (kindAt(text, t.start) && prev !== 'the' && !kindFollows(text, toks, i + 1)) break;
      if (t.low === 'including' && lower + caps > 0) {
        const list = partsList(text, toks, i, limit);
        parts = { start: list.start, end: list.end };
        i = list.next;
        break;
      }
      if (NP_STOP.has(t.low)) {
        const n = toks[i + 1];
        // "soldiers and policemen were killed", "MSA and GATIA combatants": the phrase goes on.
        const personNext = personAhead(toks, i + 1, isQuantity);
        const nameNext = n !== undefined && n.word && isCapitalized(n) && i > 0 && isCapitalized(toks[i - 1]!);
        if (t.low === 'and' && (personNext || nameNext) && lower + caps > 0) continue;
        break;
      }
      // "three presumed militants", but "two reported dead": an auxiliary before another word is a modifier.
      if (AUX.has(t.low) && !(lower + caps === 0 && /^(?:presumed|reported|confirmed|believed|estimated|suspected|alleged|known)$/.test(t.low) && toks[i + 1]?.word && !AUX.has(toks[i + 1]!.low) && !kindAt(text, toks[i + 1]!.start))) break;
      // A second article starts another phrase, unless after "of" ("members of the council").
      if (/^(?:a|an|the|his|her|their|its)$/.test(t.low) && lower + caps > 0 && prev !== 'of') break;
      if (isCapitalized(t)) caps++;
      else lower++;
      if (lower > 8 || caps > 12) return { npEnd, parts: null, kind: null, mixed: false, passive: false };
      npEnd = t.end;
      continue;
    }
    if (t.text === '(') {
      const close = toks.findIndex((x, k) => k > i && k <= i + 12 && x.text === ')');
      if (close < 0) break;
      i = close;
      npEnd = toks[close]!.end;
      continue;
    }
    if ((t.text === '—' || t.text === '–' || t.text === '-') && lower + caps > 0 && toks[i + 1]?.word && isCapitalized(toks[i + 1]!)) continue;
    if (t.text === '/' && lower + caps > 0 && toks[i + 1]?.word) continue; // "ABC/XYZ fighters"
    if (t.text === ',' && lower + caps > 0 && toks[i + 1] && PARTS_OPENER.test(toks[i + 1]!.low)) {
      const list = partsList(text, toks, i, limit);
      parts = { start: list.start, end: list.end };
      i = list.next;
      break;
    }
    // "two people, the tribal elder and his bodyguard, were killed": an apposition that names the members.
    const n = toks[i + 1];
    if (t.text === ',' && lower + caps > 0 && n && n.word && (/^(?:the|his|her|their|a|an)$/.test(n.low) || isCapitalized(n) || isQuantity(n.start))) {
      const list = partsList(text, toks, i, limit);
      const stop = toks[list.next];
      if (stop?.word && toks[list.next - 1]?.text === ',') {
        parts = { start: list.start, end: list.end };
        i = list.next;
      }
      break;
    }
    break;
  }
  // An optional comma, auxiliaries ("were reportedly"), "shot and", then the casualty word.
  let passive = false;
  if (toks[i]?.text === ',' && toks[i + 1]?.word && (AUX.has(toks[i + 1]!.low) || kindAt(text, toks[i + 1]!.start))) i++;
  for (; i < toks.length; i++) {
    const t = toks[i]!;
    if (QUOTE.test(t.text)) continue;
    if (!t.word) break;
    if (kindAt(text, t.start)) break;
    if (AUX.has(t.low)) {
      passive ||= /^(?:were|was|are|is|been|be|who|that)$/.test(t.low);
      continue;
    }
    if ((VERB_AND.has(t.low) || /ed$/.test(t.low)) && toks[i + 1]?.low === 'and') {
      i++;
      continue;
    }
    break;
  }
  const t = toks[i];
  const found = t && t.word ? kindAt(text, t.start) : null;
  if (!found) return { npEnd, parts, kind: null, mixed: false, passive: false };
  // "were taken hostage and beheaded": what happened last is what the count tells.
  if (found.kind !== 'killed' && THEN_KILLED.test(text.slice(found.end, found.end + 60))) found.kind = 'killed';
  const mixed = (found.kind === 'killed' || found.kind === 'injured') && MIXED_RIGHT.test(text.slice(found.end, found.end + 40));
  // "two gunmen killed a soldier": without "were" a verb with an object tells what the phrase did, not what it suffered.
  if (!passive && hasObject(text, found.end, limit, isQuantity)) return { npEnd, parts, kind: null, mixed: false, passive: false };
  return { npEnd, parts, kind: found.kind, mixed, passive };
}

/**
 * The list of parts after a total, from the comma or "including" at token i to the verb:
 * ", including Karimi, a judge, and three guards, were killed". Returns the token to go on from.
 */
function partsList(text: string, toks: Tok[], i: number, limit: number): Range & { next: number } {
  let k = i + 1;
  for (; k < toks.length; k++) {
    const x = toks[k]!;
    if (x.text === ';' || x.text === '.' || x.text === ':') break;
    if (x.word && (x.low === 'were' || x.low === 'was' || (kindAt(text, x.start) && toks[k - 1]?.low !== 'the'))) break;
    // ", including three soldiers and two contractors, and one Polish soldier were killed": ", and" closes the list.
    if (x.text === ',' && toks[k + 1]?.low === 'and' && k > i + 2) break;
  }
  return { start: toks[i]!.start, end: toks[k]?.start ?? limit, next: k };
}

/** After an abduction or arrest: "and later executed", "before being killed". */
const THEN_KILLED = new RegExp(String.raw`^\s*(?:,\s*)?(?:and|before being|then)\s+(?:(?:later|subsequently|then|eventually|summarily|publicly)\s+)?(?:killed|executed|beheaded|shot dead|murdered|slain|${TO_DEATH})\b`, 'i');

/** True when a verb ending at `pos` takes an object: an article, a possessive, a number or a name. */
function hasObject(text: string, pos: number, limit: number, isQuantity: (pos: number) => boolean): boolean {
  const t = tokens(text, pos, limit, 1)[0];
  if (!t || !t.word) return false;
  return isQuantity(t.start) || /^(?:a|an|the|his|her|their|its|one|two|three|four|five|six|seven|eight|nine|ten|several|many|dozens|scores|hundreds)$/.test(t.low) || (isCapitalized(t) && !NOT_NAME.has(t.low));
}

/** A person noun within three words from token j, none of them a number or a phrase boundary ("and alleged Syrian mercenaries"). */
function personAhead(toks: Tok[], j: number, isQuantity: (pos: number) => boolean): boolean {
  for (let k = j; k < j + 3 && k < toks.length; k++) {
    const t = toks[k]!;
    if (!t.word || isQuantity(t.start) || (k > j && NP_STOP.has(t.low)) || AUX.has(t.low)) return false;
    if (isPersonNoun(t.low)) return true;
  }
  return false;
}

/** True when auxiliaries and then a casualty word start at token j ("were killed", "were later executed"). */
function kindFollows(text: string, toks: Tok[], j: number): boolean {
  let k = j;
  for (; k < toks.length && toks[k]!.word; k++) {
    if (AUX.has(toks[k]!.low)) continue;
    if (VERB_AND.has(toks[k]!.low) && toks[k + 1]?.low === 'and') {
      k++;
      continue;
    }
    break;
  }
  return k > j && k < toks.length && toks[k]!.word && kindAt(text, toks[k]!.start) !== null;
}

// ---------------------------------------------------------------- claims from quantities

interface Reading {
  kind: ClaimKind;
  /** A verb such as "left" or "took" that does not itself say people were hit. */
  weak?: boolean;
  /** How the kind was found: a verb before, a word after, or coordination. */
  via: 'left' | 'right' | 'coordinated';
}

function readQuantity(text: string, s: Sentence, q: Quantity, scan: Scan): Reading | 'mixed' | null {
  const before = text.slice(Math.max(s.start, q.start - 60), q.start);
  if (MIXED_LEFT.test(before)) return 'mixed';
  // "in retaliation for the death of two members": why, not what happened.
  if (BACKGROUND_DEATH.test(before)) return null;
  // 'neutralized' in quotes: the coder doubts it means killed.
  if (/['‘’]neutrali[sz]\w*['‘’]?\s*$/i.test(before)) return null;
  // "N people were wounded" says it outright, whatever verb stands before the number.
  if (scan.passive && scan.kind && !scan.mixed) return { kind: scan.kind, via: 'right' };
  let weak: ClaimKind | null = null;
  for (const [kind, re] of LEFT_KIND) {
    const m = re.exec(before);
    if (!m) continue;
    if (WEAK_LEFT.test(m[1]!)) weak ??= kind;
    else return { kind, via: 'left' };
  }
  if (scan.mixed) return 'mixed';
  if (scan.kind) return { kind: scan.kind, via: 'right' };
  return weak ? { kind: weak, via: 'left', weak: true } : null;
}

/** Text between two coordinated victim phrases: ",", "and", ", and", "as well as", "plus". */
const COORDINATION = /^\s*(?:,\s*(?:and\s+|as well as\s+|plus\s+)?|(?:and|as well as|plus|along with|together with)\s+)(?:(?:the|his|her|their)\s+)?$/i;

function quantityClaims(doc: Doc, s: Sentence): DraftClaim[] {
  const text = doc.text;
  const qs = doc.quantities.filter((q) => q.start >= s.start && q.end <= s.end);
  const starts = new Set(qs.map((q) => q.start));
  const isQuantity = (pos: number): boolean => starts.has(pos);
  const scans = qs.map((q) => scanRight(text, q.end, s.end, isQuantity));
  const readings = qs.map((q, i) => readQuantity(text, s, q, scans[i]!));
  // Where a victim phrase ends, its list of parts included ("five citizens, including two soldiers,").
  const phraseEnd = (i: number): number => scans[i]!.parts?.end ?? scans[i]!.npEnd;

  // "two soldiers and four assailants were killed": earlier members of a list take the kind of the last.
  for (let i = qs.length - 2; i >= 0; i--) {
    const next = readings[i + 1];
    if (readings[i] !== null || !next || next === 'mixed' || next.via === 'left') continue;
    if (COORDINATION.test(text.slice(phraseEnd(i), qs[i + 1]!.start)) && scans[i]!.npEnd > qs[i]!.end) readings[i] = { kind: next.kind, via: 'coordinated' };
  }
  // "killed five Wagner mercenaries and seven Malian soldiers": later members take the kind of the first.
  for (let i = 1; i < qs.length; i++) {
    const prev = readings[i - 1];
    if (readings[i] !== null || !prev || prev === 'mixed') continue;
    if (scans[i]!.npEnd > qs[i]!.end && COORDINATION.test(text.slice(phraseEnd(i - 1), qs[i]!.start))) readings[i] = { kind: prev.kind, via: 'coordinated' };
  }

  const out: DraftClaim[] = [];
  const ends: number[] = [];
  let group = 0;
  const groupOf: number[] = [];
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i]!;
    const r = readings[i];
    if (!r || r === 'mixed') continue;
    // "one of the three soldiers": the inner number is not a claim of its own.
    if (qs.some((o, k) => k < i && o.end < q.start && scans[k]!.npEnd >= q.end)) continue;
    // "the brother of a police chief was killed": the article belongs to a larger phrase.
    if (q.indefinite && r.via !== 'left' && /\bof\s+$/i.test(text.slice(Math.max(s.start, q.start - 4), q.start))) continue;
    const scan = scans[i]!;
    const victimText = text.slice(q.end, scan.npEnd);
    if (!countsPeople(doc, q, victimText, r.kind, !r.weak)) continue;
    // "stabbed a journalist to death"
    const kind = r.kind === 'injured' && /^\s*to death\b/i.test(text.slice(scan.npEnd, scan.npEnd + 12)) ? 'killed' : r.kind;
    const claim = makeClaim(doc, s, q, kind, victimText, scan.npEnd);
    // "six fighters were killed by fire and three were killed by mines": a bare number after a figure of its kind is more people.
    if (!victimText.trim() && out.some((c) => c.kind === kind && c.part_of === undefined)) claim.victim_key = `others:${q.start}`;
    // Members of one list ("two soldiers and four assailants") are different people: keep their keys apart.
    const prevClaim = out[out.length - 1];
    const listed = prevClaim !== undefined && prevClaim.kind === claim.kind && COORDINATION.test(text.slice(ends[ends.length - 1]!, q.start));
    if (!listed) group++;
    groupOf.push(group);
    out.push(claim);
    ends.push(phraseEnd(i));
  }
  separateListMembers(out, groupOf);
  markParts(out, qs, scans);
  return out;
}

/** Animals and things that casualty verbs can take too ("killed 20 cattle"). */
const NOT_PEOPLE =
  /\b(?:cattle|cows?|oxen|goats?|sheep|camels?|livestock|animals?|heads?|donkeys?|horses?|dogs?|chickens?|vehicles?|cars?|trucks?|lorries|motorbikes?|motorcycles?|bikes?|houses?|homes?|huts?|buildings?|shops?|granaries|bombs?|mines?|ieds?|weapons?|rifles?|guns?|rounds?|shells?|rockets?|missiles?|drones?|aircraft|planes?|helicopters?|tanks?|positions?|posts?|bases?|camps?|villages?|times?|attacks?|incidents?|events?|days?|hours?|years?|months?|weeks?|minutes?|kilometers?|kilometres?|km|miles?|percent|tons?|tonnes?|hectares?)\b/i;

/** A number counts people when a person noun, an actor or "of them" follows, or nothing does ("11 wounded"). */
function countsPeople(doc: Doc, q: Quantity, victimText: string, kind: ClaimKind, lenient = false): boolean {
  const phrase = victimText.trim();
  // Killing and wounding happen to people: after such a verb any phrase will do that names no animal or thing
  // ("killed three marketgoers", "two Fulani were killed").
  if (lenient && (kind === 'killed' || kind === 'injured') && phrase && !q.indefinite && !NOT_PEOPLE.test(phrase) && phrase.split(/\s+/).length <= 5) return true;
  const personal =
    PERSON_NOUN.test(phrase) ||
    phrase.toLowerCase().split(/[^\p{L}]+/u).some(isPersonNoun) ||
    /^of (?:them|whom|those|these)\b/i.test(phrase) ||
    actorIn(doc, q.end, q.end + victimText.length + 1) !== undefined;
  if (q.indefinite) {
    // "a soldier was killed"; a bare "one" or "another" only as a pronoun for the dead or wounded ("another was injured").
    if (personal) return true;
    return !phrase && /^(?:one|another)$/i.test(q.text) && (kind === 'killed' || kind === 'injured');
  }
  return !phrase || personal;
}

function makeClaim(doc: Doc, s: Sentence, q: Quantity, kind: ClaimKind, victimText: string, npEnd: number): DraftClaim {
  const victimActor = actorIn(doc, q.end, q.end + victimText.length + 1);
  const attribution = claimantFor(doc, s, q);
  let key = victimKey(victimText, victimActor);
  // "two others", "five other people", "one of the wounded": more people, not the same ones again.
  if (/^\s*(?:other|others|more|additional|further)\b/i.test(victimText) || /^\s*of the (?:wounded|injured)\b/i.test(victimText)) key = `others:${q.start}`;
  return {
    kind,
    count: q.value,
    count_high: q.high,
    qualifier: q.qualifier,
    claimant: attribution?.name ?? null,
    victim: victimLabel(victimText, victimActor),
    text: q.text,
    start: q.start,
    end: q.end,
    victim_key: key,
    victim_actor: victimActor,
    claimant_actor: attribution?.actor,
    sentence: s.index,
    end_noun: npEnd,
  };
}

/** Within one list of victims, equal keys and "people" stand for different people: make them distinct. */
function separateListMembers(claims: DraftClaim[], groupOf: number[]): void {
  for (let i = 0; i < claims.length; i++) {
    const members = claims.filter((_, k) => groupOf[k] === groupOf[i]);
    if (members.length < 2) continue;
    const c = claims[i]!;
    const clash = c.victim_key === 'people' || members.some((m) => m !== c && m.victim_key === c.victim_key);
    if (clash) c.victim_key = `${c.victim_key}#${c.start}`;
  }
}

/** Claims whose number lies in the "including ..." list of a total are parts of that total. */
function markParts(claims: DraftClaim[], qs: Quantity[], scans: Scan[]): void {
  for (let i = 0; i < qs.length; i++) {
    const parts = scans[i]!.parts;
    if (!parts) continue;
    const total = claims.find((c) => c.start === qs[i]!.start);
    if (!total) continue;
    for (const c of claims) {
      if (c !== total && c.kind === total.kind && c.start >= parts.start && c.start < parts.end) {
        c.part_of = total.start;
        c.victim_key = c.victim_key.replace(/#\d+$/, '');
      }
    }
  }
}

// ---------------------------------------------------------------- one person, no number

/** Singular heads that name a person only in a definite phrase ("the head of the council"). */
const DEFINITE_HEADS = new Set('head deputy chief director president secretary governor commander general victim man woman bomber assailant attacker gunman perpetrator other'.split(' '));

/** Words that end a name or a noun phrase after a verb's object. */
const OBJECT_END = new Set(
  ('and or in on at near while who whom whose as after during from with inside outside for when by to along before outside since because but whereas which that the a an of ' +
    'south north east west aboard between accused suspected known identified believed reportedly allegedly yesterday today last late early close').split(' '),
);

const NOT_NAME = new Set(
  ('monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october ' +
    'november december the a an this that these those it he she they we i you his her their its our both all many several some ' +
    'most few others none no one two three four five six seven eight nine ten dozens hundreds however meanwhile earlier later ' +
    'separately overall elsewhere moreover furthermore also then subsequently nonetheless nevertheless thus therefore instead ' +
    'in on at after before during following when while since unknown unidentified security police').split(' '),
);

interface Victim extends Range {
  kind: ClaimKind;
  key: string;
  label: string;
  /** The head noun or name, where the noun phrase that names the victim ends. */
  headEnd: number;
  /** Where an apposition describing a name starts ("Karimi, a police officer,"). */
  apposition?: number;
}

/** "killed X", "shot and killed X", "executing X", "the death of X". */
const ACTIVE_RE = new RegExp(
  String.raw`\b(?:(?:shot|stabbed|hacked|beaten|burned|burnt|bludgeoned|stoned|strangled|tortured) (?:and killed|dead|to death)|killed|killing|kills|assassinated|assassinating|executed|executing|murdered|murdering|beheaded|beheading|decapitated|decapitating|lynched|lynching|gunned down|shot dead|slew|slaying|(?:beat|beating|beaten|stabbed|stabbing|hacked|clubbed|stoned|strangled|tortured|burned|burnt)(?=\s[^.,;]{1,50}\bto death\b)|(?:the )?deaths? of|(?:shot and )?(?:injured|injuring|wounded|wounding))\s+(?=\S)`,
  'gi',
);

/** "X was killed", "X and Y were shot dead", "X was reportedly abducted and executed". */
const PASSIVE_RE = new RegExp(
  String.raw`\b(?:(?:was|were)\s+(?:(?:reportedly|allegedly|also|later|then|subsequently|eventually|fatally|critically|seriously|severely|slightly|lightly|badly|mortally|publicly|summarily|immediately|instantly|both|all|found|shot and|abducted and|kidnapped and|beaten and|stabbed and|tortured and|taken and|captured and|attacked and|assaulted and|ambushed and)\s+){0,3}(killed|shot dead|executed|murdered|assassinated|beheaded|lynched|slain|injured|wounded|hurt|${TO_DEATH}|dead)|(?:(?:later|also|reportedly|subsequently|eventually|then)\s+)?(died|succumbed|perished))\b`,
  'gi',
);

/** Where a subject clause may begin, reading back from a passive verb (the last match counts). */
const CLAUSE_BREAK = /[;:]|\b(?:was|were|is|are|killed|injured|wounded|hurt|executed|said|while|but|whereas|after|when|because|although|though|as|which|who|that)\b/gi;

function clauseStart(pre: string): number {
  let at = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(pre); m; m = CLAUSE_BREAK.exec(pre)) at = m.index + m[0].length;
  return at;
}

function kindOfVerb(verb: string): ClaimKind {
  return /^(?:shot and )?(?:injur|wound|hurt)/i.test(verb) ? 'injured' : 'killed';
}

/** "killing him": one person, most likely one the text already counts. */
const PRONOUN_OBJECT = /^(?:him|her)$/i;

/** A member of a list of victims: one person with no number, or a counted group ("two of his guards"). */
interface ListItem extends Range {
  victim?: Omit<Victim, 'kind'>;
  quantity?: Quantity;
}

interface VictimList {
  kind: ClaimKind;
  items: ListItem[];
}

/** Lists of victims next to a casualty verb: objects ("killed X and Y"), subjects ("X and Y were killed"). */
function victimLists(doc: Doc, s: Sentence): VictimList[] {
  const text = doc.text;
  const sentence = text.slice(s.start, s.end);
  // Names need case: in all-caps copy every word looks like one.
  const cased = /\p{Ll}/u.test(sentence);
  const out: VictimList[] = [];
  ACTIVE_RE.lastIndex = 0;
  for (let m = ACTIVE_RE.exec(sentence); m; m = ACTIVE_RE.exec(sentence)) {
    // "in retaliation for the death of their leader" tells why, not what happened.
    if (/death/i.test(m[0]) && BACKGROUND_DEATH.test(sentence.slice(Math.max(0, m.index - 40), m.index + m[0].length))) continue;
    // "militants who had killed a teacher": an earlier deed.
    if (/\bhad\s+(?:\w+\s+)?$/i.test(sentence.slice(Math.max(0, m.index - 25), m.index))) continue;
    // Verbs that only people undergo take any noun as their object ("assassinated a griot").
    const anyHead = /^(?:assassinat|execut|murder|behead|decapitat|lynch|beat|stabb|hacked|clubbed|stoned|strangled|tortured)/i.test(m[0]);
    const items = objectList(doc, s, s.start + m.index + m[0].length, cased, anyHead);
    if (items.length) out.push({ kind: kindOfVerb(m[0]), items });
  }
  PASSIVE_RE.lastIndex = 0;
  for (let m = PASSIVE_RE.exec(sentence); m; m = PASSIVE_RE.exec(sentence)) {
    const kind = kindOfVerb(m[1] ?? m[2]!);
    if (MIXED_RIGHT.test(sentence.slice(m.index + m[0].length))) continue; // "were killed or wounded"
    const items = subjectList(doc, s, s.start + m.index, cased);
    // "X was killed along with his deputy and five other people"
    const after = /^\s*(?:along|together) with\s+/i.exec(text.slice(s.start + m.index + m[0].length, s.end));
    if (after) items.push(...objectList(doc, s, s.start + m.index + m[0].length + after[0].length, cased));
    if (items.length) out.push({ kind, items });
  }
  return out;
}

const quantityIndex = new WeakMap<Doc, Map<number, Quantity>>();

/** The quantity that starts at `pos`, if any. */
function quantityAt(doc: Doc, pos: number): Quantity | undefined {
  let index = quantityIndex.get(doc);
  if (!index) {
    index = new Map(doc.quantities.map((q) => [q.start, q]));
    quantityIndex.set(doc, index);
  }
  return index.get(pos);
}

/**
 * The objects of a verb at `from`: "Ahmad Wali, a judge, and his son", "the driver", "two guards and
 * the driver". Without "and" the list has one member: "a teacher, Ahmad Wali," names one person twice.
 */
function objectList(doc: Doc, s: Sentence, from: number, cased: boolean, anyHead = false): ListItem[] {
  const text = doc.text;
  const out: ListItem[] = [];
  let joined = false;
  let pos = from;
  for (let n = 0; n < 5; n++) {
    const q = quantityAt(doc, pos);
    let item: ListItem | null = null;
    if (q) {
      const scan = scanRight(text, q.end, s.end, (p) => quantityAt(doc, p) !== undefined);
      item = { start: q.start, end: scan.npEnd, quantity: q };
    } else {
      const v = victimAt(doc, pos, s.end, cased, anyHead);
      if (v) item = { start: v.start, end: v.end, victim: v };
    }
    if (!item) break;
    out.push(item);
    let next = item.end;
    // An apposition after a name: "Ahmad Wali, a former judge, and ..."
    const app = /^,\s*(?:a|an|the)\s+[^,;.]{1,80},/i.exec(text.slice(next, s.end));
    if (app && item.victim?.key.startsWith('named:')) {
      item.victim.apposition = next + app[0].length - app[0].replace(/^,\s*/, '').length;
      next += app[0].length - 1;
    }
    const sep = /^\s*(?:(,\s*and|and|as well as)|,)\s+/i.exec(text.slice(next, s.end));
    if (!sep) break;
    // "and" joins a list only when another victim follows it ("killing a man, ..., and injuring five").
    const after = next + sep[0].length;
    if (sep[1] !== undefined && (quantityAt(doc, after) || victimAt(doc, after, s.end, cased, anyHead))) joined = true;
    pos = after;
  }
  return joined ? out : out.slice(0, 1);
}

/**
 * The subjects of a passive verb at `verbAt`, read back from the verb: "Keita and his son", "The
 * officer", "Karimi, a judge,", "A, B and C". The list stops at the first phrase that is not a
 * victim, and at a comma unless an "and" nearer the verb makes it a list ("between X and Y, two
 * soldiers were killed" names places, not victims): phrases joined by commas alone name one victim.
 */
function subjectList(doc: Doc, s: Sentence, verbAt: number, cased: boolean): ListItem[] {
  const text = doc.text;
  const whole = text.slice(s.start, verbAt);
  const cut = clauseStart(whole);
  const pre = whole.slice(cut);
  const offset = s.start + cut;
  if (/\b(?:including|among|no one|nobody|none)\b/i.test(pre)) return [];
  // Phrases separated by commas and "and", each with the separator before it.
  const items: (Range & { sep: 'none' | 'and' | 'comma' })[] = [];
  const re = /[^,]+?(?=\s*,|\s+and\s+|\s*$)/y;
  let cursor = 0;
  while (cursor < pre.length) {
    const sep = /^\s*(?:(,)\s*(and\s+)?|(and)\s+)?/.exec(pre.slice(cursor))!;
    const kind = sep[2] !== undefined || sep[3] !== undefined ? 'and' : sep[1] !== undefined ? 'comma' : 'none';
    cursor += sep[0].length;
    re.lastIndex = cursor;
    const m = re.exec(pre);
    if (!m || !m[0].trim()) break;
    const raw = m[0];
    const start = offset + m.index + raw.length - raw.trimStart().length;
    items.push({ start, end: offset + m.index + raw.trimEnd().length, sep: items.length ? kind : 'none' });
    cursor = m.index + m[0].length;
  }
  const itemOf = (it: Range): ListItem | null => {
    const q = quantityAt(doc, it.start);
    if (q) {
      // The number's phrase must be the item, or be followed by a modifier ("two children aboard a bus",
      // "four men accused of the attack"), not by a verb ("two men exchanged fire with the police").
      const scan = scanRight(text, q.end, it.end, (p) => quantityAt(doc, p) !== undefined);
      const rest = text.slice(scan.npEnd, it.end).trim();
      return !rest || NP_MODIFIER.test(rest) ? { start: it.start, end: it.end, quantity: q } : null;
    }
    const itemText = text.slice(it.start, it.end);
    if (/^(?:he|she)$/i.test(itemText)) return { start: it.start, end: it.end, victim: { start: it.start, end: it.end, headEnd: it.end, key: 'people', label: 'person' } };
    const v = victimAt(doc, it.start, it.end, cased);
    // The whole phrase must name the victim: "the attack on the convoy" is not a person.
    return v && !text.slice(v.end, it.end).trim() ? { start: it.start, end: v.end, victim: v } : null;
  };
  const out: ListItem[] = [];
  let seenAnd = false;
  let i = items.length - 1;
  if (i < 0) return [];
  const lastItem = items[i]!;
  const first = itemOf(lastItem);
  const isApposition = (it: (typeof items)[number], name: ListItem | null): boolean =>
    it.sep === 'comma' && name?.victim?.key.startsWith('named:') === true && /^(?:a|an|the)\s/i.test(text.slice(it.start, it.end));
  if (first) out.unshift(first);
  else {
    // "Karimi, the head of the district water and sanitation office, was killed"
    const name = i > 0 ? itemOf(items[i - 1]!) : null;
    if (!isApposition(lastItem, name)) return [];
    name!.victim!.apposition = lastItem.start;
    out.unshift(name!);
    i--;
  }
  while (i > 0) {
    const it = items[i]!;
    const prev = itemOf(items[i - 1]!);
    if (isApposition(it, prev) && out[0]!.start === it.start) {
      // "Karimi, a judge, was killed": the phrase describes the name.
      prev!.victim!.apposition = it.start;
      out[0] = prev!;
      i--;
      continue;
    }
    if (it.sep === 'and') seenAnd = true;
    else if (it.sep !== 'comma' || !seenAnd) break;
    if (!prev) break;
    // "two people, the elder and his guard, were killed": the phrases name the members of the total.
    if (it.sep === 'comma' && prev.quantity && (prev.quantity.value ?? 0) >= out.length) return [prev];
    out.unshift(prev);
    i--;
  }
  return out;
}

/**
 * One person at `pos`: a name ("Ahmad Wali", "General Nazir Niazi") or a definite singular phrase
 * ("the driver", "his wife", "the head of the district council", "a fuel vendor" with a person noun).
 */
function victimAt(doc: Doc, pos: number, limit: number, cased: boolean, anyHead = false): Omit<Victim, 'kind'> | null {
  const text = doc.text;
  const toks = tokens(text, pos, limit, 16);
  const first = toks[0];
  if (!first || !first.word) return null;
  if (PRONOUN_OBJECT.test(first.text) && (!toks[1]?.word || OBJECT_END.has(toks[1].low))) {
    return { start: first.start, end: first.end, headEnd: first.end, key: 'people', label: 'person' };
  }
  // A definite or possessive phrase: up to four modifiers, then a singular person noun.
  if (/^(?:the|his|her|their|its|a|an)$/.test(first.low)) {
    for (let k = 1; k <= 12 && k < toks.length; k++) {
      const t = toks[k]!;
      if (!t.word) {
        if (t.text === '(') {
          const close = toks.findIndex((x, j) => j > k && x.text === ')');
          if (close < 0) return null;
          k = close;
          continue;
        }
        if (t.text === '-' || t.text === '–') continue;
        return null;
      }
      if (/^\d/.test(t.low) || NOT_NAME.has(t.low) && k > 0 && /^(?:two|three|four|five|six|seven|eight|nine|ten|both|all|several|many|some|few)$/.test(t.low)) return null;
      // "an Afghan Local Police (ALP) officer": look past an acronym in brackets.
      let nextAt = k + 1;
      if (toks[nextAt]?.text === '(') {
        const close = toks.findIndex((x, j) => j > nextAt && x.text === ')');
        if (close > 0) nextAt = close + 1;
      }
      const next = toks[nextAt];
      const ends = !next || !next.word || OBJECT_END.has(next.low);
      if (!ends) continue;
      const singular =
        isPersonSingular(t.low) ||
        DEFINITE_HEADS.has(t.low) ||
        (/^(?:a|an)$/.test(first.low) && AGENT_NOUN.test(t.low) && !NOT_AGENT.test(t.low)) ||
        (anyHead && !/s$/.test(t.low) && !NOT_PEOPLE.test(t.low) && !NOT_AGENT.test(t.low));
      if (!singular) return null;
      let end = t.end;
      // "the head of the district council", "the brother of the village chief"
      const of = /^\s+of\s+(?:the\s+)?[\p{L}\p{N}'’\- ]{1,60}?(?=[,;.]|\s+(?:in|on|at|near|while|and|was|were|who|after|during|from|with)\b|$)/u.exec(text.slice(end, limit));
      if (of) end += of[0].length;
      const label = text.slice(first.end, t.end).trim().toLowerCase();
      return { start: first.start, end, headEnd: t.end, key: headKey(t.low, label), label };
    }
    return null;
  }
  if (!cased || !isCapitalized(first)) return null;
  // A name: capitalised words (with particles such as "al" or "bin"), ending where the phrase ends.
  let k = 0;
  let last = first;
  for (; k < toks.length && k < 6; k++) {
    const t = toks[k]!;
    if (!t.word) break;
    if (isCapitalized(t) || (k > 0 && /^(?:al|bin|ibn|ul|ud|de|da|del|van|von|el|abu|wa)$/.test(t.low) && toks[k + 1] && isCapitalized(toks[k + 1]!))) {
      last = t;
      continue;
    }
    break;
  }
  const next = toks[k];
  if (next && next.word && !OBJECT_END.has(next.low)) return null; // "Afghan soldiers", "Taliban fighters"
  const nameTokens = toks.slice(0, k);
  if (ORG_WORD.test(last.low)) return null; // "Water Service", "Peace Council"

  // A title may lead a name ("Captain Ali Hassan"); a person noun cannot end one ("Civilians", "Police Officer").
  if (nameTokens.some((t) => NOT_NAME.has(t.low)) || isPersonNoun(last.low)) return null;
  if (k === 1 && /ly$/.test(first.low)) return null; // "Additionally," "Reportedly,"

  // Groups and places are not people.
  if (doc.actors.some((a) => a.start < last.end && a.end > first.start)) return null;
  // Place names are often people's names too ("Hassan Kolo"): only a name that is wholly a place is one.
  if (doc.places.some((p) => p.start <= first.start && p.end >= last.end)) return null;
  const name = text.slice(first.start, last.end);
  return { start: first.start, end: last.end, headEnd: last.end, key: `named:${name.toLowerCase()}`, label: name };
}

/** Last words of the names of organisations and places, not people. */
const ORG_WORD =
  /^(?:service|ministry|department|council|committee|commission|agency|office|movement|party|front|forces?|army|police|brigades?|battalion|union|association|bank|company|university|school|hospital|cent(?:er|re)|institute|court|assembly|network|organi[sz]ation|government|province|district|region|state|city|village|town|camp|base|station|market|mosque|church|road|highway|street|airport|group|militia|authority|administration|directorate|corps|guard|unit|command|mission|embassy|consulate|society|foundation|federation|alliance|coalition|council|zone|area|valley|river|forest|lake|mountains?)$/;

/** After "a"/"an" and a casualty verb, a word shaped like an agent noun names a person ("an economic operator"). */
const AGENT_NOUN = /^\p{L}{3,}(?:er|or|ist|ian|ant|ent)$/u;
const NOT_AGENT =
  /(?:center|centre|order|border|water|quarter|tower|corner|number|monument|document|settlement|encampment|equipment|tent|shelter|matter|letter|paper|power|later|earlier|after|never|ever|rather|further|together|however|whether|other|another|under|over|either|neither|moment|incident|event|attempt|amount|percent|segment|content|parent|element|government|department|statement|agreement|movement|parliament|plant|restaurant|giant|elephant|vehicle|trailer|tanker|container|transporter|helicopter|motor|tractor|sector|reactor|generator|river|summer|winter|member|chamber|computer|poster|register|shooter)$/;

function headKey(head: string, label: string): string {
  if (/^(?:bomber|assailant|attacker|gunman|perpetrator)$/.test(head)) return 'militants';
  // "the victim", "the man": most often someone already counted.
  if (/^(?:victim|man|woman|person|individual|body|corpse|other)$/.test(head)) return 'people';
  const key = victimKey(label, undefined);
  return key === 'people' ? `person:${label}` : key;
}

/**
 * Claims for the members of victim lists that no number reading covers: single people, and counted
 * groups that only the list ties to the verb ("killed his deputy and five other people"). Members of
 * one list are different people, so their keys are kept apart.
 */
function listClaims(doc: Doc, s: Sentence, found: DraftClaim[]): DraftClaim[] {
  const out: DraftClaim[] = [];
  const isQuantity = (p: number): boolean => quantityAt(doc, p) !== undefined;
  const counted = (pos: number): boolean =>
    [...found, ...out].some((c) => pos >= c.start && pos <= c.end_noun) || doc.quantities.some((q) => pos >= q.start && pos < q.end);
  for (const list of victimLists(doc, s)) {
    const members: DraftClaim[] = [];
    for (const item of list.items) {
      if (item.quantity) {
        const q = item.quantity;
        let claim = [...found, ...out].find((c) => c.start === q.start && c.kind === list.kind);
        if (!claim && ![...found, ...out].some((c) => c.start === q.start)) {
          const scan = scanRight(doc.text, q.end, s.end, isQuantity);
          if (readQuantity(doc.text, s, q, scan) === 'mixed') continue;
          const victimText = doc.text.slice(q.end, scan.npEnd);
          if (countsPeople(doc, q, victimText, list.kind, true)) {
            claim = makeClaim(doc, s, q, list.kind, victimText, scan.npEnd);
            out.push(claim);
          }
        }
        if (claim) members.push(claim);
        continue;
      }
      const v = item.victim!;
      // A name whose apposition is already a claim ("Karimi, a police officer, was killed") is that claim.
      const app = v.apposition !== undefined ? [...found, ...out].find((c) => c.start === v.apposition && c.kind === list.kind) : undefined;
      if (app) {
        members.push(app);
        continue;
      }
      if (counted(v.start)) continue;
      const claim = singleClaim(doc, s, v, list.kind);
      out.push(claim);
      members.push(claim);
    }
    if (members.length > 1) {
      for (const c of members) {
        const clash = c.victim_key === 'people' || members.some((m) => m !== c && m.victim_key === c.victim_key);
        if (clash && !c.victim_key.includes('#')) c.victim_key = `${c.victim_key}#${c.start}`;
      }
    }
  }
  return out;
}

function singleClaim(doc: Doc, s: Sentence, v: Omit<Victim, 'kind'>, kind: ClaimKind): DraftClaim {
  const attribution = claimantFor(doc, s, v);
  const claim: DraftClaim = {
    kind,
    count: 1,
    count_high: null,
    qualifier: 'exact',
    claimant: attribution?.name ?? null,
    victim: v.label,
    text: doc.text.slice(v.start, v.headEnd),
    start: v.start,
    end: v.headEnd,
    victim_key: v.key,
    victim_actor: actorIn(doc, v.start, v.end),
    claimant_actor: attribution?.actor,
    sentence: s.index,
    end_noun: v.end,
  };
  if (v.key === 'people') claim.anaphoric = true;
  return claim;
}

// ---------------------------------------------------------------- the attackers among the dead

const NUMBER_WORDS = new Map<string, number>([
  ['one', 1], ['a', 1], ['an', 1], ['two', 2], ['both', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9], ['ten', 10],
]);

function numberWord(w: string | undefined): number | null {
  if (!w) return null;
  if (/^\d{1,3}$/.test(w)) return Number(w);
  return NUMBER_WORDS.get(w.toLowerCase()) ?? null;
}

const ATTACKER = String.raw`(?:(?:female|male|young|teenage|child|suspected|alleged|would-be|armed)\s+){0,2}(?:suicide\s+)?(bombers?|assailants?|attackers?|perpetrators?|gunm[ae]n)\b`;

/** "in addition to the two bombers", "aside from the assailant", "besides the attacker". */
const BESIDES_RE = new RegExp(String.raw`\b(?:in addition to|aside from|apart from|besides|other than|excluding|not counting)\s+(?:the\s+)?(?:deaths?\s+of\s+(?:the\s+)?)?(?:(${COUNT_ALT}|one|both)\s+)?` + ATTACKER, 'gi');

/** "killing himself", "blew herself up". */
const SELF_RE = /\b(?:kill(?:ing|ed)\s+(?:only\s+)?(himself|herself|themselves)|blew\s+(himself|herself|themselves)\s+up)\b/gi;

/** "the assailants were the only casualties". */
const ONLY_RE = new RegExp(String.raw`\b(?:the\s+)?(?:(${COUNT_ALT}|both)\s+)?` + ATTACKER + String.raw`\s+(?:were|was)\s+the\s+only\s+(?:reported\s+)?(?:casualties|casualty|fatalities|fatality|victims?|deaths?|dead)\b`, 'gi');

/** "two suicide bombers", "three assailants": how many attackers the text counts. */
const ATTACKER_COUNT_RE = new RegExp(String.raw`\b(${COUNT_ALT})\s+` + ATTACKER, 'gi');

function attackerCount(text: string, word: string | undefined, noun: string): number | null {
  const stated = numberWord(word);
  if (stated !== null) return stated;
  if (!/s$/i.test(noun) || /^gunman$/i.test(noun)) return 1;
  ATTACKER_COUNT_RE.lastIndex = 0;
  for (let m = ATTACKER_COUNT_RE.exec(text); m; m = ATTACKER_COUNT_RE.exec(text)) if (/s$/i.test(m[2]!)) return numberWord(m[1]);
  return null;
}

/** Deaths among the attackers that the text adds to the count. */
function attackerClaims(doc: Doc, s: Sentence): DraftClaim[] {
  const text = doc.text;
  const sentence = text.slice(s.start, s.end);
  const out: DraftClaim[] = [];
  if (!/bomber|assailant|attacker|perpetrator|gunm[ae]n|himself|herself|themselves/i.test(sentence)) return out;
  const add = (start: number, end: number, count: number | null): void => {
    if (count === null || count < 1) return;
    out.push({
      kind: 'killed', count, count_high: null, qualifier: 'exact', claimant: null, victim: 'perpetrators', text: text.slice(start, end), start, end,
      victim_key: 'perpetrators', sentence: s.index, end_noun: end,
    });
  };
  // "In addition to the assailants, ..." counts them as dead when the sentence is about deaths; a bomber always.
  const deaths = /\b(?:killed|killing|dead|died|deaths?|fatalities|casualties)\b/i.test(sentence);
  BESIDES_RE.lastIndex = 0;
  for (let m = BESIDES_RE.exec(sentence); m; m = BESIDES_RE.exec(sentence)) {
    if (!deaths && !/bomber/i.test(m[2]!)) continue;
    add(s.start + m.index, s.start + m.index + m[0].length, attackerCount(text, m[1], m[2]!));
  }
  SELF_RE.lastIndex = 0;
  for (let m = SELF_RE.exec(sentence); m; m = SELF_RE.exec(sentence)) {
    const start = s.start + m.index;
    add(start, start + m[0].length, /themselves/i.test(m[1] ?? m[2]!) ? attackerCount(text, undefined, 'bombers') : 1);
  }
  ONLY_RE.lastIndex = 0;
  for (let m = ONLY_RE.exec(sentence); m; m = ONLY_RE.exec(sentence)) {
    const start = s.start + m.index;
    add(start, start + m[0].length, attackerCount(text, m[1], m[2]!));
  }
  return out;
}

// ---------------------------------------------------------------- coders' figures and shared totals

/** "Unknown fatalities coded as 10", "fatalities reported as half, rounded down to 3", "Fatalities coded as 0 (VoJ reported 1)". */
const CODED_RE = /\b((?:[\p{L}-]+\s+){0,4}?)(?:number\s+of\s+)?fatalit\w*(?:\s+and\s+injuries)?\b[^.;()]{0,60}?\b(?:coded|counted|recorded|rounded(?:\s+(?:down|up))?)\s+(?:as|to|at)\s+(\d{1,5})\b/giu;

function codedClaims(doc: Doc, s: Sentence): DraftClaim[] {
  const text = doc.text;
  const sentence = text.slice(s.start, s.end);
  const out: DraftClaim[] = [];
  if (!/fatalit/i.test(sentence)) return out;
  CODED_RE.lastIndex = 0;
  for (let m = CODED_RE.exec(sentence); m; m = CODED_RE.exec(sentence)) {
    const start = s.start + m.index + m[0].length - m[2]!.length;
    const scopeStart = s.start + m.index;
    const scope = m[1]!.replace(/\b(?:unknown|unclear|unconfirmed|unspecified|reported|total|several|dozens|many|of|the|and|injuries|number)\b/gi, '').trim();
    const actor = doc.actors.find((a) => a.start >= scopeStart && a.end <= scopeStart + m[1]!.length);
    const key = actor || scope ? victimKey(scope, actor) : 'people';
    out.push({
      kind: 'killed', count: Number(m[2]), count_high: null, qualifier: 'exact', claimant: null, victim: scope || null, text: m[2]!, start, end: start + m[2]!.length,
      victim_key: key, victim_actor: actor, sentence: s.index, end_noun: start + m[2]!.length, coded: true,
    });
  }
  return out;
}


/** "fatalities split between 2 events (4)", "[1 fatality split among 12 events]", "spread across three locations". */
const SPLIT_RE = new RegExp(String.raw`\bfatalit\w*\b[^.;]{0,80}?\b(?:split|spread|divided|distributed)(?:\s+(?:up|equally|evenly))?\s+(?:across|between|among|over|into)\s+(?:the\s+)?${COUNT_WORD}\s+(?:separate\s+)?(?:events|locations|days|dates|incidents|places|villages|sites|areas|attacks)\b([^.;]{0,90})`, 'i');

/** "fatalities split between the events as (4) in A and (4) in B": the figures listed per event. */
const SPLIT_LIST_RE = /\bfatalit\w*\b[^.;]{0,40}?\b(?:split|spread|divided|distributed)\b([^.;]{0,160})/i;

/** "across the three attacks", "across both blasts", "in both attacks", "across two of the events". */
const ACROSS_RE = new RegExp(String.raw`\b(?:across|in both|in all(?: of)?)\s+(?:(?:all\s+)?(?:of\s+)?(?:the|these|those|both)\s+)?(?:${COUNT_ALT}|both)?\s*(?:of\s+the\s+)?(?:[\p{L}-]+\s+){0,2}?(?:attacks|events|incidents|assaults|raids|blasts|bombings|explosions|clashes|abductions|operations|strikes|locations)\b`, 'iu');

const INCIDENT_NOUN = String.raw`(?:attacks?|events?|incidents?|assaults?|raids?|blasts?|bombings?|explosions?|clash(?:es)?|abductions?|operations?|strikes?)`;

/** "across this assault and an earlier attack": two incidents. */
const ACROSS_PAIR_RE = new RegExp(String.raw`\bacross\s+(?:this|the|that)\s+(?:[\p{L}-]+\s+){0,2}?${INCIDENT_NOUN}\s+and\s+(?:an?|another|the|one)\s+(?:[\p{L}-]+\s+){0,3}?${INCIDENT_NOUN}\b`, 'iu');

/** "This was one of three related attacks": how many incidents a summary's totals may span. */
const ONE_OF_RE = new RegExp(String.raw`\bone of (?:at least |the )?${COUNT_WORD}\s+(?:[\p{L}-]+\s+){0,4}?(?:attacks|incidents|assaults|raids|events|bombings|blasts|explosions|abductions|operations|clashes|kidnappings|ambushes)\b`, 'iu');

function countWord(w: string): number | null {
  const n = numberWord(w);
  if (n !== null) return n;
  return { eleven: 11, twelve: 12 }[w.toLowerCase() as 'eleven' | 'twelve'] ?? null;
}

/** How many incidents share the figures of a sentence that says "across the N attacks". */
function sharedBy(doc: Doc, s: Sentence): { by: number; clause: Range } | null {
  const sentence = doc.text.slice(s.start, s.end);
  if (!/\b(?:across|in both|in all)\b/i.test(sentence)) return null;
  const pair = ACROSS_PAIR_RE.exec(sentence);
  const m = pair ?? ACROSS_RE.exec(sentence);
  if (!m) return null;
  const phrase = m[0].toLowerCase();
  const word = new RegExp(String.raw`\b(${COUNT_ALT})\b`).exec(phrase)?.[1];
  let n = pair ? 2 : /\bboth\b/.test(phrase) ? 2 : word !== undefined ? countWord(word) : null;
  if (n === null) {
    const one = ONE_OF_RE.exec(doc.text);
    n = one ? countWord(one[1]!) : null;
  }
  if (n === null || n < 2) return null;
  // The whole sentence shares the figures ("N were killed while M were hurt across both attacks"),
  // except a figure said to be for this incident (see THIS_INCIDENT).
  return { by: n, clause: { start: s.start, end: s.end } };
}

/** "in this attack": a figure for the one incident, whatever the sentence says of the others. */
const THIS_INCIDENT = /^[^,;.]{0,40}?\bin this (?:specific |particular )?(?:attack|incident|assault|event|blast|explosion|raid|clash)\b/i;

/** A split of the event's fatalities between several events: the share stated for this one, or how many share them. */
function splitOf(doc: Doc, sentences: readonly Sentence[]): { by: number; share: number | null; at: Range } | null {
  for (const s of sentences) {
    const sentence = doc.text.slice(s.start, s.end);
    if (!/fatalit/i.test(sentence)) continue;
    const m = SPLIT_RE.exec(sentence);
    if (!m) {
      // "fatalities split between events as (4) in A, (4) in B and (4) in C": one figure per event.
      const listed = SPLIT_LIST_RE.exec(sentence);
      const shares = listed ? [...listed[1]!.matchAll(/\((\d{1,4})\)/g)].map((x) => Number(x[1])) : [];
      if (listed && shares.length > 1) return { by: shares.length, share: shares[0]!, at: { start: s.start + listed.index, end: s.start + listed.index + listed[0].length } };
      continue;
    }
    const by = countWord(m[1]!);
    if (by === null || by < 2) continue;
    const tail = m[2] ?? '';
    const share = /^\s*\((\d{1,4})\s*[,)]|\bwith\s+(\d{1,4})\s+(?:coded|each|fatalities)|\((\d{1,4})\)/i.exec(tail);
    const value = share ? Number(share[1] ?? share[2] ?? share[3]) : null;
    return { by, share: value, at: { start: s.start + m.index, end: s.start + m.index + m[0].length } };
  }
  return null;
}

// ---------------------------------------------------------------- all claims of an event

/** "could not be independently verified", "unconfirmed reports": the figures near it are not established. */
const UNVERIFIED = /\b(?:could not|cannot|can ?not|has not|have not|had not|was not|were not)\s+(?:yet\s+)?(?:be(?:en)?\s+)?(?:independently\s+)?(?:verified|confirmed)|\bunverified\b|\bunconfirmed (?:reports?|claims?|figures?|sources?)/i;

export function findClaims(doc: Doc, sentences: readonly Sentence[]): DraftClaim[] {
  const out: DraftClaim[] = [];
  let previous: DraftClaim[] = [];
  for (const s of sentences) {
    const found = quantityClaims(doc, s);
    found.push(...listClaims(doc, s, found));
    // A number inside "in addition to the two bombers" is the attackers' claim, not another one.
    const attackers = attackerClaims(doc, s);
    for (const a of attackers) for (let i = found.length - 1; i >= 0; i--) if (found[i]!.start >= a.start && found[i]!.start < a.end) found.splice(i, 1);
    found.push(...attackers);
    const shared = sharedBy(doc, s);
    if (shared !== null) {
      for (const c of found) {
        if (c.kind !== 'killed' && c.kind !== 'injured') continue;
        if (c.start < shared.clause.start || c.start >= shared.clause.end || THIS_INCIDENT.test(doc.text.slice(c.end_noun, s.end))) continue;
        c.shared_by = shared.by;
      }
    }
    found.push(...codedClaims(doc, s));
    const sentence = doc.text.slice(s.start, s.end);
    if (UNVERIFIED.test(sentence)) {
      // "The information could not be verified." speaks of the sentence before when it only refers back.
      const refersBack = !found.length && sentence.length < 120 && /^\W*(?:the|this|these|that|those|such|it|its|neither|none)\b/i.test(sentence);
      for (const c of found.length ? found : refersBack ? previous : []) if (!c.coded) c.unverified = true;
    }
    out.push(...found);
    if (found.length) previous = found;
  }
  const split = splitOf(doc, sentences);
  if (split) {
    if (split.share !== null) {
      // The coder states this event's share: it is the event's figure, in place of any coded total.
      const s = sentences.find((x) => split.at.start >= x.start && split.at.start < x.end)!;
      for (let i = out.length - 1; i >= 0; i--) if (out[i]!.coded) out.splice(i, 1);
      out.push({
        kind: 'killed', count: split.share, count_high: null, qualifier: 'exact', claimant: null, victim: null, text: doc.text.slice(split.at.start, split.at.end),
        start: split.at.start, end: split.at.end, victim_key: 'people', sentence: s.index, end_noun: split.at.end, coded: true,
      });
    } else {
      for (const c of out) if (c.kind === 'killed') c.shared_by = split.by;
    }
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

// ---------------------------------------------------------------- victims and claimants

function actorIn(doc: Doc, start: number, end: number): ActorMention | undefined {
  return doc.actors.find((a) => a.start >= start && a.start < end);
}

/** "people", "persons": victims of no stated side, an alternative for the whole total. */
const UNSPECIFIED = /^(?:people|persons|individuals|others|victims)$/i;

function victimLabel(phrase: string, actor: ActorMention | undefined): string | null {
  if (actor && UNSPECIFIED.test(actor.text)) return actor.text.toLowerCase();
  if (actor) {
    if (!actor.generic) return actor.short || actor.name;
    const noun = actor.noun ?? actor.short;
    if (actor.iso3 && actor.inter === 1) {
      return `${noun} (${countryNameOf(actor)})`;
    }
    return noun;
  }
  const head = phrase.trim().replace(/^(?:of\s+)?(?:the\s+)?/i, '');
  return head ? head.toLowerCase() : null;
}

function countryNameOf(actor: ActorMention): string {
  const m = /\(([^)]+)\)$/.exec(actor.name);
  if (m && !m[1]!.includes('{')) return m[1]!;
  const of = /of (.+)$/.exec(actor.name);
  if (of && !of[1]!.includes('{')) return of[1]!;
  return actor.iso3 ?? '';
}

/** Which claims are about the same people. */
function victimKey(phrase: string, actor: ActorMention | undefined): string {
  if (actor && UNSPECIFIED.test(actor.text)) return 'people';
  if (actor) {
    if (actor.inter === 1) return `state:${actor.iso3 ?? '?'}:${/police/i.test(actor.name) ? 'police' : 'military'}`;
    if (actor.inter === 7) return 'civilians';
    if (actor.generic && (actor.inter === 2 || actor.inter === 3)) return 'militants';
    return `actor:${actor.actor_id}`;
  }
  const p = phrase.toLowerCase();
  if (/\b(?:civilians?|villagers?|residents?|women|children|men|man|woman|worshippers?|passengers?|farmers?|herders?|traders?|students?|teachers?)\b/.test(p)) return 'civilians';
  if (/\b(?:soldiers?|troops|servicemen|military|gendarmes?)\b/.test(p)) return 'state:?:military';
  if (/\b(?:police|policem[ae]n|officers?)\b/.test(p)) return 'state:?:police';
  if (/\b(?:militants?|jihadists?|terrorists?|insurgents?|rebels?|attackers?|assailants?|gunm[ae]n|bandits?|extremists?|fighters?|islamists?|enemy|elements)\b/.test(p)) return 'militants';
  return 'people';
}

interface ClaimantFound {
  name: string;
  actor?: ActorMention;
}

/** The attribution that covers this span: in its sentence, nearest first. */
function claimantFor(doc: Doc, s: Sentence, q: Range): ClaimantFound | null {
  const inSentence = doc.attributions.filter((a) => a.start >= s.start && a.end <= s.end && (a.claimant || a.cue === 'statement'));
  if (!inSentence.length) return null;
  // Prefer a named claimant over a bare "in a statement"; nearest to the number.
  const named = inSentence.filter((a) => a.claimant);
  const pool = named.length ? named : inSentence;
  pool.sort((a, b) => distance(a, q) - distance(b, q));
  const a = pool[0]!;
  if (!a.claimant) {
    // "X ... in a statement": the sentence's first actor is the speaker.
    const speaker = doc.actors.find((m) => m.start >= s.start && m.end <= a.start);
    return speaker ? { name: speaker.text, actor: speaker } : null;
  }
  const actor = claimantActor(doc, a);
  return { name: actor ? actor.text.replace(/^the\s+/i, '') : a.claimant, actor };
}

function claimantActor(doc: Doc, a: Attribution): ActorMention | undefined {
  const inside = doc.actors.filter((m) => m.start >= a.start && m.end <= a.end);
  if (!inside.length) return undefined;
  // The claimant phrase is at the end for "X said" and after "according to": take the mention inside the claimant text.
  const idx = doc.text.lastIndexOf(a.claimant, a.end);
  const inClaimant = inside.filter((m) => idx >= 0 && m.start >= idx && m.end <= idx + a.claimant.length);
  return (inClaimant.length ? inClaimant : inside)[inClaimant.length ? inClaimant.length - 1 : 0];
}

function distance(a: Range, q: Range): number {
  if (a.end <= q.start) return q.start - a.end;
  if (a.start >= q.end) return a.start - q.end;
  return 0;
}
