import { describe, expect, it } from 'vitest';
import { findClaims } from '../../src/assemble/claims.js';
import { estimate } from '../../src/assemble/fatalities.js';
import type { ClaimKind, Doc } from '../../src/core/types.js';
import { annotate } from '../../src/pipeline/extract.js';

function docOf(text: string): Doc {
  return annotate({ id: 't', title: null, url: null, published: '2021-03-01', text, removed: [] });
}

/** The best estimate of one kind over all claims of the text. */
function best(text: string, kind: ClaimKind = 'killed'): number {
  const doc = docOf(text);
  return estimate(findClaims(doc, doc.sentences), kind).best;
}

/** The low (ACLED) estimate. */
function low(text: string, kind: ClaimKind = 'killed'): number {
  const doc = docOf(text);
  return estimate(findClaims(doc, doc.sentences), kind).low;
}

describe('findClaims: numbers and their verbs', () => {
  it('lets a verb right before a number decide its kind', () => {
    const text = 'Gunmen killed four herders and wounded two women near the well.';
    expect(best(text)).toBe(4);
    expect(best(text, 'injured')).toBe(2);
  });

  it('reads what a relative clause says happened to the people counted', () => {
    const text = 'The raiders wounded a shepherd who later died in hospital.';
    expect(best(text)).toBe(1);
  });

  it('does not count the attackers of an active verb as its victims', () => {
    expect(best('Two gunmen killed a farmer outside Kolo.')).toBe(1);
  });

  it('gives no count to "killed and wounded" taken together', () => {
    expect(best('Militants killed and wounded 15 soldiers at the outpost.')).toBe(0);
    expect(best('Seven fighters were killed or wounded in the raid.')).toBe(0);
  });

  it('takes the last thing done to hostages', () => {
    expect(best('Four guards were taken hostage and beheaded the next morning.')).toBe(4);
  });

  it('doubts a quoted "neutralized" but not a plain one', () => {
    expect(best("Troops said eight militants were 'neutralized' near the river.")).toBe(0);
    expect(best('Troops neutralized eight militants near the river.')).toBe(8);
  });

  it('reads a number inside "one of the three" as a reference', () => {
    const text = 'Three soldiers were wounded by the mine. One of the three soldiers later died.';
    expect(best(text)).toBe(1);
    expect(best(text, 'injured')).toBe(3);
  });

  it('accepts any people after a killing verb, not animals', () => {
    expect(best('Militiamen killed three marketgoers on the road to Kolo.')).toBe(3);
    expect(best('Raiders killed forty cattle near the village.')).toBe(0);
  });
});

describe('findClaims: totals, parts and lists', () => {
  it('keeps the parts of a total inside it', () => {
    expect(best('Nine people, including four police officers and a child, were killed in the ambush.')).toBe(9);
    expect(best('Eleven villagers including two women were killed overnight.')).toBe(11);
  });

  it('reads an apposition after a total as its members', () => {
    expect(best('At least two people, the village head and his driver, were killed in the attack.')).toBe(2);
    expect(best('One person, a Kenyan trader, was killed in the blast.')).toBe(1);
  });

  it('adds the members of a list', () => {
    expect(best('Three soldiers and five attackers were killed in the fighting.')).toBe(8);
    expect(best('Two people and four gunmen were killed when the convoy was hit.')).toBe(6);
    expect(best('Two Bambara and three Peul herders were killed in the clash.')).toBe(5);
    expect(best('Both attackers and a guard were killed at the gate.')).toBe(3);
  });

  it('adds "others" and "more" to those already counted', () => {
    expect(best('Gunmen shot dead five traders on the road. They also killed two more people at a nearby well.')).toBe(7);
    expect(best('The commander was killed along with his driver and three other people.')).toBe(5);
  });
});

describe('findClaims: one person with no number', () => {
  it('counts a named victim once, with or without an apposition', () => {
    expect(best('Gunmen shot and killed Musa Keita, a local councillor, in the market.')).toBe(1);
    expect(best('Keita, a retired teacher, was killed in his home.')).toBe(1);
  });

  it('counts named and definite victims in a list', () => {
    expect(best('Keita, a teacher, and his brother were killed near the mosque.')).toBe(2);
  });

  it('reads singular subjects of passive verbs', () => {
    const text = 'The driver was wounded and his wife was killed in the ambush.';
    expect(best(text)).toBe(1);
    expect(best(text, 'injured')).toBe(1);
  });

  it('does not take place names before a comma for victims', () => {
    expect(best('Troops clashed with rebels between Kolo and Sama, two soldiers were killed.')).toBe(2);
  });

  it('does not count a death given as a motive', () => {
    expect(best('The group said the raid avenged the death of its commander.')).toBe(0);
  });
});

describe('findClaims: attackers among the dead', () => {
  it('adds the bomber when the text counts them in', () => {
    expect(best('A suicide bomber struck the gate. In addition to the bomber, six guards were killed.')).toBe(7);
    expect(best('A bomber attacked the market, killing herself and three shoppers.')).toBe(4);
  });

  it('counts attackers who were the only casualties', () => {
    expect(best('Two attackers detonated their vests at a checkpoint. The attackers were the only casualties.')).toBe(2);
  });
});

describe('findClaims: shared totals, coded figures, unverified claims', () => {
  it('shares a total stated across several incidents', () => {
    const text = 'Gunmen raided a village. This was one of three coordinated raids that night. Six gunmen and three guards were killed across the three raids.';
    expect(best(text)).toBe(3);
    expect(best('Five guards were killed across both attacks on the camp.')).toBe(3);
  });

  it('keeps a figure for "this attack" out of the shared total', () => {
    const text = 'Four guards were killed in this attack while ten people were injured across both attacks.';
    expect(best(text)).toBe(4);
    expect(best(text, 'injured')).toBe(5);
  });

  it("takes the coder's figure for unknown fatalities", () => {
    expect(low('An unknown number of rebels were killed in the strike. Unknown fatalities coded as 10.')).toBe(10);
  });

  it("takes the share a split gives this event", () => {
    expect(low('Nine people were killed in two villages. Fatalities split between 2 events (5,4).')).toBe(5);
    expect(low('A guard was killed at the depot. Fatalities split among three events.')).toBe(0);
  });

  it('leaves figures the text calls unverified out of the low count', () => {
    const text = 'The group claimed to have killed twelve soldiers in the ambush. The claim could not be independently verified.';
    expect(low(text)).toBe(0);
    expect(best(text)).toBe(12);
  });
});

describe('findClaims: more ways of telling the wounded and the dead', () => {
  it('reads "another" as one more person', () => {
    const text = 'Three villagers were killed and another was injured when the shell hit.';
    expect(best(text)).toBe(3);
    expect(best(text, 'injured')).toBe(1);
  });

  it('counts the poisoned, the sick and the flogged as hurt', () => {
    expect(best('More than 60 pupils were reported sick after the attack on the school.', 'injured')).toBe(60);
    expect(best('Fighters publicly flogged four men in the square.', 'injured')).toBe(4);
  });

  it('reads a list of numbers after a total as its parts', () => {
    expect(best('At least six people, four guards and two drivers, were wounded.', 'injured')).toBe(6);
  });

  it('reads the figures a coder lists per event', () => {
    expect(low('Raiders killed nine herders in three camps. Fatalities split between events as (3) in A, (3) in B and (3) in C.')).toBe(3);
  });

  it('adds the victims after "killing himself and"', () => {
    expect(best('A militant drove a car bomb into the convoy, killing himself and two soldiers.')).toBe(3);
  });
});

