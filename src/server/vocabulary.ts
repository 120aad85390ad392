/**
 * ACLED's event types and sub-event types as ACLED spells them (../shared/acled-rules.md §1): the
 * values the `event_type` and `sub_event_type` filters accept. A value given in another case is
 * taken as ACLED's spelling; anything else is refused with the list.
 */
export const SUB_EVENT_TYPES_BY_TYPE = {
  Battles: ['Government regains territory', 'Non-state actor overtakes territory', 'Armed clash'],
  Protests: ['Excessive force against protesters', 'Protest with intervention', 'Peaceful protest'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Explosions/Remote violence': [
    'Chemical weapon',
    'Air/drone strike',
    'Suicide bomb',
    'Shelling/artillery/missile attack',
    'Remote explosive/landmine/IED',
    'Grenade',
  ],
  'Violence against civilians': ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  'Strategic developments': [
    'Agreement',
    'Arrests',
    'Change to group/activity',
    'Disrupted weapons use',
    'Headquarters or base established',
    'Looting/property destruction',
    'Non-violent transfer of territory',
    'Other',
  ],
} as const satisfies Record<string, readonly string[]>;

export const EVENT_TYPES: readonly string[] = Object.keys(SUB_EVENT_TYPES_BY_TYPE);
export const SUB_EVENT_TYPES: readonly string[] = Object.values(SUB_EVENT_TYPES_BY_TYPE).flat();

const byFolded = (values: readonly string[]) => new Map(values.map((v) => [v.toLowerCase(), v]));
const TYPES = byFolded(EVENT_TYPES);
const SUB_TYPES = byFolded(SUB_EVENT_TYPES);

/** ACLED's spelling of an event type, or undefined. */
export function eventTypeName(value: string): string | undefined {
  return TYPES.get(value.trim().toLowerCase());
}

/** ACLED's spelling of a sub-event type, or undefined. */
export function subEventTypeName(value: string): string | undefined {
  return SUB_TYPES.get(value.trim().toLowerCase());
}
