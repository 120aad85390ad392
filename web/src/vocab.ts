/**
 * ACLED's words as the dashboard shows them: the event types with their map colours, the actor
 * type names of the inter codes, and the order in which an event's fields are listed.
 */

/** ACLED's six event types, each with a colour (distinct for the common kinds of colour blindness as far as six can be). */
export const EVENT_TYPE_COLOURS: readonly (readonly [string, string])[] = [
  ['Battles', '#c8102e'],
  ['Explosions/Remote violence', '#e07b00'],
  ['Violence against civilians', '#7b3fa0'],
  ['Protests', '#2a9d3f'],
  ['Riots', '#b89b00'],
  ['Strategic developments', '#1f6fb4'],
];
export const OTHER_COLOUR = '#6b7280';

export function eventTypeColour(type: string | null | undefined): string {
  return EVENT_TYPE_COLOURS.find(([t]) => t === type)?.[1] ?? OTHER_COLOUR;
}

/** A CSS class naming an event type's colour (styles.css has one per type: no inline styles). */
export function eventTypeClass(type: string | null | undefined): string {
  const i = EVENT_TYPE_COLOURS.findIndex(([t]) => t === type);
  return `type-${i < 0 ? 'other' : i}`;
}

export const INTER_LABELS: Readonly<Record<number, string>> = {
  1: 'State forces',
  2: 'Rebel group',
  3: 'Political militia',
  4: 'Identity militia',
  5: 'Rioters',
  6: 'Protesters',
  7: 'Civilians',
  8: 'External/Other forces',
};

export const PRECISION_LABELS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  time_precision: { 1: 'day known', 2: 'week known', 3: 'month known' },
  geo_precision: { 1: 'the place itself', 2: 'near it / part of a region', 3: 'a larger region' },
};

/** The fields of an event in the order of the schema; unknown ones follow. claims, sources and evidence have their own sections. */
export const FIELD_ORDER = [
  'event_id', 'event_date', 'time_precision', 'event_type', 'sub_event_type', 'disorder_type', 'actor1', 'assoc_actor_1',
  'actor2', 'assoc_actor_2', 'inter1', 'inter2', 'interaction', 'civilian_targeting', 'country', 'iso3', 'admin1', 'admin2',
  'location', 'latitude', 'longitude', 'geo_precision', 'geo_basis', 'fatalities', 'fatalities_low', 'fatalities_best',
  'fatalities_high', 'injured_low', 'injured_best', 'injured_high', 'weapons', 'notes',
];
export const SECTION_FIELDS = new Set(['claims', 'sources', 'evidence']);

/** The table rows an evidence span's field supports: its own, else the family it names ("injured" → injured_low/best/high). */
export function rowsForEvidenceField(field: string, keys: readonly string[]): string[] {
  if (keys.includes(field)) return [field];
  return keys.filter((k) => k.startsWith(`${field}_`));
}

/** "1 event", "2 events", "1,234 events". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** "Location, Admin1, Country" with empty parts left out and a part that repeats the one before it once ("Mopti, Mali", not "Mopti, Mopti, Mali"). */
export function placeName(...parts: unknown[]): string {
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string' || !p.trim()) continue;
    if (out.length && out[out.length - 1]!.toLowerCase() === p.trim().toLowerCase()) continue;
    out.push(p.trim());
  }
  return out.join(', ');
}
