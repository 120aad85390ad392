/**
 * ACLED event type and sub-type from what the event's sentences say happened.
 *
 * The facts (which actions, weapons and targets appear) are gathered first; one ordered list of
 * rules then applies ACLED's precedence (Battles > Protests > Riots > Explosions/Remote violence >
 * Violence against civilians > Strategic developments) with its merging rules: an explosion during
 * fighting is a battle, an abduction that kills is an attack, a protest that turns violent is a riot.
 */
import type { EventType, Trigger, TriggerAction, Weapon } from '../core/types.js';

export interface Facts {
  actions: Set<TriggerAction>;
  weapons: Set<Weapon>;
  /** Some participant on the receiving end is an armed actor (state forces, armed group). */
  armedTarget: boolean;
  /** Some participant on the receiving end is civilian. */
  civilianTarget: boolean;
  /** Some perpetrator is an armed actor. */
  armedAgent: boolean;
  /** The perpetrator is state forces. */
  stateAgent: boolean;
  /** Deaths or injuries are claimed. */
  casualties: boolean;
  /** Protesters/demonstrators take part. */
  protesters: boolean;
  /** Dispersal words: tear gas, dispersed, water cannon. */
  dispersal: boolean;
}

export interface TypeChoice {
  event_type: EventType;
  sub_event_type: string;
  /** The trigger that decided, for evidence. */
  trigger: Trigger | null;
  rule: string;
}

const EXPLOSIVE_SUBTYPE: [Weapon | TriggerAction, string][] = [
  ['chemical', 'Chemical weapon'],
  ['suicide', 'Suicide bomb'],
  ['airstrike', 'Air/drone strike'],
  ['drone', 'Air/drone strike'],
  ['artillery', 'Shelling/artillery/missile attack'],
  ['shelling', 'Shelling/artillery/missile attack'],
  ['grenade', 'Grenade'],
];

export function classify(f: Facts, triggers: readonly Trigger[]): TypeChoice {
  const has = (a: TriggerAction): boolean => f.actions.has(a);
  const first = (...actions: TriggerAction[]): Trigger | null => triggers.find((t) => actions.includes(t.action)) ?? null;
  const choose = (event_type: EventType, sub_event_type: string, rule: string, ...actions: TriggerAction[]): TypeChoice => ({
    event_type,
    sub_event_type,
    trigger: first(...actions) ?? triggers[0] ?? null,
    rule,
  });
  const violent = has('kill') || has('attack') || has('injure') || has('massacre');
  const explosive =
    has('explosion') || has('shelling') || has('airstrike') || has('suicide') || has('grenade') || has('chemical') ||
    ['artillery', 'airstrike', 'drone', 'suicide', 'chemical'].some((w) => f.weapons.has(w as Weapon));

  // Protests and riots first: a demonstration is coded by what happens to and around it.
  if (has('protest') || (f.protesters && !has('riot') && !has('mob'))) {
    if (has('riot')) return choose('Riots', 'Violent demonstration', 'protest turned violent', 'riot', 'protest');
    if (f.protesters && (has('kill') || (has('attack') && f.casualties))) return choose('Protests', 'Excessive force against protesters', 'protesters killed or hurt', 'kill', 'attack', 'protest');
    if (f.dispersal || (f.protesters && has('arrest'))) return choose('Protests', 'Protest with intervention', 'protest dispersed', 'protest');
    if (!violent && !explosive && !has('clash') && !has('ambush')) return choose('Protests', 'Peaceful protest', 'protest', 'protest');
  }
  if (has('riot')) return choose('Riots', 'Violent demonstration', 'riot', 'riot');
  if (has('mob')) return choose('Riots', 'Mob violence', 'mob', 'mob');

  // Battles: fighting between two armed sides.
  const fighting = has('clash') || has('ambush') || ((has('attack') || has('kill')) && f.armedTarget && (f.armedAgent || !explosive));
  if (fighting && !(explosive && !has('clash') && !has('ambush') && !f.weapons.has('firearms'))) {
    if (has('retake') && f.stateAgent) return choose('Battles', 'Government regains territory', 'state retook territory', 'retake');
    if (has('capture') && !f.stateAgent && f.armedAgent) return choose('Battles', 'Non-state actor overtakes territory', 'non-state actor took territory', 'capture');
    return choose('Battles', 'Armed clash', 'armed sides fought', 'clash', 'ambush', 'attack', 'kill');
  }

  // Explosions/Remote violence: ranged or explosive weapons with no other engagement.
  if (explosive || f.weapons.has('landmine') || f.weapons.has('ied')) {
    if (has('defuse') && !f.casualties) return choose('Strategic developments', 'Disrupted weapons use', 'device defused', 'defuse');
    for (const [key, sub] of EXPLOSIVE_SUBTYPE) {
      if (f.weapons.has(key as Weapon) || f.actions.has(key as TriggerAction)) return choose('Explosions/Remote violence', sub, `explosive: ${key}`, key as TriggerAction, 'explosion');
    }
    return choose('Explosions/Remote violence', 'Remote explosive/landmine/IED', 'explosive device', 'explosion');
  }

  // Violence against civilians.
  if (has('sexual')) return choose('Violence against civilians', 'Sexual violence', 'sexual violence', 'sexual');
  if (violent && (f.civilianTarget || !f.armedTarget)) return choose('Violence against civilians', 'Attack', 'violence against unarmed people', 'kill', 'massacre', 'attack', 'injure');
  if (has('abduct')) return choose('Violence against civilians', 'Abduction/forced disappearance', 'abduction', 'abduct');
  if (has('arrest') && !f.stateAgent && f.armedAgent) return choose('Violence against civilians', 'Abduction/forced disappearance', 'arrest by a non-state group', 'arrest');

  // Strategic developments.
  if (has('retake') && f.stateAgent) return choose('Strategic developments', 'Non-violent transfer of territory', 'territory retaken without fighting', 'retake');
  if (has('capture')) return choose('Strategic developments', 'Non-violent transfer of territory', 'territory taken without fighting', 'capture');
  if (has('defuse') || has('seize')) return choose('Strategic developments', 'Disrupted weapons use', 'weapons seized or defused', 'defuse', 'seize');
  if (has('arrest')) return choose('Strategic developments', 'Arrests', 'arrests', 'arrest');
  if (has('loot') || has('destroy')) return choose('Strategic developments', 'Looting/property destruction', 'looting or destruction', 'loot', 'destroy');
  if (has('agreement')) return choose('Strategic developments', 'Agreement', 'agreement', 'agreement');
  if (has('base')) return choose('Strategic developments', 'Headquarters or base established', 'base established', 'base');
  if (has('movement')) return choose('Strategic developments', 'Change to group/activity', 'movement', 'movement');
  if (has('displace')) return choose('Strategic developments', 'Other', 'displacement', 'displace');
  if (has('threat')) return choose('Strategic developments', 'Other', 'threats', 'threat');
  return choose('Strategic developments', 'Other', 'fallback');
}

export function disorderType(type: EventType, sub: string): string {
  if (type === 'Protests') return sub === 'Excessive force against protesters' ? 'Political violence; Demonstrations' : 'Demonstrations';
  if (type === 'Riots') return sub === 'Mob violence' ? 'Political violence' : 'Demonstrations';
  if (type === 'Strategic developments') return 'Strategic developments';
  return 'Political violence';
}

/** Actions that can make a sentence report an event. */
export const EVENT_ACTIONS = new Set<TriggerAction>([
  'kill', 'injure', 'attack', 'clash', 'ambush', 'explosion', 'shelling', 'airstrike', 'suicide', 'grenade', 'abduct',
  'arrest', 'loot', 'destroy', 'protest', 'riot', 'capture', 'retake', 'defuse', 'seize', 'agreement', 'sexual',
  'chemical', 'mob', 'massacre', 'base', 'movement', 'threat',
]);
