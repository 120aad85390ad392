/**
 * Who did what to whom: each actor mention in an event's sentences gets agent and patient points from
 * its position relative to the triggers (active "X attacked Y", passive "Y were killed by X", "clashes
 * with Y"), from the claims (victims are patients) and from responsibility claims (agents).
 */
import type { ActorMention, Doc, Sentence, Trigger } from '../core/types.js';
import type { DraftClaim } from './claims.js';

export interface RoleScore {
  mention: ActorMention;
  agent: number;
  patient: number;
}

const PASSIVE_BEFORE = /\b(?:was|were|been|being|is|are|got|get)\s+(?:(?:reportedly|allegedly|also|later|all|then|being)\s+)?$/i;
const BY_BEFORE = /\bby\s+(?:[\p{L}\p{N}'’-]+\s+){0,3}$/iu;
const WITH_BEFORE = /\b(?:with|between|against|targeting|on|at|and)\s+(?:the\s+|a\s+|an\s+|suspected\s+|alleged\s+)*$/i;
const WINDOW = 90;

export function scoreRoles(doc: Doc, sentences: readonly Sentence[], triggers: readonly Trigger[], claims: readonly DraftClaim[]): RoleScore[] {
  const spans = doc.attributions.filter((a) => a.cue !== 'claimed_responsibility');
  const inSentences = doc.actors.filter((m) => sentences.some((s) => m.start >= s.start && m.end <= s.end));
  const scores = new Map<ActorMention, RoleScore>();
  const get = (m: ActorMention): RoleScore => {
    let r = scores.get(m);
    if (!r) scores.set(m, (r = { mention: m, agent: 0, patient: 0 }));
    return r;
  };
  for (const m of inSentences) {
    // A claimant ("the army said") is not a participant by being the claimant.
    const isClaimant = spans.some((a) => m.start >= a.start && m.end <= a.end && a.claimant && a.text.toLowerCase().includes(m.text.toLowerCase()));
    const r = get(m);
    if (isClaimant) continue;
    const sentence = sentences.find((s) => m.start >= s.start && m.end <= s.end)!;
    const inSentence = triggers.filter((t) => !t.negated && t.start >= sentence.start && t.end <= sentence.end);
    // Only the nearest trigger on each side governs a mention: in "12 people were killed after attacks
    // on the army", "people" is the patient of "killed", not the agent of "attacks".
    const nextAfter = inSentence.filter((t) => t.start >= m.end).sort((a, b) => a.start - b.start)[0];
    const lastBefore = inSentence.filter((t) => t.end <= m.start).sort((a, b) => b.end - a.end)[0];
    // ", killing nine soldiers": a participle after a comma takes the main clause's subject, not
    // the object just before it.
    const participle = nextAfter && /ing$/i.test(nextAfter.text) && doc.text.slice(m.end, nextAfter.start).includes(',');
    for (const t of [participle ? undefined : nextAfter, lastBefore]) {
      if (!t) continue;
      const before = doc.text.slice(Math.max(sentence.start, t.start - 40), t.start);
      const passive = PASSIVE_BEFORE.test(before);
      if (m.end <= t.start && t.start - m.end <= WINDOW) {
        if (passive) r.patient += 2;
        else r.agent += 2;
      } else if (m.start >= t.end && m.start - t.end <= WINDOW) {
        const lead = doc.text.slice(Math.max(t.end, m.start - 30), m.start);
        if (BY_BEFORE.test(lead)) r.agent += 3;
        else if (t.action === 'clash' || WITH_BEFORE.test(lead)) r.patient += 1.5;
        else if (!passive) r.patient += 2;
      }
    }
    r.agent += m.inter <= 4 && !m.generic ? 0.5 : 0;
    r.patient += m.inter === 7 ? 0.5 : 0;
  }
  for (const c of claims) {
    if (c.victim_actor && (c.kind === 'killed' || c.kind === 'injured' || c.kind === 'abducted' || c.kind === 'arrested')) {
      get(c.victim_actor).patient += 3;
    }
  }
  for (const a of doc.attributions) {
    if (a.cue !== 'claimed_responsibility') continue;
    for (const m of doc.actors) if (m.start >= a.start && m.end <= a.end) get(m).agent += 4;
  }
  return [...scores.values()].sort((a, b) => a.mention.start - b.mention.start);
}
