/**
 * From claims to counts.
 *
 * - Claims about the same victims (same victim group) are alternatives; claims about different
 *   groups add up. A claim about unspecified "people" is an alternative for the whole total.
 * - A party's claim about its enemy's losses (the army on "terrorists neutralized", a rebel group on
 *   soldiers killed) is partisan: it counts toward the high estimate always, toward the best estimate
 *   when no other claim covers those victims, and toward the low (ACLED) count only when no
 *   non-partisan claim exists for the event at all.
 * - low: per group the lowest credible figure (ACLED: "take the lowest figure"); best: per group the
 *   highest credible figure (the most complete report); high: per group the highest figure anyone
 *   states, the top of a range included. Each total is the larger of the sum over specific groups and
 *   the unspecified-total claims, since both describe the same dead.
 * - A figure the text calls unverified counts toward best and high only; a lone "the victim" counts
 *   only when no other claim of its kind exists.
 * - A coder's explicit figure ("fatalities coded as 10") replaces the claims about its victims; parts
 *   of a stated total are not added to it; a total shared by several incidents counts for its share.
 */
import type { ActorMention, ClaimKind, SitrepEvent } from '../core/types.js';
import type { DraftClaim } from './claims.js';

export interface Estimate {
  low: number;
  best: number;
  high: number;
}

type Side = 'state' | 'armed' | 'civil' | 'unknown';

function sideOfInter(inter: number | undefined): Side {
  if (inter === 1 || inter === 8) return 'state';
  if (inter === 2 || inter === 3 || inter === 4) return 'armed';
  if (inter === 5 || inter === 6 || inter === 7) return 'civil';
  return 'unknown';
}

function victimSide(c: DraftClaim): Side {
  if (c.victim_actor) return sideOfInter(c.victim_actor.inter);
  if (c.victim_key.startsWith('state:')) return 'state';
  if (c.victim_key === 'militants') return 'armed';
  if (c.victim_key === 'civilians') return 'civil';
  return 'unknown';
}

function claimantSide(actor: ActorMention | undefined): Side {
  return actor ? sideOfInter(actor.inter) : 'unknown';
}

export function isPartisan(c: DraftClaim): boolean {
  const from = claimantSide(c.claimant_actor);
  const to = victimSide(c);
  if (from === 'armed' && to === 'armed') return rivals(c.claimant_actor, c.victim_actor);
  return (from === 'state' || from === 'armed') && (to === 'state' || to === 'armed') && from !== to;
}

/** Two armed groups that are not one and the same, nor one part of the other (ISGS on JNIM's losses). */
function rivals(a: ActorMention | undefined, b: ActorMention | undefined): boolean {
  if (!a || !b || a.generic || b.generic) return false;
  if (a.actor_id === b.actor_id || a.name === b.name) return false;
  return a.parent !== b.name && b.parent !== a.name && (a.parent === undefined || a.parent !== b.parent);
}

/**
 * Sum over specific groups, or the unspecified total when larger; plus the people a claim marks as
 * besides the others ("in addition to the bomber", "two other people"), who are in neither.
 */
function total(byGroup: Map<string, number>): number {
  let specific = 0;
  let unspecified = 0;
  let besides = 0;
  for (const [key, v] of byGroup) {
    if (key === 'people') unspecified = Math.max(unspecified, v);
    else if (key === 'perpetrators' || key.startsWith('others:')) besides += v;
    else specific += v;
  }
  return Math.max(specific, unspecified) + besides;
}

/**
 * One event's share of a total that `by` events share: an even split with the remainder going to
 * the first events (ACLED: 7 over 3 days is 3, 2, 2). Which of the events this one is, the text
 * does not say; the share most of them get is the likeliest, so a remainder below half rounds
 * down, and half or more (the first of two events, 5 of 2 × 3) rounds up.
 */
export function shareOf(total: number, by: number): number {
  if (by <= 1) return total;
  const base = Math.floor(total / by);
  const rest = total - base * by;
  return rest * 2 >= by ? base + 1 : base;
}

/**
 * "92 soldiers" and "92 Chadian soldiers" are the same victims: a state-forces group whose country the
 * text did not repeat joins the one state group of that kind the event names.
 */
function unifyStateGroups(claims: DraftClaim[]): DraftClaim[] {
  const known = new Map<string, Set<string>>();
  for (const c of claims) {
    const m = /^state:([A-Z]{3}):(\w+)$/.exec(c.victim_key);
    if (m) known.set(m[2]!, (known.get(m[2]!) ?? new Set()).add(c.victim_key));
  }
  return claims.map((c) => {
    const m = /^state:\?:(\w+)$/.exec(c.victim_key);
    const keys = m ? known.get(m[1]!) : undefined;
    return keys && keys.size === 1 ? { ...c, victim_key: [...keys][0]! } : c;
  });
}

/** An event's count fields (ACLED's `fatalities`, UCDP-style low/best/high for the dead and the wounded). */
export function countFields(killed: Estimate, injured: Estimate): Pick<SitrepEvent, 'fatalities' | 'fatalities_low' | 'fatalities_best' | 'fatalities_high' | 'injured_low' | 'injured_best' | 'injured_high'> {
  return {
    fatalities: killed.low,
    fatalities_low: killed.low,
    fatalities_best: killed.best,
    fatalities_high: killed.high,
    injured_low: injured.low,
    injured_best: injured.best,
    injured_high: injured.high,
  };
}

export function estimate(claims: readonly DraftClaim[], kind: ClaimKind): Estimate {
  let counted = unifyStateGroups(claims.filter((c) => c.kind === kind && c.count !== null));
  if (!counted.length) return { low: 0, best: 0, high: 0 };
  // "the victim", "killing him" stand in for a count only when the text gives none.
  if (counted.some((c) => !c.anaphoric)) counted = counted.filter((c) => !c.anaphoric);
  // A coder's explicit figure stands for its victims (all of them when it names none).
  const coded = counted.filter((c) => c.coded);
  const codedAll = coded.find((c) => c.victim_key === 'people');
  if (codedAll) {
    const v = shareOf(codedAll.count!, codedAll.shared_by ?? 1);
    return { low: v, best: v, high: v };
  }
  if (coded.length) {
    const keys = new Set(coded.map((c) => c.victim_key));
    counted = counted.filter((c) => c.coded || !keys.has(c.victim_key));
  }
  // Parts of a stated total ("five people, including two children") are inside it.
  const starts = new Set(counted.map((c) => c.start));
  counted = counted.filter((c) => c.part_of === undefined || !starts.has(c.part_of));
  // Totals shared between several incidents count for their share.
  const byShare = new Map<number, DraftClaim[]>();
  for (const c of counted) byShare.set(c.shared_by ?? 1, [...(byShare.get(c.shared_by ?? 1) ?? []), c]);
  const sum: Estimate = { low: 0, best: 0, high: 0 };
  for (const [by, list] of byShare) {
    const e = estimateGroups(list);
    sum.low += shareOf(e.low, by);
    sum.best += shareOf(e.best, by);
    sum.high += shareOf(e.high, by);
  }
  return sum;
}

function estimateGroups(counted: readonly DraftClaim[]): Estimate {
  // The low (ACLED) count leaves out figures the text itself calls unverified.
  const verified = counted.filter((c) => !c.unverified);
  const credible = verified.filter((c) => !isPartisan(c));
  const lowPool = credible.length ? credible : verified;

  const low = new Map<string, number>();
  for (const c of lowPool) low.set(c.victim_key, Math.min(low.get(c.victim_key) ?? Infinity, c.count!));

  const groups = new Map<string, DraftClaim[]>();
  for (const c of counted) groups.set(c.victim_key, [...(groups.get(c.victim_key) ?? []), c]);
  const best = new Map<string, number>();
  const high = new Map<string, number>();
  for (const [key, list] of groups) {
    const cred = list.filter((c) => !isPartisan(c));
    best.set(key, Math.max(...(cred.length ? cred : list).map((c) => c.count!)));
    high.set(key, Math.max(...list.map((c) => c.count_high ?? c.count!)));
  }
  const lo = total(low);
  const be = Math.max(total(best), lo);
  const hi = Math.max(total(high), be);
  return { low: lo, best: be, high: hi };
}
