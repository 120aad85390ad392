/**
 * Assembly: from an annotated Doc to ACLED-style events with claims and evidence.
 *
 * 1. Sentences that tell background (history, reports on other periods) are set aside.
 * 2. The remaining sentences that report an action form events; a new event starts where the text
 *    marks a separate incident ("In a separate attack", a different explicit day).
 * 3. Each event gets its claims, actors (by role), type and sub-type (ACLED precedence), place,
 *    date, weapons, counts, evidence spans and a one-sentence note.
 */
import type { ActorMention, DateMention, Doc, Evidence, Inter, Sentence, SitrepEvent, Trigger, Weapon } from '../core/types.js';
import { resolveActorName } from '../annotate/actors.js';
import { isUpperCaseText } from '../annotate/places.js';
import { sentenceAt } from '../annotate/sentences.js';
import { countryByIso2 } from '../geo/countries.js';
import { locateEvent, type EventPlace } from '../geo/locate.js';
import { countryFocus, foregroundFocus, resolvePlaces, topCountry, type CountryFocus, type Resolved } from '../geo/resolve.js';
import { datedOpening, isBackgroundSentence, referenceDate } from './background.js';
import { findClaims, type DraftClaim } from './claims.js';
import { classify, disorderType, EVENT_ACTIONS, type Facts } from './classify.js';
import { countFields, estimate } from './fatalities.js';
import { composeNote } from './notes.js';
import { scoreRoles, type RoleScore } from './roles.js';
import { daysBetween, shortHash } from './util.js';

/** Phrases that open the report of another incident. */
const SEPARATE_INCIDENT = /^(?:["“]?\s*)(?:in (?:a |another )?separate (?:attack|incident|development|event)s?|separately|elsewhere|in another (?:attack|incident|development)|meanwhile|in a second (?:attack|incident)|a second (?:attack|incident)|also on|on the same day)\b/i;

/** How long before publication an event may be and still be the news (ACLED data lag included). */
const MAX_AGE_DAYS = 366;

/** How many action-less sentences right before the first action may set its scene. */
const MAX_SCENE_SENTENCES = 2;

interface Segment {
  sentences: Sentence[];
  /** How many of the first sentences only set the scene (see `sceneFor`): they date and place the event, but report nothing. */
  scene?: number;
}

export function assembleEvents(doc: Doc, opts: { geoparse?: boolean } = {}): SitrepEvent[] {
  const anchor = anchorDate(doc);
  const reference = referenceDate(doc, anchor);
  const background = new Set(doc.sentences.filter((s) => isBackgroundSentence(doc, s, reference)).map((s) => s.index));
  const inBackground = (pos: number): boolean => {
    const s = sentenceAt(doc.sentences, pos);
    return s ? background.has(s.index) : false;
  };
  const geoparse = opts.geoparse !== false;
  const { resolved, focus } = geoparse ? resolvePlaces(doc, inBackground) : { resolved: [], focus: foregroundFocus(doc, inBackground) };
  const segments = segment(doc, background, anchor);
  const events: SitrepEvent[] = [];
  for (const seg of segments) {
    const ev = buildEvent(doc, seg, anchor, resolved, focus, events.length, geoparse);
    if (ev) events.push(ev);
  }
  return events;
}

/** Publication date, else a dateline's date, else the first full date the text states. */
export function anchorDate(doc: Doc): string | null {
  if (doc.article.published) return doc.article.published;
  const dateline = doc.dates.find((d) => d.kind === 'dateline' && d.date);
  if (dateline?.date) return dateline.date;
  const absolute = doc.dates.find((d) => d.kind === 'absolute' && d.year_stated && d.date && d.granularity === 'day');
  return absolute?.date ?? null;
}

function eventTriggers(doc: Doc, s: Sentence): Trigger[] {
  return doc.triggers.filter((t) => t.start >= s.start && t.end <= s.end && !t.negated && EVENT_ACTIONS.has(t.action));
}

function segment(doc: Doc, background: Set<number>, anchor: string | null): Segment[] {
  const segments: Segment[] = [];
  let current: Segment | null = null;
  let currentDay: string | null = null;
  // Sentences before the first report of an action set its scene ("Malian forces conducted an
  // operation in Inzamane (Ansongo, Gao). Three militants were killed."): they carry its place and date.
  let scene: Sentence[] = [];
  const mixedCase = !isUpperCaseText(doc.text);
  for (const s of doc.sentences) {
    if (background.has(s.index)) {
      scene = [];
      continue;
    }
    const triggers = eventTriggers(doc, s);
    if (!triggers.length && !(mixedCase && datedActorReport(doc, s))) {
      // Sentences without an action still carry claims and places for the event they follow.
      if (current && isContinuation(doc, s)) current.sentences.push(s);
      else if (!current) scene = [...scene, s].slice(-MAX_SCENE_SENTENCES);
      continue;
    }
    const text = doc.text.slice(s.start, s.end);
    const day = dayOf(doc, s, anchor);
    const separate = SEPARATE_INCIDENT.test(text) || (currentDay !== null && day !== null && day !== currentDay);
    if (!current || separate) {
      const lead: Sentence[] = current ? [] : sceneFor(doc, scene, s);
      current = { sentences: [...lead, s], scene: lead.length };
      segments.push(current);
      currentDay = day;
    } else {
      current.sentences.push(s);
      currentDay ??= day;
    }
  }
  return segments;
}

/**
 * "On 28 April 2020, in Cuernavaca, Morelos, members of a gang delivered boxes of food ...": a
 * sentence that opens with the day it reports and names an armed group (a rebel group, a militia,
 * an outside force; state forces with a count) reports one occurrence even when no word of violence is in it:
 * ACLED codes such reports as strategic developments. Wire copy in capitals is left out: its
 * sentences open with days that date speeches and communiqués as often as events.
 */
function datedActorReport(doc: Doc, s: Sentence): boolean {
  if (!datedOpening(doc, s)) return false;
  // Armed groups; state forces only with a count ("police seized 1 ton of marijuana", "released 52
  // soldiers"): what they do without violence and without a count ("held a meeting in Gao") is mostly
  // the scene of an action reported next, or routine.
  const counted = doc.quantities.some((q) => q.start >= s.start && q.end <= s.end);
  const organised = (a: ActorMention): boolean => (!a.generic && ((a.inter >= 2 && a.inter <= 4) || a.inter === 8)) || (a.inter === 1 && counted);
  if (doc.actors.some((a) => a.start >= s.start && a.end <= s.end && organised(a))) return true;
  // "On 7 May 2020, in Barquisimeto, 90 migrants returned from Ecuador": people displaced or coming back, counted.
  return DISPLACEMENT.test(doc.text.slice(s.start, s.end));
}

/** A count of displaced people, refugees or returnees on the move. */
const DISPLACEMENT =
  /\b\d[\d,.]*\s+(?:[\w-]+\s+){0,2}(?:refugees|migrants|returnees|displaced (?:people|persons|families)|IDPs|internally displaced|villagers|families|residents)\b[^.;]{0,80}?\b(?:returned|arrived|fled|were displaced|were relocated|were evacuated|left their (?:homes|villages?))\b/i;

/**
 * The scene sentences that lead straight up to the first report of an action, when that report
 * opens the text, names no place, and they do.
 */
function sceneFor(doc: Doc, scene: Sentence[], first: Sentence): Sentence[] {
  const hasPlace = (x: Sentence): boolean => doc.places.some((p) => p.via === 'name' && p.start >= x.start && p.end <= x.end);
  // Only in the lede: a first report deep in a long text follows talk of other things.
  if (!scene.length || first.index > MAX_SCENE_SENTENCES + 1 || hasPlace(first)) return [];
  const lead: Sentence[] = [];
  for (let k = scene.length - 1; k >= 0 && scene[k]!.index === first.index - lead.length - 1; k--) lead.unshift(scene[k]!);
  return lead.some(hasPlace) ? lead : [];
}

/** Who did it: "X claimed responsibility", "sources attributed the attack to X", "X was blamed". */
const PERPETRATOR_CUE = /\b(?:claim(?:ed|s)? (?:the )?responsibility|attribut(?:ed|es|ing)|blam(?:ed|es|ing)|suspect(?:ed|s)?|accus(?:ed|es|ing)|believed to (?:be|have)|linked to|affiliated with)\b/i;

function isContinuation(doc: Doc, s: Sentence): boolean {
  const inside = (m: { start: number; end: number }): boolean => m.start >= s.start && m.end <= s.end;
  if (doc.quantities.some(inside) || doc.places.some(inside)) return true;
  // "There were no casualties other than the assailant": casualty talk belongs to the event.
  if (/\b(?:casualt(?:y|ies)|killed|dead|died|wounded|injured|fatalit(?:y|ies))\b/i.test(doc.text.slice(s.start, s.end))) return true;
  return PERPETRATOR_CUE.test(doc.text.slice(s.start, s.end)) && doc.actors.some((a) => inside(a) && !a.generic && a.inter >= 2 && a.inter <= 4);
}

/** The explicit day a sentence is about (day granularity only). */
function dayOf(doc: Doc, s: Sentence, anchor: string | null): string | null {
  const d = eventDateIn(doc, [s], anchor);
  return d && d.granularity === 'day' && d.kind !== 'dateline' ? d.date : null;
}

/** Dates next to speech verbs ("said Thursday") date the statement, not the event. */
const SPEECH_AROUND = /\b(?:said|says|told|announced|reported|confirmed|stated|consulted|added|statement|claimed)\b/i;

function eventDateIn(doc: Doc, sentences: readonly Sentence[], anchor: string | null): DateMention | null {
  const candidates: DateMention[] = [];
  for (const s of sentences) {
    for (const d of doc.dates) {
      if (d.start < s.start || d.end > s.end || !d.date || d.kind === 'dateline') continue;
      if (d.granularity === 'year') continue;
      if (anchor && daysBetween(d.date, anchor) < -2) continue; // a future date is not the event's
      const before = doc.text.slice(Math.max(s.start, d.start - 25), d.start);
      const after = doc.text.slice(d.end, Math.min(s.end, d.end + 12));
      const clause = before.split(/[,;]/).pop() ?? '';
      const asReported = /\bas (?:reported|of)\s+(?:on\s+)?$/i.test(clause);
      if ((!asReported && SPEECH_AROUND.test(clause)) || /^\s*(?:said|told|announced)\b/i.test(after)) continue;
      candidates.push(d);
    }
    if (candidates.length) break;
  }
  candidates.sort((a, b) => rankGranularity(a) - rankGranularity(b) || a.start - b.start);
  return candidates[0] ?? null;
}

function rankGranularity(d: DateMention): number {
  return { day: 0, week: 1, month: 2, year: 3 }[d.granularity];
}

function buildEvent(doc: Doc, seg: Segment, anchor: string | null, resolvedAll: Resolved[], focus: CountryFocus, index: number, geoparse: boolean): SitrepEvent | null {
  const sents = seg.sentences;
  const within = (pos: number): boolean => sents.some((s) => pos >= s.start && pos < s.end);
  // Type and roles come from the sentences that report this occurrence; generic words of war elsewhere
  // ("the war has killed thousands") only count when nothing more specific is said.
  const live = doc.triggers.filter((t) => within(t.start) && !t.negated);
  const reporting = sents.filter((s) => live.some((t) => t.specific && t.start >= s.start && t.end <= s.end));
  const inReporting = live.filter((t) => reporting.some((s) => t.start >= s.start && t.end <= s.end));
  const triggers = inReporting.length ? inReporting : live;
  const claims = findClaims(doc, sents);
  const weaponMentions = doc.weapons.filter((w) => within(w.start));
  // An event needs a report of one occurrence, or a count of its victims; generic talk is not one.
  // A sentence that opens with the day it reports ("On 9 May 2020, ...") dates one occurrence.
  // Scene-setting sentences (see `sceneFor`) only date and place an event that the others report.
  const own = sents.slice(seg.scene ?? 0);
  const dated = own.some((s) => datedOpening(doc, s));
  const counted = claims.some((c) => c.count !== null && c.kind !== 'displaced' && own.some((s) => c.start >= s.start && c.end <= s.end));
  if (!dated && !triggers.some((t) => t.specific && EVENT_ACTIONS.has(t.action)) && !counted) return null;

  // ---- country, then the place within it
  const segmentFocus = countryFocus(doc, (pos) => !within(pos));
  const combined: CountryFocus = new Map(focus);
  for (const [k, v] of segmentFocus) combined.set(k, (combined.get(k) ?? 0) + 2 * v);
  const focusIso2 = topCountry(combined);
  const place = geoparse ? locateEvent(doc, sents, resolvedAll, combined, focusIso2) : null;
  const iso2 = place?.place.iso2 ?? focusIso2;
  const country = iso2 ? countryByIso2(iso2) ?? null : null;
  const countryName = country?.name ?? null;

  // ---- actors by role
  const roles = scoreRoles(doc, sents, triggers, claims);
  const facts = gatherFacts(doc, triggers, weaponMentions.map((w) => w.weapon), roles, claims);
  const choice = classify(facts, triggers.filter((t) => EVENT_ACTIONS.has(t.action)));
  const actors = pickActors(roles, choice.event_type, choice.sub_event_type, countryName, country?.iso3 ?? null);

  // ---- date
  const date = eventDateIn(doc, sents, anchor) ?? eventDateIn(doc, doc.sentences.slice(0, Math.max(1, sents[0]!.index)), anchor);
  let eventDate: string | null = null;
  let precision: 1 | 2 | 3 | null = null;
  if (date?.date) {
    eventDate = date.date;
    precision = date.granularity === 'day' ? 1 : date.granularity === 'week' ? 2 : 3;
  } else if (anchor) {
    eventDate = anchor;
    precision = 2;
  }
  // News reports what happened in the last year; an older dated occurrence is history.
  if (eventDate && anchor && daysBetween(eventDate, anchor) > MAX_AGE_DAYS) return null;

  // ---- counts
  const killed = estimate(claims, 'killed');
  const injured = estimate(claims, 'injured');
  const weapons = collectWeapons(triggers, weaponMentions.map((w) => w.weapon));

  // ---- evidence
  const evidence: Evidence[] = [];
  if (choice.trigger) evidence.push({ field: 'event_type', start: choice.trigger.start, end: choice.trigger.end });
  if (date) evidence.push({ field: 'event_date', start: date.start, end: date.end });
  if (place?.mention) evidence.push({ field: 'location', start: place.mention.start, end: place.mention.end });
  for (const [field, m] of [['actor1', actors.m1], ['actor2', actors.m2]] as const) if (m) evidence.push({ field, start: m.start, end: m.end });
  for (const c of claims) evidence.push({ field: c.kind === 'injured' ? 'injured' : c.kind === 'killed' ? 'fatalities' : c.kind, start: c.start, end: c.end });
  for (const w of weaponMentions) evidence.push({ field: 'weapons', start: w.start, end: w.end });
  evidence.sort((a, b) => a.start - b.start || a.field.localeCompare(b.field));

  const article = doc.article;
  const geo = geoFields(place);
  const ev: SitrepEvent = {
    event_id: `${article.id}:${index + 1}:${shortHash(`${article.id}|${sents[0]!.start}|${choice.event_type}`)}`,
    event_date: eventDate,
    time_precision: precision,
    event_type: choice.event_type,
    sub_event_type: choice.sub_event_type,
    disorder_type: disorderType(choice.event_type, choice.sub_event_type),
    actor1: actors.actor1,
    assoc_actor_1: actors.assoc1,
    actor2: actors.actor2,
    assoc_actor_2: actors.assoc2,
    inter1: actors.inter1,
    inter2: actors.inter2,
    interaction: interaction(actors.inter1, actors.inter2),
    civilian_targeting: choice.event_type === 'Violence against civilians' || (facts.civilianTarget && choice.event_type === 'Explosions/Remote violence'),
    country: countryName,
    iso3: country?.iso3 ?? null,
    ...geo,
    ...countFields(killed, injured),
    weapons,
    claims: claims.map(({ kind, count, count_high, qualifier, claimant, victim, text, start, end }) => ({ kind, count, count_high, qualifier, claimant, victim, text, start, end })),
    sources: [{ article_id: article.id, url: article.url, title: article.title, published: article.published, source: sourceName(article.url) }],
    evidence,
    notes: '',
  };
  ev.notes = composeNote(ev, claims);
  return ev;
}

function gatherFacts(doc: Doc, triggers: Trigger[], weapons: Weapon[], roles: RoleScore[], claims: DraftClaim[]): Facts {
  const actions = new Set(triggers.map((t) => t.action));
  const agents = roles.filter((r) => r.agent > r.patient);
  const patients = roles.filter((r) => r.patient >= r.agent && r.patient > 0);
  const armed = (m: ActorMention): boolean => m.inter <= 4 || m.inter === 8;
  const victimsArmed = claims.some(
    (c) => (c.kind === 'killed' || c.kind === 'injured') && (c.victim_key.startsWith('state:') || c.victim_key === 'militants' || (c.victim_actor !== undefined && armed(c.victim_actor))),
  );
  // "fired mortars at the governmental positions", "attacked an army checkpoint": the target is armed.
  const armedObject = triggers.some((t) => ARMED_OBJECT.test(doc.text.slice(t.end, t.end + 90)));
  const victimsCivil = claims.some((c) => c.victim_key === 'civilians');
  const text = doc.text;
  return {
    actions,
    weapons: new Set([...weapons, ...triggers.flatMap((t) => t.weapons)]),
    armedTarget: patients.some((r) => armed(r.mention)) || victimsArmed || armedObject,
    civilianTarget: patients.some((r) => r.mention.inter === 7) || victimsCivil,
    armedAgent: agents.some((r) => armed(r.mention)),
    stateAgent: agents.some((r) => r.mention.inter === 1),
    casualties: claims.some((c) => (c.kind === 'killed' || c.kind === 'injured') && (c.count ?? 0) > 0),
    protesters: roles.some((r) => r.mention.inter === 6),
    dispersal: triggers.length > 0 && /\b(?:tear ?gas|dispersed?|water cannons?|rubber bullets|baton)\b/i.test(text.slice(triggers[0]!.start, triggers[triggers.length - 1]!.end + 200)),
  };
}

const ARMED_OBJECT =
  /^[^.;]*?\b(?:(?:governmental|government|military|army|police|gendarmerie|security|rebel|enemy|militant|insurgent|their|its|troops'?)\s+(?:positions?|posts?|checkpoints?|bases?|barracks|convoys?|patrols?|outposts?|garrisons?|vehicles?|camps?|units?)|positions of|(?:military|army|police|security) (?:forces|personnel|troops))\b/i;

interface ActorPick {
  actor1: string | null;
  actor2: string | null;
  assoc1: string | null;
  assoc2: string | null;
  inter1: Inter | null;
  inter2: Inter | null;
  m1: ActorMention | null;
  m2: ActorMention | null;
}

function nameOf(m: ActorMention, country: string | null): string {
  return resolveActorName(m, country);
}

/** Foreign state forces are external forces (8) in ACLED. */
function interOf(m: ActorMention, iso3: string | null): Inter {
  if (m.inter === 1 && m.iso3 && iso3 && m.iso3 !== iso3) return 8;
  return m.inter;
}

function pickActors(roles: RoleScore[], type: SitrepEvent['event_type'], sub: string, country: string | null, iso3: string | null): ActorPick {
  const byName = new Map<string, { name: string; m: ActorMention; agent: number; patient: number }>();
  for (const r of roles) {
    const name = nameOf(r.mention, country);
    const e = byName.get(name) ?? { name, m: r.mention, agent: 0, patient: 0 };
    e.agent += r.agent;
    e.patient += r.patient;
    byName.set(name, e);
  }
  const all = [...byName.values()];
  const agents = all.filter((e) => e.agent > e.patient).sort((a, b) => b.agent - a.agent || a.m.start - b.m.start);
  const patients = all.filter((e) => e.patient >= e.agent && e.patient > 0).sort((a, b) => b.patient - a.patient || a.m.start - b.m.start);
  const bystanders = all.filter((e) => e.agent === 0 && e.patient === 0);
  // Named armed groups with no role are the likely perpetrators ("suspected JNIM militants", a claim).
  for (const e of bystanders) if (!e.m.generic && e.m.inter <= 4 && e.m.inter !== 1) agents.push(e);

  let a1 = agents[0] ?? null;
  let a2 = patients.find((p) => p !== a1) ?? null;
  const generic = (template: string, inter: Inter): { name: string; inter: Inter } => ({ name: country ? template.replace('{country}', country) : template.replace(/ \(\{country\}\)| of \{country\}/, ''), inter });

  let actor1 = a1?.name ?? null;
  let inter1: Inter | null = a1 ? interOf(a1.m, iso3) : null;
  let actor2 = a2?.name ?? null;
  let inter2: Inter | null = a2 ? interOf(a2.m, iso3) : null;

  // ACLED's role conventions per type.
  if (type === 'Violence against civilians') {
    if (!a2 || inter2 !== 7) {
      const civ = patients.find((p) => p.m.inter === 7);
      if (civ) {
        a2 = civ;
        actor2 = civ.name;
        inter2 = 7;
      } else {
        const g = generic('Civilians ({country})', 7);
        actor2 = g.name;
        inter2 = 7;
        a2 = null;
      }
      if (a1 && a1.m.inter === 7) {
        a1 = null;
        actor1 = null;
        inter1 = null;
      }
    }
    if (!actor1) {
      const g = generic('Unidentified Armed Group ({country})', 3);
      actor1 = g.name;
      inter1 = 3;
    }
  } else if (type === 'Battles') {
    if (!actor1 && actor2) {
      const g = inter2 === 1 ? generic('Unidentified Armed Group ({country})', 3) : generic('Military Forces of {country}', 1);
      actor1 = g.name;
      inter1 = g.inter;
    } else if (actor1 && !actor2) {
      const g = inter1 === 1 || inter1 === 8 ? generic('Unidentified Armed Group ({country})', 3) : generic('Military Forces of {country}', 1);
      actor2 = g.name;
      inter2 = g.inter;
    } else if (!actor1 && !actor2) {
      actor1 = generic('Military Forces of {country}', 1).name;
      inter1 = 1;
      actor2 = generic('Unidentified Armed Group ({country})', 3).name;
      inter2 = 3;
    }
  } else if (type === 'Protests') {
    const p = all.find((e) => e.m.inter === 6);
    actor1 = p?.name ?? generic('Protesters ({country})', 6).name;
    inter1 = 6;
    if (sub === 'Peaceful protest') {
      actor2 = null;
      inter2 = null;
    } else if (!actor2 || inter2 === 6) {
      const police = all.find((e) => e.m.inter === 1);
      actor2 = police?.name ?? generic('Police Forces of {country}', 1).name;
      inter2 = 1;
    }
  } else if (type === 'Riots') {
    const r = all.find((e) => e.m.inter === 5);
    if (!actor1 || (inter1 !== 5 && sub !== 'Mob violence')) {
      actor1 = r?.name ?? generic('Rioters ({country})', 5).name;
      inter1 = 5;
    }
  } else if (type === 'Explosions/Remote violence' && !actor1) {
    if (sub === 'Remote explosive/landmine/IED' || sub === 'Suicide bomb' || sub === 'Grenade') {
      actor1 = generic('Unidentified Armed Group ({country})', 3).name;
      inter1 = 3;
    }
  }
  if (actor1 && actor2 && actor1 === actor2) {
    actor2 = null;
    inter2 = null;
  }

  // Associated actors: others on the same side, and the parent of a named group.
  const assoc1 = new Set<string>();
  const assoc2 = new Set<string>();
  if (a1?.m.parent && a1.m.parent !== actor1) assoc1.add(a1.m.parent);
  for (const e of agents) if (e !== a1 && e.name !== actor1 && e.name !== actor2 && !e.m.generic) assoc1.add(e.name);
  for (const e of patients) if (e !== a2 && e.name !== actor2 && e.name !== actor1 && (!e.m.generic || e.m.inter === 8)) assoc2.add(e.name);
  for (const e of patients) if (e.m.parent && e.m.parent !== actor2) assoc2.add(e.m.parent);
  for (const n of [actor1, actor2]) {
    if (n) {
      assoc1.delete(n);
      assoc2.delete(n);
    }
  }
  return {
    actor1,
    actor2,
    assoc1: assoc1.size ? [...assoc1].join('; ') : null,
    assoc2: assoc2.size ? [...assoc2].join('; ') : null,
    inter1,
    inter2,
    m1: a1?.m ?? null,
    m2: a2?.m ?? null,
  };
}

function interaction(a: Inter | null, b: Inter | null): number | null {
  if (a === null && b === null) return null;
  if (a === null || b === null) return (a ?? b)! * 10;
  return Math.min(a, b) * 10 + Math.max(a, b);
}

function collectWeapons(triggers: Trigger[], mentioned: Weapon[]): Weapon[] {
  const set = new Set<Weapon>([...mentioned, ...triggers.flatMap((t) => t.weapons)]);
  const order: Weapon[] = ['firearms', 'explosives', 'landmine', 'ied', 'suicide', 'artillery', 'airstrike', 'drone', 'incendiary', 'melee', 'vehicle', 'chemical', 'other'];
  return order.filter((w) => set.has(w));
}

function geoFields(p: EventPlace | null): Pick<SitrepEvent, 'admin1' | 'admin2' | 'location' | 'latitude' | 'longitude' | 'geo_precision' | 'geo_basis'> {
  if (!p) return { admin1: null, admin2: null, location: null, latitude: null, longitude: null, geo_precision: null, geo_basis: null };
  return { admin1: p.admin1, admin2: p.admin2, location: p.location, latitude: p.place.latitude, longitude: p.place.longitude, geo_precision: p.precision, geo_basis: p.basis };
}

function sourceName(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

