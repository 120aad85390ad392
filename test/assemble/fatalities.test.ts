import { describe, expect, it } from 'vitest';
import type { ActorMention } from '../../src/core/types.js';
import type { DraftClaim } from '../../src/assemble/claims.js';
import { estimate, isPartisan, shareOf } from '../../src/assemble/fatalities.js';

const actor = (name: string, inter: ActorMention['inter'], iso3: string | null = null): ActorMention => ({
  start: 0, end: 1, text: name, actor_id: name.toLowerCase(), name, inter, iso3, generic: inter === 1 || inter === 7, short: name,
});
const ARMY = actor('Military Forces of Mali', 1, 'MLI');
const JNIM = actor('JNIM', 2);

function claim(count: number | null, victim_key: string, over: Partial<DraftClaim> = {}): DraftClaim {
  return {
    kind: 'killed', count, count_high: null, qualifier: 'exact', claimant: null, victim: victim_key, text: String(count), start: 0, end: 1,
    victim_key, sentence: 0, end_noun: 1, ...over,
  };
}

describe('estimate', () => {
  it('is 0 when nothing is claimed', () => {
    expect(estimate([], 'killed')).toEqual({ low: 0, best: 0, high: 0 });
  });

  it('adds claims about different victim groups', () => {
    expect(estimate([claim(3, 'civilians'), claim(2, 'state:MLI:military')], 'killed')).toEqual({ low: 5, best: 5, high: 5 });
  });

  it('treats claims about the same victims as alternatives', () => {
    expect(estimate([claim(10, 'civilians'), claim(14, 'civilians')], 'killed')).toEqual({ low: 10, best: 14, high: 14 });
  });

  it('uses the top of a range for the high estimate', () => {
    expect(estimate([claim(10, 'people', { count_high: 15 })], 'killed')).toEqual({ low: 10, best: 10, high: 15 });
  });

  it('keeps a partisan claim about enemy dead out of the low count when others exist', () => {
    const own = claim(14, 'state:MLI:military', { claimant_actor: ARMY, victim_actor: ARMY });
    const enemy = claim(31, 'militants', { claimant_actor: ARMY });
    const rebelClaim = claim(7, 'state:MLI:military', { claimant_actor: JNIM, victim_actor: ARMY });
    expect(isPartisan(own)).toBe(false);
    expect(isPartisan(enemy)).toBe(true);
    expect(isPartisan(rebelClaim)).toBe(true);
    expect(estimate([own, enemy, rebelClaim], 'killed')).toEqual({ low: 14, best: 45, high: 45 });
  });

  it('uses partisan claims for the low count when they are all there is', () => {
    expect(estimate([claim(20, 'militants', { claimant_actor: ARMY })], 'killed').low).toBe(20);
  });

  it('takes an unspecified total as an alternative to the group sum', () => {
    expect(estimate([claim(12, 'people'), claim(14, 'state:MLI:military')], 'killed').low).toBe(14);
    expect(estimate([claim(30, 'people'), claim(14, 'state:MLI:military')], 'killed').low).toBe(30);
  });

  it('ignores unknown counts and other kinds', () => {
    expect(estimate([claim(null, 'people', { qualifier: 'unknown' }), claim(11, 'people', { kind: 'injured' })], 'killed')).toEqual({ low: 0, best: 0, high: 0 });
    expect(estimate([claim(11, 'people', { kind: 'injured' })], 'injured').best).toBe(11);
  });
});

describe('shareOf', () => {
  it('gives the share most events get, rounding a remainder of half or more up', () => {
    expect(shareOf(12, 3)).toBe(4);
    expect(shareOf(7, 3)).toBe(2);
    expect(shareOf(8, 3)).toBe(3);
    expect(shareOf(5, 2)).toBe(3);
    expect(shareOf(1, 12)).toBe(0);
    expect(shareOf(9, 1)).toBe(9);
  });
});

describe('estimate: coded figures, parts, shares', () => {
  it("lets a coder's figure for all victims replace every claim", () => {
    const coded = claim(10, 'people', { coded: true });
    expect(estimate([claim(null, 'militants', { qualifier: 'unknown' }), claim(3, 'civilians'), coded], 'killed')).toEqual({ low: 10, best: 10, high: 10 });
    expect(estimate([claim(10, 'people', { coded: true, shared_by: 3 })], 'killed').low).toBe(3);
  });

  it("lets a coder's figure for one side replace only that side's claims", () => {
    const rebels = actor('Rebel Front', 2);
    const partisan = claim(70, `actor:${rebels.actor_id}`, { victim_actor: rebels, claimant_actor: JNIM });
    const coded = claim(10, `actor:${rebels.actor_id}`, { coded: true });
    expect(estimate([claim(14, 'militants'), partisan, coded], 'killed').low).toBe(24);
  });

  it('does not add the parts of a stated total', () => {
    const total = claim(9, 'people', { start: 0 });
    const part = claim(4, 'state:MLI:police', { start: 20, part_of: 0 });
    expect(estimate([total, part], 'killed').best).toBe(9);
    // Without its total a part stands for itself.
    expect(estimate([part], 'killed').best).toBe(4);
  });

  it('counts a shared total for its share', () => {
    expect(estimate([claim(6, 'militants', { shared_by: 3 }), claim(3, 'state:MLI:military', { shared_by: 3 })], 'killed').best).toBe(3);
    expect(estimate([claim(4, 'state:MLI:military'), claim(10, 'people', { shared_by: 2 })], 'killed').best).toBe(9);
  });

  it('adds attackers and "others" to the unspecified total', () => {
    expect(estimate([claim(1, 'perpetrators'), claim(12, 'people')], 'killed').best).toBe(13);
    expect(estimate([claim(5, 'people'), claim(2, 'others:40')], 'killed').best).toBe(7);
  });

  it('keeps unverified figures out of the low count only', () => {
    expect(estimate([claim(12, 'state:MLI:military', { unverified: true })], 'killed')).toEqual({ low: 0, best: 12, high: 12 });
    expect(estimate([claim(3, 'civilians'), claim(12, 'state:MLI:military', { unverified: true })], 'killed').low).toBe(3);
  });

  it("treats a rival armed group's claim about another group as partisan", () => {
    const isgs = actor('ISGS', 2);
    expect(isPartisan(claim(6, 'actor:jnim', { claimant_actor: isgs, victim_actor: JNIM }))).toBe(true);
    expect(isPartisan(claim(6, 'actor:jnim', { claimant_actor: JNIM, victim_actor: JNIM }))).toBe(false);
  });
});
