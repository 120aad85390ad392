/**
 * Casualty claims: each number the text states about people killed, wounded, abducted, arrested,
 * missing or displaced, with who states it (claimant) and who was hit (victim).
 *
 * A quantity becomes a claim when a casualty word governs it: after it ("14 soldiers were killed",
 * "11 wounded", "3 dead"), or before it ("killing 14 soldiers", "neutralized 31 terrorists", "the death
 * toll rose to 20"). A quantity coordinated with a claim ("killed five X and seven Y") inherits its kind.
 */
import type { ActorMention, Attribution, Claim, ClaimKind, Doc, Quantity, Sentence } from '../core/types.js';

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
}

const KIND_WORDS: [ClaimKind, RegExp][] = [
  ['killed', /^(?:killed|dead|died|die|slain|murdered|executed|massacred|beheaded|lost (?:their|his|her) li(?:ves|fe)|perished|fatalities|fatality|deaths|bodies|corpses|neutrali[sz]ed|eliminated|shot dead|lynched|assassinated|burned to death|burnt to death|drowned|succumbed)\b/i],
  ['injured', /^(?:wounded|injured|hurt|injuries|wounds|casualties wounded|hospitali[sz]ed)\b/i],
  ['abducted', /^(?:abducted|kidnapped|taken hostage|hostages?|held hostage|seized|captured|carried off|taken away)\b/i],
  ['arrested', /^(?:arrested|detained|apprehended|in custody|taken into custody|rounded up|held)\b/i],
  ['missing', /^(?:missing|unaccounted for|disappeared)\b/i],
  ['displaced', /^(?:displaced|fled|forced to flee|homeless)\b/i],
];

/** Verbs before the number: "killing 14", "wounded 11", "neutralized 31", "death toll rose to 20". */
const LEFT_KIND: [ClaimKind, RegExp][] = [
  ['killed', /\b(?:kill(?:ed|ing|s)?|slew|slaying|murder(?:ed|ing)?|execut(?:ed|ing)|massacr(?:ed|ing)|behead(?:ed|ing)|neutrali[sz](?:ed|ing)|eliminat(?:ed|ing)|claim(?:ed|ing)? the li(?:ves|fe) of|death toll (?:\w+ )?(?:rose|risen|rises|climbed|reached|stood|stands|is|was|of|at|to)(?: to| at)?|toll (?:rose|climbed|reached|stood|of)(?: to| at)?|bodies of|corpses of|shot dead|gunned down|left|leaving|lynch(?:ed|ing))\s*(?:at least |some |about |around |nearly |almost |more than |over |up to )?["“”']?\s*$/i],
  ['injured', /\b(?:wound(?:ed|ing|s)?|injur(?:ed|ing|es)?|hurt(?:ing)?)\s*(?:at least |some |about |around |nearly |almost |more than |over )?["“”']?\s*$/i],
  ['abducted', /\b(?:abduct(?:ed|ing|s)?|kidnap(?:ped|ping|s)?|took|taking|seized|seizing|captur(?:ed|ing)|carried off|held)\s*(?:at least |some |about |around |nearly |more than )?["“”']?\s*$/i],
  ['arrested', /\b(?:arrest(?:ed|ing|s)?|detain(?:ed|ing|s)?|apprehend(?:ed|ing)?|round(?:ed)? up)\s*(?:at least |some |about |around |nearly |more than )?["“”']?\s*$/i],
  ['displaced', /\b(?:displac(?:ed|ing))\s*(?:at least |some |about |around |nearly |more than )?["“”']?\s*$/i],
];

/** Words that may stand between a number and its casualty word: the victims' noun phrase and auxiliaries. */
const GAP_SOURCE = String.raw`^["”“']?\s*((?:(?:of\s+)?(?:the\s+)?[\p{L}\p{N}'’\-]+\s+){0,6}?)(?:(?:who|that)\s+)?(?:(?:were|was|are|is|have|has|had|been|being|got|reportedly|also|later|all|allegedly|reported|confirmed|feared|believed|said to be|left|killed and|and)\s+){0,4}["“”']?`;

/** For each kind, "number + noun phrase + auxiliaries + casualty word" as one pattern (the gap stretches until the word). */
const RIGHT_KIND: [ClaimKind, RegExp][] = KIND_WORDS.map(([kind, word]) => [kind, new RegExp(GAP_SOURCE + '(?:' + word.source.replace(/^\^/, '') + ')', 'iu')]);

/** Nouns that make a number a count of people (so "3 vehicles were destroyed" is not a casualty claim). */
const PERSON_NOUN =
  /\b(?:people|persons?|soldiers?|troops|servicemen|servicemembers|military|officers?|policem[ae]n|police|gendarmes?|guards?|civilians?|villagers?|residents?|m[ae]n|wom[ae]n|children|child|boys?|girls?|teachers?|students?|pupils?|farmers?|herders?|shepherds?|traders?|merchants?|drivers?|passengers?|workers?|miners?|fighters?|militants?|jihadists?|terrorists?|insurgents?|rebels?|attackers?|assailants?|gunm[ae]n|bandits?|extremists?|islamists?|members?|mercenaries|militiam[ae]n|militia|combatants?|elements|recruits|hostages?|worshippers?|pilgrims?|chiefs?|leaders?|officials?|journalists?|priests?|imams?|pastors?|doctors?|nurses?|health workers?|aid workers?|staff|employees?|customs officers?|agents?|infants?|babies|family|relatives|detainees?|prisoners?|suspects?|protesters?|demonstrators?|rioters?|displaced|individuals?|victims?|casualties|dead|wounded|injured|bodies|personnel|volunteers?|vdps?|dozos?|hunters?|cadets?|commanders?|sympathi[sz]ers|enemies|enemy|bandits|kidnappers?|smugglers?|peacekeepers?|contractors?|Malians|Afghans|nationals|foreigners|tourists|Nigeriens|Burkinabe)\b/iu;

export function findClaims(doc: Doc, sentences: readonly Sentence[]): DraftClaim[] {
  const out: DraftClaim[] = [];
  for (const s of sentences) {
    const qs = doc.quantities.filter((q) => q.start >= s.start && q.end <= s.end);
    let previous: DraftClaim | null = null;
    for (const q of qs) {
      const claim = claimFor(doc, s, q, previous);
      if (claim) {
        out.push(claim);
        previous = claim;
      }
    }
  }
  return out;
}

function claimFor(doc: Doc, s: Sentence, q: Quantity, previous: DraftClaim | null): DraftClaim | null {
  const text = doc.text;
  const after = text.slice(q.end, Math.min(s.end, q.end + 120));
  const before = text.slice(Math.max(s.start, q.start - 60), q.start);
  let kind: ClaimKind | null = null;
  let victimText = '';
  for (const [k, re] of RIGHT_KIND) {
    const m = re.exec(after);
    if (m) {
      kind = k;
      victimText = m[1] ?? '';
      break;
    }
  }
  // A number right before a casualty word with nothing between ("11 wounded", "3 dead").
  if (!kind) {
    for (const [k, re] of KIND_WORDS) {
      if (re.test(after.replace(/^["”“'\s]+/, ''))) {
        kind = k;
        victimText = '';
        break;
      }
    }
  }
  if (!kind) {
    for (const [k, re] of LEFT_KIND) {
      if (re.test(before)) {
        kind = k;
        victimText = nounHead(after);
        break;
      }
    }
  }
  // Coordination: "killed five Wagner mercenaries and seven Malian soldiers".
  if (!kind && previous && previous.sentence === s.index && /^\s*(?:,|and|as well as|plus|including)\s*(?:,\s*)?$/i.test(text.slice(previous.end_noun, q.start))) {
    kind = previous.kind;
    victimText = nounHead(after);
  }
  if (!kind) return null;
  // A number must count people: a person noun in its phrase, or a bare number before the casualty word.
  const nounOk = !victimText.trim() || PERSON_NOUN.test(victimText) || actorIn(doc, q.end, q.end + victimText.length + 1) !== undefined;
  if (!nounOk) return null;
  if (q.indefinite && !PERSON_NOUN.test(victimText)) return null;
  const victimActor = actorIn(doc, q.end, q.end + victimText.length + 1);
  const attribution = claimantFor(doc, s, q);
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
    victim_key: victimKey(victimText, victimActor),
    victim_actor: victimActor,
    claimant_actor: attribution?.actor,
    sentence: s.index,
    end_noun: q.end + victimText.length,
  };
}

const NOUN_STOP = /^(?:and|or|in|on|at|near|during|after|before|while|when|with|from|who|that|which|were|was|are|is|as|by|including|to|for|of|but|had|have|has)$/i;

/** The victims' noun phrase right after a number: up to five words, ending before a function word or punctuation. */
function nounHead(after: string): string {
  const lead = /^["”“'\s]*/.exec(after)?.[0].length ?? 0;
  let end = lead;
  let words = 0;
  const re = /([\p{L}\p{N}'’\-]+)(\s*)/uy;
  re.lastIndex = lead;
  for (let m = re.exec(after); m && words < 5; m = re.exec(after)) {
    if (words > 0 && NOUN_STOP.test(m[1]!)) break;
    end = m.index + m[1]!.length;
    words++;
    if (!m[2]) break; // punctuation follows
  }
  return after.slice(0, end);
}

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

/** The attribution that covers this quantity: in its sentence, nearest first; else the paragraph's lead. */
function claimantFor(doc: Doc, s: Sentence, q: Quantity): ClaimantFound | null {
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

function distance(a: { start: number; end: number }, q: Quantity): number {
  if (a.end <= q.start) return q.start - a.end;
  if (a.start >= q.end) return a.start - q.end;
  return 0;
}
