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
 */
import type { ActorMention, ClaimKind } from '../core/types.js';
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
  return (from === 'state' || from === 'armed') && (to === 'state' || to === 'armed') && from !== to;
}

/** Sum over specific groups, or the unspecified total when larger. */
function total(byGroup: Map<string, number>): number {
  let specific = 0;
  let unspecified = 0;
  for (const [key, v] of byGroup) {
    if (key === 'people') unspecified = Math.max(unspecified, v);
    else specific += v;
  }
  return Math.max(specific, unspecified);
}

export function estimate(claims: readonly DraftClaim[], kind: ClaimKind): Estimate {
  const counted = claims.filter((c) => c.kind === kind && c.count !== null);
  if (!counted.length) return { low: 0, best: 0, high: 0 };
  const credible = counted.filter((c) => !isPartisan(c));
  const lowPool = credible.length ? credible : counted;

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
