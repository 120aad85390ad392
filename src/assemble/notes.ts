/**
 * The one-sentence note in ACLED's style: date, actors, action, place with admin units in brackets,
 * then fatalities, mentioning disputed figures.
 * "On 10 January 2023, JNIM ambushed Military Forces of Mali near Tenenkou (Mopti, Mali). 14 fatalities."
 */
import type { SitrepEvent } from '../core/types.js';
import type { DraftClaim } from './claims.js';
import { longDate } from './util.js';

const VERB: Record<string, string> = {
  'Armed clash': 'clashed with',
  'Government regains territory': 'regained territory from',
  'Non-state actor overtakes territory': 'took territory from',
  'Attack': 'attacked',
  'Abduction/forced disappearance': 'abducted',
  'Sexual violence': 'committed sexual violence against',
  'Air/drone strike': 'carried out an air/drone strike on',
  'Shelling/artillery/missile attack': 'shelled',
  'Remote explosive/landmine/IED': 'targeted with an explosive device',
  'Suicide bomb': 'carried out a suicide bombing against',
  'Grenade': 'threw a grenade at',
  'Chemical weapon': 'used a chemical weapon against',
  'Peaceful protest': 'demonstrated',
  'Protest with intervention': 'demonstrated and were dispersed by',
  'Excessive force against protesters': 'demonstrated and were met with lethal force by',
  'Violent demonstration': 'rioted',
  'Mob violence': 'attacked',
  'Arrests': 'arrested',
  'Looting/property destruction': 'looted or destroyed property of',
  'Disrupted weapons use': 'disrupted weapons use by',
  'Agreement': 'reached an agreement with',
  'Headquarters or base established': 'established a base',
  'Non-violent transfer of territory': 'took control of territory from',
  'Change to group/activity': 'changed its activity',
  'Other': 'was involved in a development with',
};

export function composeNote(ev: SitrepEvent, claims: readonly DraftClaim[]): string {
  const parts: string[] = [];
  const when = ev.event_date ? (ev.time_precision === 1 ? `On ${longDate(ev.event_date)}` : `Around ${longDate(ev.event_date)}`) : 'On an unknown date';
  const who = ev.actor1 ?? 'unidentified actors';
  const verb = VERB[ev.sub_event_type] ?? 'were involved in an event with';
  const object = verb.endsWith(' with') || verb.endsWith(' on') || verb.endsWith(' against') || verb.endsWith(' at') || verb.endsWith(' by') || verb.endsWith(' from') || verb.endsWith(' of') || !/demonstrated$|rioted$|base$|activity$/.test(verb) ? (ev.actor2 ?? '') : '';
  let action = `${who} ${verb}${object ? ` ${object}` : ''}`.replace(/ (?:with|on|against|at|by|from|of)$/, '');
  if (ev.assoc_actor_2 && object) action += ` (with ${ev.assoc_actor_2})`;
  let where = '';
  if (ev.location) {
    const units = [ev.admin1, ev.country].filter((u): u is string => Boolean(u) && u !== ev.location);
    where = ` ${ev.geo_precision === 2 ? 'near' : 'in'} ${ev.location}${units.length ? ` (${units.join(', ')})` : ''}`;
  } else if (ev.country) where = ` in ${ev.country}`;
  parts.push(`${when}, ${action}${where}.`);
  const killedClaims = claims.filter((c) => c.kind === 'killed' && c.count !== null);
  const fat = `${ev.fatalities} ${ev.fatalities === 1 ? 'fatality' : 'fatalities'}`;
  if (killedClaims.length > 1 && ev.fatalities_high > ev.fatalities_low) {
    parts.push(`${fat} (reports range from ${ev.fatalities_low} to ${ev.fatalities_high}).`);
  } else parts.push(`${fat}.`);
  return parts.join(' ');
}
