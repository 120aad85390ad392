import { describe, expect, it } from 'vitest';
import { annotateAttributions } from '../../src/annotate/attribution.js';

const claimants = (t: string): string[] => annotateAttributions(t).map((a) => `${a.cue}:${a.claimant}`);

describe('annotateAttributions', () => {
  it('finds "X said" with the claimant at the end of the clause', () => {
    expect(claimants('Nine soldiers were killed in the north, the army said on Friday.')).toContain('said:army');
  });
  it('finds "according to"', () => {
    expect(claimants('According to local sources, the attackers came on motorbikes.')).toContain('according_to:local sources');
    expect(claimants('Five died, according to the regional governor.')).toContain('according_to:regional governor');
  });
  it('finds responsibility claims', () => {
    expect(claimants('The Islamic State group claimed responsibility for the blast.')).toContain('claimed_responsibility:Islamic State group');
  });
  it('finds anonymity and statements', () => {
    expect(claimants('An officer who spoke on condition of anonymity gave the toll.').some((c) => c.startsWith('anonymous:'))).toBe(true);
    expect(claimants('The ministry said in a statement that order was restored.').some((c) => c.startsWith('statement'))).toBe(true);
  });
  it('finds "officials told"', () => {
    expect(claimants('Two officials told Reuters the convoy was hit.').some((c) => /officials/.test(c))).toBe(true);
  });
  it('keeps offsets exact', () => {
    const t = 'At least 12 died, witnesses said, according to the mayor.';
    for (const a of annotateAttributions(t)) expect(t.slice(a.start, a.end)).toBe(a.text);
  });
});
