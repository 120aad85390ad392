import { describe, expect, it } from 'vitest';
import type { ActorMention } from '../../src/core/types.js';
import type { DraftClaim } from '../../src/assemble/claims.js';
import { estimate, isPartisan } from '../../src/assemble/fatalities.js';

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
