/**
 * Choosing among a place mention's candidates with the document's context.
 *
 * Each rule is a named feature so that a choice can be explained: the article's country focus
 * (country names, demonyms, actors' countries, unambiguous towns), the level the text asks for
 * ("Mopti region"), and prominence (population). The country focus is computed first from the
 * evidence that needs no resolution, then refined with the towns resolved under it.
 */
import { distance } from 'fastest-levenshtein';
import type { Doc, Place, PlaceMention } from '../core/types.js';
import { createRequire } from 'node:module';
import { countryByIso2, countryByIso3, foldKey } from './countries.js';
import { haversineKm } from './distance.js';
import { loadAdmin1Shapes } from './admin1-shapes.js';
import { sentenceAt } from '../annotate/sentences.js';
import { currentGazetteer, isSite, withoutArticle } from './gazetteer.js';

const require = createRequire(import.meta.url);

/** The town a cue's area centres on, or towns, the first the gazetteer knows inside the region winning ("Sanga", the Dogon country's heart, is a village only an imported Mali holds; "Bandiagara" is in the built-in towns). */
export type AreaTown = string | readonly string[];

let cueRegex: { regex: RegExp; primary: Map<string, string>; region: Map<string, string[]>; around: Map<string, AreaTown>; strong: Set<string> } | null = null;

/** True for a folded word that names a people or force of the cue list ("dogon", "houthis"): not a place. */
export function isCountryCueWord(folded: string): boolean {
  return countryCues().primary.has(folded);
}

/**
 * Names that hint at a country ("Dogon", "Houthi", "OSCE SMM"), with the country where each is mostly
 * found, and for some the first-level unit inside it (data/country-cues.json).
 */
function countryCues(): { regex: RegExp; primary: Map<string, string>; region: Map<string, string[]>; around: Map<string, AreaTown>; strong: Set<string> } {
  if (cueRegex) return cueRegex;
  const data = require('../../data/country-cues.json') as { cues: Record<string, string[]>; regions?: Record<string, string | string[]>; around?: Record<string, AreaTown>; strong?: string[] };
  const primary = new Map<string, string>();
  for (const [name, isos] of Object.entries(data.cues)) {
    const c = isos[0] ? countryByIso3(isos[0]) : undefined;
    if (c) primary.set(name.toLowerCase(), c.iso2);
  }
  const region = new Map(Object.entries(data.regions ?? {}).map(([name, unit]) => [name.toLowerCase(), typeof unit === 'string' ? [unit] : unit] as const));
  const names = [...primary.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/-/g, '[- ]'));
  const strong = new Set((data.strong ?? []).map((n) => n.toLowerCase()));
  const around = new Map(Object.entries(data.around ?? {}).map(([name, town]) => [name.toLowerCase(), town] as const));
  cueRegex = { regex: new RegExp(`\\b(?:${names.join('|')})\\b`, 'gi'), primary, region, around, strong };
  return cueRegex;
}

export type CountryFocus = Map<string, number>;

export interface Cue {
  start: number;
  iso2: string;
  /** The first-level units where the cue is mostly found, likeliest first, as GeoNames names them, when the list says. */
  regions?: string[];
  /** The town inside the first of `regions` where the cue's area centres, when its seat lies outside it ("Dogon": Bandiagara, not Mopti). */
  around?: AreaTown;
  /** The cue names its country as firmly as the country's name (a mission mandated for that country alone). */
  strong?: boolean;
}

/** The country cues of a document's text, found once per document (the focus is computed per event too). */
const cueCache = new WeakMap<Doc, Cue[]>();
export function cuesIn(doc: Doc): Cue[] {
  let cues = cueCache.get(doc);
  if (cues) return cues;
  cues = [];
  const com = countryCues();
  for (const m of doc.text.matchAll(com.regex)) {
    // "45km north of Bambara-Maoude": a cue word inside a longer place name is that place, not the people.
    const end = m.index + m[0].length;
    if (doc.places.some((p) => p.start <= m.index && p.end >= end && p.end - p.start > m[0].length)) continue;
    const key = com.primary.has(m[0].toLowerCase().replace(/ /g, '-')) ? m[0].toLowerCase().replace(/ /g, '-') : m[0].toLowerCase();
    const iso2 = com.primary.get(key);
    const region = com.region.get(key);
    const around = region ? com.around.get(key) : undefined;
    if (iso2) cues.push({ start: m.index, iso2, ...(region ? { regions: region } : {}), ...(around ? { around } : {}), ...(com.strong.has(key) ? { strong: true } : {}) });
  }
  cueCache.set(doc, cues);
  return cues;
}

/** The countries of the units stated for a mention ("Arada (Tripoli)": Libya, Lebanon), once per document and mention. */
const statedCountryCache = new WeakMap<Doc, Map<PlaceMention, Set<string>>>();
function statedCountries(doc: Doc, m: PlaceMention): Set<string> {
  let byMention = statedCountryCache.get(doc);
  if (!byMention) statedCountryCache.set(doc, (byMention = new Map()));
  let set = byMention.get(m);
  if (!set) {
    const parents = statedParents(doc, m);
    // Most mentions state no units: one shared empty set (never written to) instead of one each.
    set = parents.length ? new Set(parents.flatMap((p) => p.candidates.filter((c) => c.level !== 'town').map((c) => c.iso2))) : NO_COUNTRIES;
    byMention.set(m, set);
  }
  return set;
}
const NO_COUNTRIES: Set<string> = new Set();

/** A document's place mentions by start offset, built once per document. */
const startIndex = new WeakMap<Doc, Map<number, PlaceMention>>();
function placeStartingAt(doc: Doc, pos: number): PlaceMention | undefined {
  let index = startIndex.get(doc);
  if (!index) {
    index = new Map();
    for (const p of doc.places) if (p.via === 'name' && !index.has(p.start)) index.set(p.start, p);
    startIndex.set(doc, index);
  }
  return index.get(pos);
}

/** A document's place mentions by end offset, built once per document. */
const endIndex = new WeakMap<Doc, Map<number, PlaceMention>>();
function placeEndingAt(doc: Doc, pos: number): PlaceMention | undefined {
  let index = endIndex.get(doc);
  if (!index) {
    index = new Map();
    for (const p of doc.places) if (p.via === 'name') index.set(p.end, p);
    endIndex.set(doc, index);
  }
  return index.get(pos);
}

/** The place mentions that lie within [from, to), in order (the mentions are sorted by start). */
function placesWithin(doc: Doc, from: number, to: number): PlaceMention[] {
  const ps = doc.places;
  let lo = 0;
  let hi = ps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ps[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  const out: PlaceMention[] = [];
  for (let i = lo; i < ps.length && ps[i]!.start < to; i++) if (ps[i]!.end <= to && ps[i]!.via === 'name') out.push(ps[i]!);
  return out;
}

export interface Resolved {
  mention: PlaceMention;
  place: Place;
  score: number;
  features: Record<string, number>;
  /** How far the winner's score is ahead of the best candidate in another country (Infinity when there is none). */
  margin: number;
}

/** Weights of the features, in one place so that they can be tuned and explained. */
const W = {
  countryMention: 3,
  demonym: 1,
  actorCountry: 1.5,
  uniqueTown: 1.5,
  uniqueCity: 2.5,
  uniqueVillage: 0.75,
  fuzzyDistinctive: 1,
  confidentFocus: 2,
  cue: 1.5,
  // More than a town known in one country only once the refine pass has counted it twice (3).
  strongCue: 3.5,
  neighbour: 0.5,
  parentUnit: 4,
  parentAdmin2: 1,
  site: -1,
  cueRegion: 1.5,
  nearBorder: 1.5,
  statedAsUnit: 1,
  nearSentencePlaces: 2,
  parentCountry: 2,
  stateForces: 0.5,
  uniqueAdmin1: 2.5,
  inParentheses: 1,
  inFocusCountry: 6,
  population: 0.6,
  adminLevel: 1.5,
  ownUnit: -1.5,
  otherName: -0.25,
  /** Per letter of difference between the text's name and a town's own (at most 5). */
  spelling: -0.01,
  seat: 0.5,
  importedCountry: 2.5,
  /** At the town a cue's area centres on, falling to 0 at CUE_CENTRE_KM. */
  nearCueCentre: 0.1,
  /** Per other town of the name in the same imported country, at most two, when the text names no country. */
  namesakesInCountry: 0.01,
  refineMargin: 2,
  weakPlace: 0.75,
};

/**
 * A place distinctive enough to be meant under a loose spelling: a region, a town of 10,000+, or a
 * built-in district seat whose population GeoNames leaves blank (the built-in towns all have 1,000+
 * people, so a blank is a gap, not a hamlet: "Al Qāmishlī", a city of 180,000).
 */
export function isDistinctive(c: Place): boolean {
  return c.level === 'admin1' || c.population >= 10_000 || (c.level === 'town' && c.population === 0 && c.feature === 'PPLA2' && !c.imported);
}

/** One piece of evidence for a country: where the text gives it, which country, how much it weighs. */
interface FocusVote {
  start: number;
  iso2: string;
  w: number;
}

/**
 * The document's country votes, in the order `countryFocus` adds them up (place mentions, cues,
 * actors): they depend on the document only, so they are found once and summed per event with the
 * sentences each event leaves out.
 */
const votesCache = new WeakMap<Doc, FocusVote[]>();
/** Before a town: the words of a journey's ends ("travelled from", "on their way to", "returning from"). */
const TRAVEL_BEFORE = /\b(?:travel(?:l)?ing|travel(?:l)?ed|coming|came|returning|returned|heading|headed|going|went|fled|fleeing|way|road|route|journey|trip|moving|moved)\s+(?:back\s+)?(?:from|to|towards?)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$/i;

/** After a demonym, the word of armed forces: "Russian patrol", "Turkish troops", "French airstrikes". */
const FORCES_AFTER = /^\s+(?:(?:military|army|armed|air|naval|security|special|border)\s+)?(?:patrols?|forces|troops|soldiers|army|military|warplanes?|aircraft|jets?|drones?|airstrikes?|air\s+strikes?|helicopters?|convoys?|navy|artillery|commandos?)\b/i;

function focusVotes(doc: Doc): FocusVote[] {
  let votes = votesCache.get(doc);
  if (votes) return votes;
  votes = [];
  const out = votes;
  let at = 0;
  const bump = (iso2: string, w: number): void => {
    out.push({ start: at, iso2, w });
  };
  const inActor = insideActors(doc);
  // The countries each distinct name of the text (a place name below a country's, as spelled: no
  // demonym, no loose spelling) has candidates in.
  const namesIn = new Map<string, Set<string>>();
  for (const m of doc.places) {
    if (m.via !== 'name' || m.fuzzy || !m.candidates.length || m.candidates[0]!.level === 'country' || inActor(m)) continue;
    namesIn.set(foldKey(m.text), new Set(m.candidates.map((c) => c.iso2)));
  }
  const supportedElsewhere = (name: string, iso2: string): boolean => {
    for (const [other, countries] of namesIn) if (other !== name && countries.has(iso2)) return true;
    return false;
  };
  for (const m of doc.places) {
    at = m.start;
    const top = m.candidates[0];
    if (!top) continue;
    if (m.fuzzy) {
      // Never from inside an actor's name ("Katiba Macina" is no Kataba, Zambia).
      if (inActor(m)) continue;
      // A spelling-tolerant match votes only for a distinctive place (a region, a town of 10,000+)
      // whose candidates all lie in one country.
      const distinctive = m.candidates.filter((c) => c.level === 'admin1' || c.population >= 10_000);
      // Nor when the units the text states for it lie elsewhere ("Mashru Al Hadba (Tripoli)" is no Maseru).
      if (distinctive.length && new Set(m.candidates.map((c) => c.iso2)).size === 1) {
        const stated = statedCountries(doc, m);
        if (!stated.size || stated.has(top.iso2)) bump(top.iso2, W.fuzzyDistinctive);
      }
      continue;
    }
    // A name inside an actor mention ("Fulani militiamen", "Dogon village") names people, not a place
    // (many villages share a people's name); demonyms and countries still count.
    if (top.level !== 'country' && inActor(m)) continue;
    if (top.level === 'country') {
      // "Turkish forces", "Israeli soldiers": the forces' country is not where they act.
      const inStateForces = m.via === 'demonym' && doc.actors.some((a) => m.start >= a.start && m.end <= a.end && (a.inter === 1 || a.inter === 8));
      // "near the border with Burkina Faso", "returning from Niger": a neighbour, not the scene.
      const before = doc.text.slice(Math.max(0, m.start - 40), m.start);
      const after = doc.text.slice(m.end, m.end + 12);
      const elsewhere = /\b(?:borders? (?:with|of)|from|to|into|towards?|fled to|crossed into|via|neighbou?ring)\s+(?:the\s+)?$/i.test(before) || /^(?:['’]s)?\s*(?:-\s*)?border/i.test(after);
      // "a Russian patrol", "French airstrikes": a demonym before a word of armed forces says whose forces,
      // which often act abroad, as the state forces of an actor do.
      const forces = m.via === 'demonym' && FORCES_AFTER.test(doc.text.slice(m.end, m.end + 30));
      if (!inStateForces) bump(top.iso2, elsewhere ? W.neighbour : forces ? W.stateForces : m.via === 'demonym' ? W.demonym : W.countryMention);
    }
    else {
      // A region's name shared by hamlets elsewhere ("Gao": the Malian region, and hamlets in
      // Burkina Faso and Cameroon) still names the region: hamlets of unknown size are set aside.
      const units = m.candidates.filter((c) => c.level === 'admin1' || c.level === 'admin2');
      // Unless the text's other names lie in a hamlet's country too: "in Yoro and Kindi" names no
      // Honduran department when Kindi is a village of Mali and Burkina Faso, as Yoro is; but a unit
      // whose town of that name is a city of 50,000 or more (Gao) is named, whatever else the text names.
      const name = units.length ? foldKey(m.text) : '';
      const bigSeat = units.length > 0 && m.candidates.some((c) => c.level === 'town' && c.population >= 50_000 && units.some((u) => u.iso2 === c.iso2));
      let pool = units.length ? m.candidates.filter((c) => c.level !== 'town' || c.population > 0 || units.some((u) => u.iso2 === c.iso2) || (!bigSeat && supportedElsewhere(name, c.iso2))) : m.candidates;
      // A city of 100,000 or more names itself over namesakes abroad a twentieth its size ("Damascus":
      // the Syrian capital, not Damascus, Maryland), unless the text qualifies the name: "(Kazan),
      // Ankara", "Ilam district", "Zaragoza, Nueva Ecija" say which one.
      const city = pool.reduce((b: Place | null, c) => (c.level === 'town' && c.population >= 100_000 && (!b || c.population > b.population) ? c : b), null);
      if (city && !QUALIFIED_AFTER.test(doc.text.slice(m.end, m.end + 24))) pool = pool.filter((c) => c.iso2 === city.iso2 || c.level !== 'town' || c.population * 20 > city.population);
      const countries = new Set(pool.map((c) => c.iso2));
      const admins = m.candidates.filter((c) => c.level === 'admin1');
      const parenthesised = /\(\s*(?:[^()]{0,40},\s*)?$/.test(doc.text.slice(Math.max(0, m.start - 42), m.start));
      const extra = parenthesised ? W.inParentheses : 0;
      // A village too small for the built-in table is unique only among the countries imported.
      const weight = admins.length ? W.uniqueAdmin1 : top.population >= 100_000 ? W.uniqueCity : top.population >= 1000 ? W.uniqueTown : W.uniqueVillage;
      // "Arada (Tripoli)": a town whose only country is not one of its stated units' says nothing of the country.
      const stated = statedCountries(doc, m);
      // A common word taken for a place by its context ("near Mine") votes less than a cue ("OSCE SMM").
      // "travelled from Anet to Abyei", "returning from X": where people come from or go to votes as a neighbour does.
      const travel = TRAVEL_BEFORE.test(doc.text.slice(Math.max(0, m.start - 30), m.start));
      if (countries.size === 1 && (!stated.size || stated.has(top.iso2))) bump(top.iso2, m.weak ? W.weakPlace : travel ? Math.min(weight, W.neighbour) : weight + extra);

    }
  }
  // Country cues named in the text (peoples, militias, missions tied to one country): as strong as a
  // town known in one country only, so that "Dogon militiamen attacked Siguimara" stays in Mali when
  // a namesake hamlet lies across the border, yet weaker than a named country or stated units.
  for (const cue of cuesIn(doc)) {
    at = cue.start;
    bump(cue.iso2, cue.strong ? W.strongCue : W.cue);
  }
  for (const a of doc.actors) {
    at = a.start;
    if (a.iso3 && a.inter !== 8) {
      const c = countryByIso3(a.iso3);
      // State forces often act abroad; a named armed group's home country is a firmer hint.
      if (c) bump(c.iso2, a.inter === 1 ? W.stateForces : W.actorCountry);
    }
  }
  votesCache.set(doc, votes);
  return votes;
}

/** The countries the document points to, with their weights: the votes of the text outside what `skip` leaves out. */
export function countryFocus(doc: Doc, skip?: (start: number) => boolean): CountryFocus {
  const focus: CountryFocus = new Map();
  for (const v of focusVotes(doc)) if (!skip?.(v.start)) focus.set(v.iso2, (focus.get(v.iso2) ?? 0) + v.w);
  return focus;
}

/**
 * Whether a span lies inside one of the document's actor mentions ("Fulani militiamen"): the actor
 * spans sorted once per document, answered by binary search.
 */
const actorSpans = new WeakMap<Doc, (m: { start: number; end: number }) => boolean>();
export function insideActors(doc: Doc): (m: { start: number; end: number }) => boolean {
  let test = actorSpans.get(doc);
  if (test) return test;
  // Some span holds [start, end) when, among the spans that start at or before `start`, the
  // furthest end reaches `end`: the spans sorted by start, with the running maximum of their ends.
  const spans = doc.actors.map((a) => [a.start, a.end] as const).sort((x, y) => x[0] - y[0]);
  const maxEnd: number[] = [];
  for (const [i, s] of spans.entries()) maxEnd.push(Math.max(s[1], i ? maxEnd[i - 1]! : -1));
  test = (m) => {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]![0] <= m.start) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1]! >= m.end;
  };
  actorSpans.set(doc, test);
  return test;
}

const foldedNames = new WeakMap<object, string>();
const folded = (o: object, text: string): string => {
  let f = foldedNames.get(o);
  if (f === undefined) foldedNames.set(o, (f = withoutArticle(foldKey(text))));
  return f;
};
/** Whether a place's own name is the mention's text, as folded (an Arabic article aside). */
function namedAs(place: Place, mention: PlaceMention): boolean {
  return folded(place, place.name) === folded(mention, mention.text);
}

/** GeoNames feature codes of the seats of units (regions, districts, communes). */
const SEAT_FEATURE = /^PPLA[234]?$/;

/** Receives a candidate's named features one by one, in the order an explanation lists them. */
type FeatureSink = (name: string, weight: number) => void;

/** The document-level features of a candidate (the focus, prominence, level); `ownUnit`: it is a stated unit of its own mention, so no level bonus. */
function documentFeatures(place: Place, mention: PlaceMention, focus: CountryFocus, total: number, add: FeatureSink, ownUnit = false): void {
  const share = total > 0 ? (focus.get(place.iso2) ?? 0) / total : 0;
  // The focus counts in proportion to its evidence: one hamlet's vote must not outweigh a region.
  if (share > 0) add('in_focus_country', W.inFocusCountry * share * Math.min(1, total / W.confidentFocus));
  // A text that names no country at all ("attacked the village of Yoro"): the countries the user
  // imported villages of are the ones the user reads about.
  else if (total === 0 && currentGazetteer().importedCountries.has(place.iso2)) {
    add('imported_country', W.importedCountry);
    // Of those countries, the one where more places bear the name ("Boni": two villages and a Bouani
    // in Mali, one village in Burkina Faso) is likelier, all else equal: a prior for ties, no more.
    const same = townsByCountry(mention).get(place.iso2) ?? 0;
    if (place.level === 'town' && same > 1) add('namesakes_in_country', W.namesakesInCountry * Math.min(2, same - 1));
  }
  add('population', W.population * Math.log10(place.population + 10));
  // A unit's seat ("Koro", the cercle's town) is what its bare name most often means among villages of
  // that name, though GeoNames leaves its population blank.
  if (place.level === 'town' && place.population < 10_000 && SEAT_FEATURE.test(place.feature ?? '')) add('seat', W.seat);
  if ((place.level === 'admin1' || place.level === 'admin2') && !ownUnit) add('admin_level', W.adminLevel);
  if (place.level === 'country') add('country_level', 2);
  // A well or a locality of that name is less likely meant than a village of it.
  if (isSite(place)) add('site', W.site);
  // A town that answers to the name only as one of its other names (Mopti's "Sama", also called
  // Sana) is less likely meant than a town of that very name.
  const named = place.level !== 'town' || namedAs(place, mention);
  if (!named && !mention.fuzzy) add('other_name', W.otherName);
  // Of towns that answer to the text's name by another name or a loose spelling, the one whose own
  // name is spelled nearest the text's is the likelier ("Dialloube": Dialoubé, of Mopti, one letter
  // off, before Dyaloubé, of Tombouctou, two off; both list "Dialloubé" among their other names).
  if (!named) add('spelling', W.spelling * Math.min(5, distance(folded(place, place.name), folded(mention, mention.text))));
  if (mention.via === 'demonym') add('demonym', 0);
}

const townCounts = new WeakMap<PlaceMention, Map<string, number>>();
/** How many of a mention's candidates are towns of each country. */
function townsByCountry(m: PlaceMention): Map<string, number> {
  let counts = townCounts.get(m);
  if (!counts) {
    counts = new Map();
    for (const c of m.candidates) if (c.level === 'town') counts.set(c.iso2, (counts.get(c.iso2) ?? 0) + 1);
    townCounts.set(m, counts);
  }
  return counts;
}

/** Kind words of units ("Bamba Commune", "Maywand district"): an unknown name so marked is a unit. */
const UNIT_KIND = /^(?:district|sub-district|subdistrict|province|region|state|governorate|municipality|commune|department|county|prefecture|division|cercle|lga|arrondissement|canton|tehsil|township)$/;
/** Kind words written after a place name: "Puli Alam city", "Maywand district", "Bamba Commune" (a regular-expression alternation). */
export const PLACE_KIND_WORDS =
  'city|town|village|hamlet|settlement|locality|district|sub-district|subdistrict|subdivision|province|region|state|governorate|municipality|commune|department|county|prefecture|division|area|neighbou?rhood|camp|cercle|lga|arrondissement|canton|sector|zone|market|tehsil|township|valley';
const CITY_PART_KIND = /^\s*(?:neighbou?rhood|quarter|suburb|sector|zone|market|camp)$/i;
/** After a name, its kind words, a number perhaps before them ("Dougoutene 1 Commune"). */
const KIND_AFTER = new RegExp(`^(?:\\s+\\d+(?=\\s+(?:${PLACE_KIND_WORDS})\\b))?(?:\\s+(?:${PLACE_KIND_WORDS})\\b){1,2}`, 'i');
/** After a name, what qualifies it: a comma (a unit follows), a closing bracket, a kind word ("Ilam district"). */
const QUALIFIED_AFTER = new RegExp(`^\\s*(?:,|\\)|(?:${PLACE_KIND_WORDS})\\b)`, 'i');
/** What follows an item of a list of places: "and Y", "or Y", ", Y and Z", ", Y, Z". */
const LIST_GOES_ON = /^(?:\s+(?:and|or)\s|\s*,\s*(?:and\s|or\s|\p{Lu}[\p{L}\p{M}'’ -]{0,30}(?:,|\s+and\s|\s+or\s)))/u;
const RANK_OF = { town: 0, admin2: 1, admin1: 2, country: 3 } as const;

/** The most general level a mention can stand for (a town 0 … a country 3); an unknown name is a town, or a unit when so marked. */
function levelOf(m: PlaceMention): number {
  if (m.unresolved) return m.kind && UNIT_KIND.test(m.kind) ? 1 : 0;
  return Math.max(0, ...m.candidates.map((c) => RANK_OF[c.level]));
}

/** The most specific level a mention can stand for. */
function minLevel(m: PlaceMention): number {
  return m.candidates.length ? Math.min(...m.candidates.map((c) => RANK_OF[c.level])) : levelOf(m);
}

/**
 * The place mentions that name the units a mention lies in, as the text states them:
 * "X (Admin2, Admin1)", "X, Admin1", "X district, Admin1, Country", "X, in Y Commune (Admin2, Admin1)",
 * "X in Y". In a list ("between Boni and Douentza (Douentza, Mopti)", "Irebane and Deguere, in Bamba
 * Commune (Koro, Mopti)") the units stated after the last name locate every name of the list.
 * A parent stands at a more general level than its child: in "Gao, Kidal" Kidal does not contain Gao.
 */
export function statedParents(doc: Doc, m: PlaceMention): PlaceMention[] {
  let byMention = parentsCache.get(doc);
  if (!byMention) parentsCache.set(doc, (byMention = new Map()));
  let parents = byMention.get(m);
  if (!parents) byMention.set(m, (parents = findStatedParents(doc, m)));
  return parents;
}

/** `statedParents`, found once per document and mention (resolution, location and explanation all ask). */
const parentsCache = new WeakMap<Doc, Map<PlaceMention, PlaceMention[]>>();

/** Kind words of the units below a region that a text states between a village and the region (a regular-expression alternation). */
export const LOCAL_UNIT_WORDS = 'commune|municipality|cercle|district|arrondissement';
/** Of those, the units below a district. */
export const COMMUNE_WORDS = 'commune|municipality|arrondissement';
/** After a name, the kind word of a unit below a region: "Madougou Commune", "Bourem cercle". */
const UNIT_KIND_AFTER = new RegExp(`^\\s+(?:\\d+\\s+)?(?:${LOCAL_UNIT_WORDS}|sub-?prefecture|department)\\b`, 'i');
/** Capitalised words, a number perhaps, a unit's kind word and an opening parenthesis: "Dougoutene 1 Commune (". */
const UNKNOWN_UNIT_THEN_PARENS = new RegExp(`^(?:\\p{Lu}[\\p{L}\\p{M}'’-]*\\s+){1,3}(?:\\d+\\s+)?(?:${LOCAL_UNIT_WORDS})\\s*\\(\\s*`, 'iu');

/** "the town of X", "a village of X": X is a town. */
const TOWN_OF = /\b(?:[Tt]own|[Vv]illage|[Cc]ity|[Hh]amlet|[Ll]ocality)\s+of\s+(?:\p{Lu}[\p{L}'’-]*\s+)?$/u;

/** How a parenthesis that tells where a place lies begins: "(near X", "(close to X", "(15 km south of X". */
export const PROXIMITY_OPEN = /^\s*(?:near|nearby|close to|outside|around|(?:about |approximately |some )?\d+\s*(?:km|kms|kilometres|kilometers|miles)\b|(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)(?:ern)?\s+of)\b/i;

function findStatedParents(doc: Doc, m: PlaceMention): PlaceMention[] {
  const text = doc.text;
  const at = (pos: number): PlaceMention | undefined => placeStartingAt(doc, pos);
  const direct = (child: PlaceMention, depth: number): PlaceMention[] => {
    let pos = child.end;
    const kind = KIND_AFTER.exec(text.slice(pos, pos + 20));
    if (kind) pos += kind[0].length;
    // "Samana subdivision of Patiala district", "X commune of Y": the unit of the kind word's place
    // (not "the Etambar neighbourhood of Kidal": a city's part is coded at the city).
    const of = kind && !CITY_PART_KIND.test(kind[0]) ? /^\s+of\s+(?:the\s+)?/i.exec(text.slice(pos, pos + 12)) : null;
    if (of) {
      const next = at(pos + of[0].length);
      if (next && levelOf(next) >= minLevel(child) && depth <= 3) return [next, ...direct(next, depth + 1)];
    }
    const rest = text.slice(pos, pos + 80);
    const open = /^\s*\(/.exec(rest);
    if (open) {
      const close = rest.indexOf(')', open[0].length);
      if (close < 0) return [];
      const from = pos + open[0].length;
      // "Diamweli (near Bandiougou)", "(15 km south of Koro)": where the place lies, not its units.
      if (PROXIMITY_OPEN.test(text.slice(from, from + 40))) return [];
      // "(JNIM)", "(2020)": parentheses that name no place say nothing about units.
      return placesWithin(doc, from, pos + close);
    }
    // "X, Y", "X in Y", "X in the eastern countryside of Y", "X, in the outskirts of Y".
    const link = /^(?:\s*,\s*(?:(?:the\s+)?(?:cercle|district|commune|province|region|department|prefecture|county|municipality|governorate|state)\s+of\s+)?(?!in\b)|,?\s+in\s+(?:the\s+)?(?:(?:(?:north|south|east|west)(?:ern)?|(?:north|south)[ -]?(?:east|west)(?:ern)?)\s+)?(?:(?:countryside|outskirts|suburbs|countryside areas)\s+of\s+)?)/i.exec(rest);
    if (!link || depth > 3) return [];
    const next = at(pos + link[0].length);
    if (!next) {
      // "X in Dougoutene 1 Commune (Koro, Mopti)": a unit the gazetteer does not know, named with its
      // kind word before its own units, passes them on.
      const unit = UNKNOWN_UNIT_THEN_PARENS.exec(text.slice(pos + link[0].length, pos + link[0].length + 60));
      if (!unit) return [];
      const from = pos + link[0].length + unit[0].length;
      const close = text.indexOf(')', from);
      return close < 0 || close - from > 60 ? [] : placesWithin(doc, from, close);
    }
    // "the town of Eastern Sharqiya": a town, whatever units share its name.
    const childLevel = depth === 0 && TOWN_OF.test(text.slice(Math.max(0, child.start - 40), child.start)) ? 0 : minLevel(child);
    // "X, Madougou Commune (Koro, Mopti)": a village's name with a unit's kind word after it names the unit.
    const nextLevel = Math.max(levelOf(next), UNIT_KIND_AFTER.test(text.slice(next.end, next.end + 20)) ? 1 : 0);
    if (nextLevel <= childLevel) return [];
    // After a comma the unit is not one more item of a list: "Kamianka, Donetsk", not "Gao, Kidal and Menaka".
    if (!/\bin\b/i.test(link[0]) && LIST_GOES_ON.test(text.slice(next.end, next.end + 40))) return [];
    return [next, ...direct(next, depth + 1)];
  };
  let own = direct(m, 0);
  if (own.length) return own;
  // "Kidal's Anefis", "Borno's Gwoza": a unit's possessive names where the place lies.
  const poss = /['’]s\s+$/.exec(text.slice(Math.max(0, m.start - 4), m.start));
  const owner = poss ? placeEndingAt(doc, m.start - poss[0].length) : undefined;
  if (owner && levelOf(owner) > minLevel(m)) return [owner];
  // A name in a list takes the units stated after the list.
  let cur = m;
  for (let hops = 0; hops < 6; hops++) {
    const link = /^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)/i.exec(text.slice(cur.end, cur.end + 8));
    if (!link) break;
    const next = at(cur.end + link[0].length);
    // A sibling is of the same kind: towns listed with towns, units with units.
    if (!next || (minLevel(next) === 0) !== (minLevel(m) === 0)) break;
    own = direct(next, 0);
    if (own.length) return own;
    cur = next;
  }
  return [];
}

/**
 * The units a mention is said to lie in: the first-level and second-level candidates of the mentions
 * that `statedParents` finds.
 */
export function parentUnits(doc: Doc, m: PlaceMention): Place[] {
  const parents = statedParents(doc, m);
  return parents.flatMap((p, i) => {
    const units = p.candidates.filter((c) => c.level === 'admin1' || c.level === 'admin2');
    // "Sana (Koro, Mopti)": the last of several stated units is the most general, a region; the
    // second-level unit named after its seat (Mopti Cercle) is not where the place lies.
    if (i > 0 && i === parents.length - 1 && units.some((c) => c.level === 'admin1')) return units.filter((c) => c.level === 'admin1');
    return units;
  });
}

/** How far from a second-level unit's point a village without a second-level code may lie and still count as inside it. */
export const NEAR_UNIT_KM = 120;

/** Per country (ISO2): first-level units newer than the polygons, with their seat and the unit each was carved from. */
const carvedCache = new Map<string, { name: string; seat: Place; from: string; fromSeat: Place }[]>();

/**
 * Regions made by a reform after the places were coded (Mali's Ménaka and Taoudénit, 2016: GeoNames
 * still files their villages under Gao and Tombouctou): a unit the gazetteer names whose name no
 * polygon has, whose seat lies inside another unit's polygon, was carved from that unit. A place of
 * the older unit nearer the new unit's seat than the older unit's is in the new one. Null otherwise.
 */
export function carvedRegion(place: Place, admin1: string): string | null {
  if (place.latitude === null || place.longitude === null) return null;
  const gaz = currentGazetteer();
  let list = carvedCache.get(place.iso2);
  if (!list) {
    list = [];
    const units = [...gaz.admin1ByCode.values()].filter((u) => u.iso2 === place.iso2);
    const fresh = units.filter((u) => !gaz.hasPolygonUnit(u.iso2, u.name));
    if (fresh.length && fresh.length < units.length) {
      const shapes = loadAdmin1Shapes();
      for (const u of fresh) {
        const seat = gaz.seatOf(u);
        if (!seat || seat.latitude === null || seat.longitude === null) continue;
        const code = shapes.at(seat.latitude, seat.longitude, 0)?.geonamesCode;
        const from = code ? gaz.admin1ByCode.get(code) : undefined;
        const fromSeat = from ? gaz.seatOf(from) : null;
        if (from && from.name !== u.name && fromSeat && fromSeat.latitude !== null) list.push({ name: u.name, seat, from: from.name, fromSeat });
      }
    }
    carvedCache.set(place.iso2, list);
  }
  const key = foldKey(admin1);
  const km = (p: Place): number => haversineKm(place.latitude!, place.longitude!, p.latitude!, p.longitude!);
  let best: { name: string; d: number } | null = null;
  for (const c of list) {
    if (foldKey(c.from) !== key) continue;
    const d = km(c.seat);
    if (d < km(c.fromSeat) && (!best || d < best.d)) best = { name: c.name, d };
  }
  return best?.name ?? null;
}

/** Whether a place lies inside a unit: by its codes' names, else (a village with no second-level code) by distance to the unit's point. */
export function insideUnit(place: Place, unit: Place): 'admin1' | 'admin2' | 'near_admin2' | null {
  if (unit.iso2 !== place.iso2 || RANK_OF[place.level] >= RANK_OF[unit.level]) return null;
  const same = (a: string | null, b: string | null): boolean => a !== null && b !== null && foldKey(a) === foldKey(b);
  // "In-Kakane, Menaka": a village GeoNames still files under the region a reform carved the stated one from.
  if (unit.level === 'admin1') return same(place.admin1, unit.name) || (place.level === 'town' && place.admin1 !== null && same(carvedRegion(place, place.admin1), unit.name)) ? 'admin1' : null;
  if (unit.level !== 'admin2') return null;
  if (same(place.admin2, unit.name) && (!unit.admin1 || !place.admin1 || same(place.admin1, unit.admin1))) return 'admin2';
  if (!place.admin2 && same(place.admin1, unit.admin1) && place.latitude !== null && unit.latitude !== null) {
    if (haversineKm(place.latitude, place.longitude!, unit.latitude, unit.longitude!) <= NEAR_UNIT_KM) return 'near_admin2';
  }
  return null;
}

/** A candidate's named features: the document's (`documentFeatures`) and those of the units the text states for the mention. */
export function candidateFeatures(
  place: Place,
  mention: PlaceMention,
  focus: CountryFocus,
  total: number,
  parents: Place[],
  regions?: CueRegions,
  anchors: { lat: number; lon: number }[] = [],
): Record<string, number> {
  const features: Record<string, number> = {};
  candidateTerms(place, mention, focus, total, parents, regions, anchors, (name, w) => (features[name] = w));
  return features;
}

/** A candidate's score: the sum of its `candidateFeatures`, added up in their order without building them. */
function candidateScore(place: Place, mention: PlaceMention, focus: CountryFocus, total: number, parents: Place[], regions: CueRegions | undefined, anchors: { lat: number; lon: number }[]): number {
  let score = 0;
  candidateTerms(place, mention, focus, total, parents, regions, anchors, (_name, w) => (score += w));
  return score;
}

function candidateTerms(
  place: Place,
  mention: PlaceMention,
  focus: CountryFocus,
  total: number,
  parents: Place[],
  regions: CueRegions | undefined,
  anchors: { lat: number; lon: number }[],
  add: FeatureSink,
): void {
  // "Niono (Niono, Segou)": no place is its own stated unit; the name before the units is the town.
  const ownUnit = place.level !== 'town' && parents.length > 0 && parents.some((u) => u.id === place.id);
  documentFeatures(place, mention, focus, total, add, ownUnit);
  if (anchors.length && place.level === 'town' && place.latitude !== null) {
    const d = Math.min(...anchors.map((a) => haversineKm(place.latitude!, place.longitude!, a.lat, a.lon)));
    if (d <= 300) add('near_sentence_places', W.nearSentencePlaces * (d <= 75 ? 1 : d <= 150 ? 0.6 : 0.3));
  }
  // "the OSCE SMM observed ... near Serhiivka": the Serhiivka of the Donbas, not of Odesa; "Katiba
  // Serma militants ... in Boni": the Boni of Mopti, where that group operates.
  if (place.level === 'town' && place.admin1 && regions?.get(place.iso2)?.has(foldKey(place.admin1))) {
    add('cue_region', W.cueRegion);
    // "Dogon militiamen burned huts in Madougou": of namesakes in the cue's region, the nearer the
    // town its area centres on (Bandiagara), the likelier; a tie-breaker, no more.
    const centres = centresOf.get(regions)?.get(place.iso2);
    if (centres && place.latitude !== null) {
      const d = Math.min(...centres.map((c) => haversineKm(place.latitude!, place.longitude!, c.lat, c.lon)));
      if (d < CUE_CENTRE_KM) add('near_cue_centre', W.nearCueCentre * (1 - d / CUE_CENTRE_KM));
    }
  }
  // "Gordi (Mamprugo Moaduri, North East)": a name the text gives as another's unit is a unit (Ghana's
  // North East region, not North East, Pennsylvania).
  if ((place.level === 'admin1' || place.level === 'admin2') && statedAsUnit.has(mention)) add('stated_as_unit', W.statedAsUnit);
  // "Douna, Mopti, near the Burkina Faso border": of namesake towns, the one near that border (not a
  // town over a unit of its name: "the Honduran department of Intibuca, near the Salvadoran border").
  const borders = place.level === 'town' ? mentionBorders.get(mention) : undefined;
  if (borders) for (const iso2 of borders) if (iso2 !== place.iso2 && nearCountry(place, iso2)) {
    add('near_border', W.nearBorder);
    break;
  }
  if (ownUnit) add('own_unit', W.ownUnit);
  // "Boni (Douentza, Mopti)": a candidate inside the stated units wins over namesakes elsewhere.
  if (parents.length && place.level !== 'country') {
    const inside = parents.map((u) => insideUnit(place, u));
    if (inside.some((x) => x !== null)) {
      add('parent_unit', W.parentUnit + (inside.includes('admin2') ? W.parentAdmin2 : inside.includes('near_admin2') ? W.parentAdmin2 / 2 : 0));
    } else if (parents.some((u) => u.iso2 === place.iso2)) add('parent_country', W.parentCountry);
  }
}

const focusTotal = (focus: CountryFocus): number => {
  let total = 0;
  for (const v of focus.values()) total += v;
  return total;
};

/** Per country (ISO2), the folded names of the first-level units the document's cues point to. */
export type CueRegions = Map<string, Set<string>>;

export function cueRegionsOf(doc: Doc, withAreas = false): CueRegions {
  const out: CueRegions = new Map();
  const centres: { iso2: string; region: string; town: AreaTown }[] = [];
  const add = (iso2: string, regions: readonly string[], around?: AreaTown): void => {
    let set = out.get(iso2);
    if (!set) out.set(iso2, (set = new Set()));
    for (const r of regions) set.add(foldKey(r));
    if (around && regions[0]) centres.push({ iso2, region: regions[0], town: around });
  };
  for (const c of cuesIn(doc)) if (c.regions) add(c.iso2, c.regions, c.around);
  // Where the text's armed groups mostly operate (data/actors.json areas), per country.
  if (withAreas) for (const a of doc.actors) for (const [iso3, regions] of Object.entries(a.areas ?? {})) {
    const c = countryByIso3(iso3);
    if (c) add(c.iso2, regions, a.around?.[iso3]);
  }
  if (centres.length) centresOf.set(out, centrePoints(centres));
  return out;
}

/** The towns the cues' areas centre on (`Cue.around`, an actor's `around`), per country, by the regions they were found for. */
const centresOf = new WeakMap<CueRegions, Map<string, { lat: number; lon: number }[]>>();
function centrePoints(centres: { iso2: string; region: string; town: AreaTown }[]): Map<string, { lat: number; lon: number }[]> {
  const out = new Map<string, { lat: number; lon: number }[]>();
  for (const { iso2, region, town } of centres) {
    const p = townOfArea(iso2, region, town);
    if (p) (out.get(iso2) ?? out.set(iso2, []).get(iso2)!).push({ lat: p.latitude!, lon: p.longitude! });
  }
  return out;
}

/** The town a cue's area centres on (`around`) inside the region it was given for: the most populous of that name there with a point; of several towns, the first the gazetteer has there. */
export function townOfArea(iso2: string, region: string, town: AreaTown): Place | undefined {
  const key = foldKey(region);
  for (const name of typeof town === 'string' ? [town] : town) {
    const found = currentGazetteer()
      .lookup(foldKey(name))
      .filter((c) => c.level === 'town' && c.iso2 === iso2 && c.latitude !== null && c.admin1 !== null && foldKey(c.admin1) === key)
      .sort((a, b) => b.population - a.population)[0];
    if (found) return found;
  }
  return undefined;
}

/** How far from the town a cue's area centres on a namesake still gains `near_cue_centre` (km). */
const CUE_CENTRE_KM = 150;

export function resolveMention(mention: PlaceMention, focus: CountryFocus, parents: Place[] = [], regions?: CueRegions, anchors: { lat: number; lon: number }[] = []): Resolved | null {
  const total = focusTotal(focus);
  const scores: { iso2: string; score: number }[] = [];
  let bestPlace: Place | null = null;
  let bestScore = -Infinity;
  for (const place of mention.candidates) {
    const score = candidateScore(place, mention, focus, total, parents, regions, anchors);
    scores.push({ iso2: place.iso2, score });
    if (!bestPlace || score > bestScore) [bestPlace, bestScore] = [place, score];
  }
  if (!bestPlace) return null;
  const best: Resolved = { mention, place: bestPlace, score: bestScore, features: candidateFeatures(bestPlace, mention, focus, total, parents, regions, anchors), margin: Infinity };
  for (const s of scores) if (s.iso2 !== best.place.iso2) best.margin = Math.min(best.margin, best.score - s.score);
  return best;
}

/** Resolve every place mention; the focus is refined once with the towns resolved under it. */
/** Mentions the text states as another's unit ("X (Y, Z)": Y and Z), noted by `resolvePlaces`. */
const statedAsUnit = new WeakSet<PlaceMention>();

/** The countries a mention's sentence places something near the border of (`noteBorders`). */
const mentionBorders = new WeakMap<PlaceMention, Set<string>>();
const BORDER = /\bborders?\b|\bfrontiers?\b/gi;
/** How near a country's territory a town must lie to be "near its border" (km). */
const BORDER_KM = 50;

/**
 * "near the Burkina Faso border", "close to the border with Niger", "near Mali's border with
 * Guinea", "the Burkina-Niger border": the countries named within a few words of "border", noted for
 * every place mention of that sentence. Each country is noted; a town gains `near_border` for a
 * country other than its own only.
 */
function noteBorders(doc: Doc): void {
  if (!/\bborder|\bfrontier/i.test(doc.text)) return;
  for (const b of doc.text.matchAll(BORDER)) {
    const s = sentenceAt(doc.sentences, b.index);
    if (!s) continue;
    const lo = Math.max(s.start, b.index - 45);
    const hi = Math.min(s.end, b.index + b[0].length + 45);
    const countries = new Set<string>();
    for (const m of doc.places) if (m.start >= lo && m.end <= hi && m.candidates[0]?.level === 'country') countries.add(m.candidates[0].iso2);
    if (!countries.size) continue;
    for (const m of doc.places) {
      if (m.start < s.start || m.end > s.end || m.candidates.filter((c) => c.level === 'town').length < 2) continue;
      let set = mentionBorders.get(m);
      if (!set) mentionBorders.set(m, (set = new Set()));
      for (const c of countries) set.add(c);
    }
  }
}

const nearCountryMemo = new Map<string, boolean>();
/** Whether a place lies within `BORDER_KM` of a country's territory (its first-level units' polygons, sampled on two rings). */
function nearCountry(place: Place, iso2: string): boolean {
  if (place.latitude === null || place.longitude === null) return false;
  const key = `${place.id}|${iso2}`;
  let near = nearCountryMemo.get(key);
  if (near !== undefined) return near;
  const shapes = loadAdmin1Shapes();
  near = false;
  const lat = place.latitude;
  const lon = place.longitude;
  for (const km of [BORDER_KM / 2, BORDER_KM]) {
    const dLat = km / 111.32;
    const dLon = km / (111.32 * Math.max(0.1, Math.cos((lat * Math.PI) / 180)));
    for (let k = 0; k < 12 && !near; k++) {
      const a = (k * Math.PI) / 6;
      near = shapes.at(lat + dLat * Math.sin(a), lon + dLon * Math.cos(a), 0)?.iso2 === iso2;
    }
    if (near) break;
  }
  if (nearCountryMemo.size > 50_000) nearCountryMemo.clear();
  nearCountryMemo.set(key, near);
  return near;
}

/**
 * The countries the text points to outside what `skip` leaves out (background sentences: earlier
 * events); when nothing outside points anywhere, the whole text's (a story's background still says
 * which country it is about: "... in Seno south of Boni. Accused of having helped a wounded Malian soldier ...").
 */
export function foregroundFocus(doc: Doc, skip?: (start: number) => boolean): CountryFocus {
  const focus = countryFocus(doc, skip);
  return skip && focusTotal(focus) === 0 ? countryFocus(doc) : focus;
}

export function resolvePlaces(doc: Doc, skip?: (start: number) => boolean): { resolved: Resolved[]; focus: CountryFocus } {
  const focus = foregroundFocus(doc, skip);
  const mentions = doc.places.filter((m) => !skip?.(m.start));
  noteBorders(doc);
  const parents = new Map(mentions.map((m) => [m, parentUnits(doc, m)] as const));
  for (const m of mentions) for (const p of statedParents(doc, m)) statedAsUnit.add(p);
  const regions = cueRegionsOf(doc, true);
  let resolved = mentions.map((m) => resolveMention(m, focus, parents.get(m), regions)).filter((r): r is Resolved => r !== null);
  // Refine: towns resolved under the first focus vote for their country.
  const refined: CountryFocus = new Map(focus);
  const inActor = insideActors(doc);
  // Two names of the text whose namesakes lie together ("in Yoro and Kindi": a Yoro and a Kindi 7 km
  // apart in Mali, 150 km apart in Burkina Faso): each mention of them votes for that country.
  const together = colocatedNamesakes(mentions.filter((m) => !inActor(m)));
  for (const r of resolved) {
    const insideActor = inActor(r.mention);
    const stated = statedCountries(doc, r.mention);
    // A near tie with a namesake abroad ("Nawa": a Syrian and an Indian town) is no evidence of the country.
    const sure = Math.min(1, r.margin / W.refineMargin);
    const beside = together.country.get(r.mention);
    if (beside !== undefined && r.place.level === 'town' && (!stated.size || stated.has(beside))) refined.set(beside, (refined.get(beside) ?? 0) + W.uniqueTown);
    else if (r.place.level !== 'country' && r.mention.via === 'name' && !r.mention.fuzzy && !r.mention.weak && !insideActor && (!stated.size || stated.has(r.place.iso2))) refined.set(r.place.iso2, (refined.get(r.place.iso2) ?? 0) + (r.place.level === 'admin1' ? W.uniqueAdmin1 : W.uniqueTown) * sure);
  }
  resolved = mentions.map((m) => resolveMention(m, refined, parents.get(m), regions)).filter((r): r is Resolved => r !== null);
  // Places named in one sentence lie near one another ("between Boni and Douentza", "near Boni on the
  // road toward Hombori"): a namesake near the sentence's other, unambiguous places wins; so does one
  // next to a namesake of another name of the text.
  const anchorsOf = sentenceAnchors(doc, resolved);
  resolved = resolved.map((r) => {
    const partners = together.partners.get(r.mention);
    const anchors = partners ? [...anchorsOf(r), ...partners] : anchorsOf(r);
    if (!anchors.length || r.mention.candidates.filter((c) => c.level === 'town').length < 2) return r;
    return resolveMention(r.mention, refined, parents.get(r.mention), regions, anchors) ?? r;
  });
  return { resolved, focus: refined };
}

/** How close two namesakes of different names must lie to be taken for neighbours. */
const COLOCATED_KM = 15;
/** How many of the text's names are compared pairwise. */
const MAX_COLOCATED_NAMES = 12;

/**
 * Pairs of names of the text, at least one of them borne by several towns, that have namesakes within
 * `COLOCATED_KM` of each other: per mention of them, the country where they lie together (when only
 * one), and the points of the other names' namesakes next to its own.
 */
function colocatedNamesakes(mentions: PlaceMention[]): { country: Map<PlaceMention, string>; partners: Map<PlaceMention, { lat: number; lon: number }[]> } {
  const byName = new Map<string, { towns: Place[]; mentions: PlaceMention[] }>();
  for (const m of mentions) {
    if (m.via !== 'name' || m.fuzzy || m.weak) continue;
    const key = folded(m, m.text);
    let entry = byName.get(key);
    if (!entry) {
      const towns = m.candidates.filter((c) => c.level === 'town' && c.latitude !== null);
      if (!towns.length) continue;
      if (byName.size >= MAX_COLOCATED_NAMES) break;
      byName.set(key, (entry = { towns, mentions: [] }));
    }
    entry.mentions.push(m);
  }
  const countries = new Map<PlaceMention, Set<string>>();
  const partners = new Map<PlaceMention, { lat: number; lon: number }[]>();
  const names = [...byName.values()];
  const country = new Map<PlaceMention, string>();
  if (names.length < 2 || names.every((n) => n.towns.length < 2)) return { country, partners };
  const box = COLOCATED_KM / 111;
  const note = (ms: PlaceMention[], p: Place): void => {
    for (const m of ms) {
      (partners.get(m) ?? partners.set(m, []).get(m)!).push({ lat: p.latitude!, lon: p.longitude! });
      (countries.get(m) ?? countries.set(m, new Set()).get(m)!).add(p.iso2);
    }
  };
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = names[i]!;
      const b = names[j]!;
      if (a.towns.length < 2 && b.towns.length < 2) continue;
      for (const ca of a.towns) {
        for (const cb of b.towns) {
          // A degree of longitude shrinks with the cosine of the latitude: the box stays at least COLOCATED_KM wide.
          if (ca.iso2 !== cb.iso2 || Math.abs(ca.latitude! - cb.latitude!) > box || Math.abs(ca.longitude! - cb.longitude!) > box / Math.max(0.05, Math.cos((ca.latitude! * Math.PI) / 180))) continue;
          if (haversineKm(ca.latitude!, ca.longitude!, cb.latitude!, cb.longitude!) > COLOCATED_KM) continue;
          note(a.mentions, cb);
          note(b.mentions, ca);
        }
      }
    }
  }
  // Namesakes together in two countries say nothing of the country.
  for (const [m, set] of countries) if (set.size === 1) country.set(m, [...set][0]!);
  return { country, partners };
}

/**
 * For a resolved mention, the points of the other mentions of its sentence that name one place
 * without doubt (a single candidate, or a unit), or none.
 */
function sentenceAnchors(doc: Doc, resolved: Resolved[]): (r: Resolved) => { lat: number; lon: number }[] {
  const sentenceOf = (pos: number): number => {
    let lo = 0;
    let hi = doc.sentences.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (doc.sentences[mid]!.start <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const inActor = insideActors(doc);
  const sure = resolved.filter((r) => !r.mention.fuzzy && !r.mention.weak && !inActor(r.mention) && r.place.level !== 'country' && r.place.latitude !== null && r.mention.candidates.filter((c) => c.level === 'town' && c.iso2 === r.place.iso2).length <= 1);
  const bySentence = new Map<number, Resolved[]>();
  for (const r of sure) {
    const k = sentenceOf(r.mention.start);
    const list = bySentence.get(k);
    if (list) list.push(r);
    else bySentence.set(k, [r]);
  }
  return (r) => {
    const list = bySentence.get(sentenceOf(r.mention.start)) ?? [];
    // The nearest ones in the text only: a sentence that lists thousands of places ("Mali, Mali, ...")
    // must not make every mention look at every other.
    let at = 0;
    while (at < list.length && list[at]!.mention.start < r.mention.start) at++;
    const near = list.length <= MAX_ANCHORS + 1 ? list : list.slice(Math.max(0, at - MAX_ANCHORS / 2), at + MAX_ANCHORS / 2 + 1);
    return near.filter((a) => a.mention !== r.mention).map((a) => ({ lat: a.place.latitude!, lon: a.place.longitude! }));
  };
}

/** How many of a sentence's other places, nearest in the text, anchor a namesake's choice. */
const MAX_ANCHORS = 8;

/** The focus country as ISO2, or null when the text names none. */
export function topCountry(focus: CountryFocus): string | null {
  let best: string | null = null;
  let score = 0;
  for (const [iso2, s] of focus) {
    if (s > score) {
      best = iso2;
      score = s;
    }
  }
  return best;
}

export interface CandidateExplanation {
  name: string;
  iso3: string;
  level: Place['level'];
  admin1: string | null;
  population: number;
  score: number;
  features: Record<string, number>;
}

export interface PlaceExplanation {
  text: string;
  start: number;
  end: number;
  relation: PlaceMention['relation'];
  via: PlaceMention['via'];
  fuzzy: boolean;
  /** A name the gazetteer does not know, located only by the units the text states. */
  unresolved: boolean;
  /** The units the text states for it ("(Douentza, Mopti)"), as written. */
  stated_units: string[];
  chosen: CandidateExplanation | null;
  candidates: CandidateExplanation[];
}

/**
 * Why each place mention resolved as it did: the document's country focus and, for every mention,
 * every candidate with its named features and score (what `sitrep extract --explain` prints).
 */
export function explainPlaces(doc: Doc, limit = 5): { focus: Record<string, number>; places: PlaceExplanation[] } {
  const { resolved, focus } = resolvePlaces(doc);
  const total = focusTotal(focus);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const anchorsOf = sentenceAnchors(doc, resolved);
  const explain = (place: Place, mention: PlaceMention): CandidateExplanation => {
    const r = resolved.find((x) => x.mention === mention);
    const anchors = r && mention.candidates.filter((c) => c.level === 'town').length >= 2 ? anchorsOf(r) : [];
    const features = candidateFeatures(place, mention, focus, total, parentUnits(doc, mention), cueRegionsOf(doc), anchors);
    for (const k of Object.keys(features)) features[k] = round(features[k]!);
    const score = round(Object.values(features).reduce((a, b) => a + b, 0));
    return { name: place.name, iso3: place.iso3, level: place.level, admin1: place.admin1, population: place.population, score, features };
  };
  const places = doc.places.map((m) => {
    const r = resolved.find((x) => x.mention === m);
    const candidates = m.candidates.map((c) => explain(c, m)).sort((a, b) => b.score - a.score).slice(0, limit);
    return {
      text: m.text,
      start: m.start,
      end: m.end,
      relation: m.relation,
      via: m.via,
      fuzzy: Boolean(m.fuzzy),
      unresolved: Boolean(m.unresolved),
      stated_units: statedParents(doc, m).map((p) => p.text),
      chosen: r ? explain(r.place, m) : null,
      candidates,
    };
  });
  const byIso3: Record<string, number> = {};
  for (const [iso2, w] of focus) byIso3[countryByIso2(iso2)?.iso3 ?? iso2] = round(w);
  return { focus: byIso3, places };
}
