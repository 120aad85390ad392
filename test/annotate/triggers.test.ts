import { describe, expect, it } from 'vitest';
import { annotateTriggers } from '../../src/annotate/triggers.js';
import { annotateWeapons } from '../../src/annotate/weapons.js';

const actions = (t: string): string[] => annotateTriggers(t).filter((x) => !x.negated).map((x) => x.action);

describe('annotateTriggers', () => {
  it('finds the ACLED actions news uses', () => {
    expect(actions('Militants ambushed a convoy and killed six soldiers.')).toEqual(['ambush', 'kill']);
    expect(actions('Troops clashed with rebels near the border.')).toContain('clash');
    expect(actions('Government forces shelled the town overnight.')).toContain('shelling');
    expect(actions('A drone strike hit a vehicle.')).toContain('airstrike');
    expect(actions('A suicide bomber blew himself up at a checkpoint.')).toContain('suicide');
    expect(actions('Gunmen kidnapped two aid workers.')).toContain('abduct');
    expect(actions('Police arrested the opposition leader.')).toContain('arrest');
    expect(actions('Fighters looted shops and burned houses.')).toEqual(expect.arrayContaining(['loot', 'destroy']));
    expect(actions('Hundreds of protesters marched through the capital.')).toContain('protest');
    expect(actions('An explosive device detonated under a truck.')).toContain('explosion');
  });

  it('marks negated and hypothetical triggers', () => {
    const neg = annotateTriggers('No one was killed. The group threatened to attack the town. He denied ordering the killing.');
    expect(neg.every((t) => t.negated)).toBe(true);
  });

  it('"anti-" negates the trigger it prefixes only, not a later one ("anti-poaching brigade ... assassinated")', () => {
    expect(annotateTriggers('An anti-kidnapping unit was set up.').every((t) => t.negated)).toBe(true);
    expect(actions('A ranger of the anti-poaching unit was assassinated near the park.')).toContain('kill');
  });

  it('a singular event noun that opens a sentence or a heading reports one occurrence (headlines, log entries)', () => {
    const specific = (t: string, word: string): boolean | undefined => annotateTriggers(t).find((x) => x.text === word)?.specific;
    expect(specific('Ambush against a militia convoy near the wells.', 'Ambush')).toBe(true);
    expect(specific('UPDATE: Detonation reported near the market.', 'Detonation')).toBe(true);
    // Inside a sentence, or plural, it is talk of such things.
    expect(specific('They said ambush tactics were common.', 'ambush')).toBe(false);
    expect(specific('Ambushes have become common on the road.', 'Ambushes')).toBe(false);
    expect(actions('Two loud detonations shook the market before dawn.')).toContain('explosion');
  });

  it('counted, hyphen-prefixed and passive reports of occurrences are specific', () => {
    const specific = (t: string, word: string): boolean | undefined => annotateTriggers(t).find((x) => x.text === word)?.specific;
    // Undated notes need it: a generic mention alone makes no event.
    expect(specific('Gunmen carried out a double-attack against a checkpoint and a customs post.', 'attack')).toBe(true);
    expect(specific('Multiple airstrikes against rebel positions were reported overnight.', 'airstrikes')).toBe(true);
    expect(specific('Retaliatory strikes were launched at dawn against the camp.', 'strikes')).toBe(true);
    expect(annotateTriggers('Traders were stopped on the road and their goods and phones were seized.').some((t) => t.action === 'loot' && t.specific)).toBe(true);
    // Talk of such things stays generic.
    expect(specific('Airstrikes are a risk for herders in the area.', 'Airstrikes')).toBe(false);
  });

  it('looting told in the passive or of an ambulance, and damage to a counted number of things', () => {
    expect(actions('Armed men seized an ambulance on the road to the clinic.')).toContain('loot');
    expect(actions("Bandits stopped a bus; the passengers' phones and money were seized.")).toContain('loot');
    expect(actions('Rioters damaged 12 cars outside the stadium.')).toContain('destroy');
  });

  it('threats to people are an action; a threat to act is not the act', () => {
    expect(actions('Armed men threatened voters and polling staff at a school.')).toContain('threat');
    expect(actions('The group threatened to attack the town.')).not.toContain('attack');
    expect(actions('The group threatened to attack the town.')).not.toContain('threat');
  });

  it('does not take "heart attack" or "hunger strike" for violence', () => {
    expect(actions('He died of a heart attack during a hunger strike.')).not.toContain('attack');
  });

  it('offsets slice to the trigger text', () => {
    const t = 'Rebels AMBUSHED the patrol, KILLING four.';
    for (const m of annotateTriggers(t)) expect(t.slice(m.start, m.end)).toBe(m.text);
  });

  it('does not read the pronoun "mine" as a landmine', () => {
    expect(annotateWeapons('The decision was mine alone.').map((w) => w.weapon)).not.toContain('landmine');
    expect(annotateWeapons('The truck hit a mine near the village.').map((w) => w.weapon)).toEqual(expect.arrayContaining(['landmine', 'explosives']));
  });
});

describe('annotateWeapons', () => {
  it('maps phrases to weapon classes, with explosives for every explosive sub-class', () => {
    const w = (t: string): string[] => [...new Set(annotateWeapons(t).map((x) => x.weapon))];
    expect(w('Gunmen opened fire on worshippers')).toContain('firearms');
    expect(w('an improvised explosive device')).toEqual(expect.arrayContaining(['ied', 'explosives']));
    expect(w('a suicide bomber')).toEqual(expect.arrayContaining(['suicide', 'explosives']));
    expect(w('mortar rounds fell on the market')).toEqual(expect.arrayContaining(['artillery', 'explosives']));
    expect(w('attackers set fire to the granaries')).toContain('incendiary');
    expect(w('he was stabbed with a knife')).toContain('melee');
    expect(w('an air strike by warplanes')).toEqual(expect.arrayContaining(['airstrike', 'explosives']));
    expect(w('a drone struck the convoy')).toEqual(expect.arrayContaining(['drone', 'explosives']));
  });

  it('reads poisoning as chemical, flogging and mutilation as melee, projectiles as explosives', () => {
    const w = (t: string): string[] => [...new Set(annotateWeapons(t).map((x) => x.weapon))];
    expect(w('Unknown people poisoned the water tank of the school')).toContain('chemical');
    expect(w('Fighters publicly flogged two men')).toContain('melee');
    expect(w('they cut off the hands of a thief')).toContain('melee');
    expect(w('Projectiles landed in the market')).toEqual(expect.arrayContaining(['explosives', 'artillery']));
  });

  it('implies firearms for an armed assault that names no weapon', () => {
    const w = (t: string): string[] => [...new Set(annotateWeapons(t).map((x) => x.weapon))];
    expect(w('Gunmen attacked a police post in the night. Two officers died.')).toEqual(['firearms']);
    expect(w('Assailants abducted eleven passengers from a bus.')).toEqual(['firearms']);
    expect(w('Three soldiers were killed in the ensuing clash.')).toEqual(['firearms']);
    expect(w('Rebels ambushed an army convoy.')).toEqual(['firearms']);
  });

  it('implies nothing when the paragraph names a weapon, or denies the fighting', () => {
    const w = (t: string): string[] => [...new Set(annotateWeapons(t).map((x) => x.weapon))];
    expect(w('Militants attacked the camp with mortars.')).toEqual(['explosives', 'artillery']);
    expect(w('Assailants threw a grenade at the bar.')).toEqual(['explosives']);
    expect(w('There were no clashes and no casualties.')).toEqual([]);
    expect(w('Residents said militants did not attack the village.')).toEqual([]);
  });

  it('keeps the implied mention on the phrase that implies it', () => {
    const text = 'Villagers fled. Assailants attacked the market.';
    const m = annotateWeapons(text).find((x) => x.weapon === 'firearms')!;
    expect(text.slice(m.start, m.end)).toBe('Assailants attacked');
  });
});

