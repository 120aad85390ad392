/**
 * Where an event happened: the place mention that names it, the point that stands for it, the units
 * it lies in and how precisely it is known (ACLED's geo_precision).
 *
 * 1. The candidates are the resolved mentions of the event's sentences, plus names the gazetteer does
 *    not know but the text locates ("Marsi (Gao, Gao)"); the most specific one, earliest first, wins.
 * 2. The units the text states after the name ("(Douentza, Mopti)", ", Logar Province") are checked
 *    against the gazetteer: a namesake outside them is not the place, and a name found nowhere is
 *    placed at the most specific stated unit, with the precision that unit allows.
 * 3. Precision: 1 the place itself (a district or region named after its seat, without a unit word,
 *    is the seat: "in Diré", "in Kharkiv"); 2 "near X", "N km from X", "between X and Y" (at X, the
 *    first of the pair) or a place known only by its district (at the district's seat); 3 a place
 *    known only by its region, a region named alone (at its seat), a country named alone or known
 *    only from its actors (in the region its cues point to, else at the capital).
 * 4. Units are named as the gazetteer names the current ones (a district's present region wins over
 *    a region the text names from before a reform), spelled as the text spells them when it names them.
 * 5. A regional prior from the document's cues ("the OSCE SMM": Donetsk, Luhansk) overrules doubtful
 *    matches elsewhere in the country: villages sharing their name with others, sites, loose spellings.
 */
import type { Doc, Place, PlaceMention, Sentence } from '../core/types.js';
import { countryByIso2, foldKey } from './countries.js';
import { haversineKm } from './distance.js';
import { loadAdmin1Shapes, type Admin1Shape } from './admin1-shapes.js';
import { countryPlace, currentGazetteer, isSite, skeleton, stripAdminWords, withoutArticle } from './gazetteer.js';
import { carvedRegion, COMMUNE_WORDS, cueRegionsOf, cuesIn, insideActors, insideUnit, isDistinctive, type Cue, NEAR_UNIT_KM, PROXIMITY_OPEN, resolveMention, statedParents, topCountry, townOfArea, parentUnits, type CountryFocus, type Resolved, type AreaTown } from './resolve.js';

/** A speech verb after a place name: the place stands for its government ("Bamako denies"). */
const SPEAKS = /^\s+(?:has\s+|have\s+|had\s+|also\s+|again\s+)?(?:den(?:y|ies|ied)|sa(?:id|ys)|claim(?:s|ed)|accuse[sd]|insist(?:s|ed)|warn(?:s|ed)|announc(?:es|ed)|reject(?:s|ed)|condemn(?:s|ed)|respond(?:s|ed))\b/i;

/**
 * A coder's note of the place an event is coded at: "(coded as Madougou at geoprecision 2)", "coded
 * as the area of X", "coded at approximate location as X", "coded as approximate location in X".
 */
const CODED_AS = /\b(?:(?:geo-?)?coded (?:(?:as|at|to|in) )?(?:(?:an? )?approximate(?: location)?,? (?:(?:as|at|in|to) )?)?|located (?:as|at|to) )(?:the )?(?:(?:area|village|town|vicinity|commune) of )?$/i;

/** "a councillor from Djougani ... was murdered in Koro", "villagers from Boundo attacked ...": where people come from, not where it happened. */
const PEOPLE_FROM = /\b(?:man|men|woman|women|boy|girl|child|children|youths?|traders?|merchants?|herders?|farmers?|fishermen|councill?ors?|notables?|residents?|villagers?|inhabitants|natives?|nationals?|civilians?|people|family|families|members?|delegation|students?|teachers?|officials?|workers?|employees?|staff|miners?|drivers?|passengers?|peacekeepers?|soldiers?|troops)\s+(?:\w+\s+)?from\s+(?:the\s+)?(?:(?:town|city|village|commune|hamlet|region|circle|cercle)\s+of\s+)?$/i;
/** Before a place: where a journey went, not where it was interrupted ("evacuated to X", "leaving Y for X", "en route to X"). */
const JOURNEY_END = /\b(?:(?:evacuat(?:ed|ion)|transferred|rushed|airlifted|flown|taken)\s+(?:\w+\s+)?to|leaving\s+\p{Lu}[\p{L}'’-]*\s+for|en\s+route\s+to|on\s+(?:the|their|its|his|her)\s+way\s+to|bound\s+for|heading\s+(?:to|for|towards?))\s+(?:the\s+)?(?:(?:hospital|town|city)\s+(?:in|of)\s+)?$/iu;

/** Before a place: where a journey began ("returning home from X", "on his way back from X"), not where it was interrupted. */
const JOURNEY_START = /\b(?:return(?:ing|ed)|com(?:ing|e)|came|travell?(?:ing|ed)|arriv(?:ing|ed)|(?:way|driving|heading)\s+back)\s+(?:home\s+|back\s+)?(?:(?:to|towards)\s+(?:the\s+|his\s+|her\s+|their\s+)?\w+\s+)?from\s+(?:the\s+)?(?:(?:town|city|capital)\s+(?:of\s+)?)?$/i;

/** "the mayor of X", "the sub-prefect of X": an office named by its seat. */
const OFFICE_OF = /\b(?:mayor|governor|prefect|sub-?prefect|imam|deputy|MP|representative|councill?or|chief of staff)\s+of\s+(?:the\s+)?(?:(?:town|city|village|commune|region|circle|cercle)\s+of\s+)?$/i;

/** What the event's coordinates stand for. */
export type GeoBasis = 'place' | 'near' | 'between' | 'admin2' | 'admin1' | 'country';

export interface EventPlace {
  /** The mention that names where the event happened; null when only the actors tell the country. */
  mention: PlaceMention | null;
  /** The place whose point stands for it (the mention's own place, or a unit that contains it). */
  place: Place;
  precision: 1 | 2 | 3;
  basis: GeoBasis;
  location: string | null;
  admin1: string | null;
  admin2: string | null;
}

/** The units stated for a mention, resolved in one country. */
interface StatedUnits {
  admin1: Place | null;
  admin2: Place | null;
  /** The second-level unit's name when the text names one the gazetteer knows only as a town ("(Rafah, North Sinai)"). */
  admin2Name: string | null;
  country: Place | null;
  /** The point that stands for the most specific unit: its seat when a town of its name lies in it, else the unit's own point. */
  point: Place | null;
  /** The level the point stands for. */
  level: 'admin2' | 'admin1' | 'country' | null;
  mentions: PlaceMention[];
}

/** A candidate for the event's place: a resolved mention, or a stated-but-unknown name with its units. */
interface Option {
  mention: PlaceMention;
  resolved: Resolved | null;
  units: StatedUnits;
  iso2: string | null;
}

export function locateEvent(doc: Doc, sents: readonly Sentence[], resolvedAll: Resolved[], focus: CountryFocus, iso2: string | null): EventPlace | null {
  const inSents = (m: { start: number; end: number }): boolean => sents.some((s) => m.start >= s.start && m.end <= s.end);
  const inActor = insideActors(doc);
  const options: Option[] = [];
  for (const r0 of resolvedAll) {
    if (!inSents(r0.mention) || r0.mention.via !== 'name') continue;
    // "Fulani militiamen", "Dogon village": a name inside an actor mention names people.
    if (r0.place.level !== 'country' && inActor(r0.mention)) continue;
    // "an accusation Bamako denies", "Moscow said": a place that speaks is its government.
    if (SPEAKS.test(doc.text.slice(r0.mention.end, r0.mention.end + 30))) continue;
    const r = iso2 && r0.place.iso2 !== iso2 ? reresolve(doc, r0, iso2) : r0;
    // A village the gazetteer knows only just across the border ("Boulikessi": a Burkinabe village 40 km
    // from Mali): its twin on this side, at the country's nearest point to it, near (precision 2).
    const twin = iso2 && r.place.iso2 !== iso2 ? borderTwin(doc, r.mention, iso2) : null;
    if (twin) {
      options.push(twin);
      continue;
    }
    // Spelling-tolerant matches stand alone only for distinctive places (`isDistinctive`: regions, towns of 10,000+),
    // or for the villages of a country the user imported: a text that names no country ("in Talataye", for
    // GeoNames' Telataï) is read for the countries imported, as an exact name is (`imported_country`).
    if (iso2 ? r.place.iso2 !== iso2 : r.mention.weak || (r.mention.fuzzy && !isDistinctive(r.place) && !r.place.imported)) {
      // A name known only elsewhere ("NDaki" ~ a Cameroonian "Ndaka") is still placed by the units the text states.
      const unknown = unknownOption(r0.mention);
      if (unknown) options.push(unknown);
      continue;
    }
    options.push({ mention: r.mention, resolved: r, units: statedUnits(doc, r.mention, r.place.iso2), iso2: r.place.iso2 });
  }
  /**
   * Border villages often share their names across the line. A name whose only towns lie abroad, one of
   * them within `TWIN_KM` of the event's country (and of the region the text states, if any): a place of
   * that name on this side, at the nearest point of the country (or region) to the namesake, near it
   * (precision 2), with the region around it; under a district the text states only when that
   * district's point is, of its region's districts, the nearest to the point.
   */
  function borderTwin(doc: Doc, m: PlaceMention, iso2: string): Option | null {
    if (m.via !== 'name' || m.weak || m.candidates.some((c) => c.iso2 === iso2) || inActor(m)) return null;
    const shapes = loadAdmin1Shapes();
    const near = m.candidates.filter((c) => c.level === 'town' && c.latitude !== null && c.longitude !== null && nearBox(shapes.byCountry(iso2), c.latitude, c.longitude, TWIN_KM));
    if (!near.length) return null;
    const units = statedUnits(doc, m, iso2);
    const admin2 = units.admin2;
    const country = countryByIso2(iso2);
    if (!country) return null;
    const wanted = (lat: number, lon: number): Admin1Shape | null => {
      const shape = shapes.at(lat, lon, 0);
      if (!shape || shape.iso2 !== iso2) return null;
      return !units.admin1 || [shape.name, ...shape.alternates].some((n) => foldKey(n) === foldKey(units.admin1!.name)) || shape.geonamesCode === units.admin1.id.replace(/^admin1:/, '') ? shape : null;
    };
    for (const c of near) {
      if (c.latitude === null || c.longitude === null) continue;
      const key = `${c.id}|${iso2}|${units.admin1?.id ?? ''}`;
      let at = twinMemo.get(key);
      if (at === undefined) {
        at = nearestInside(c.latitude, c.longitude, TWIN_KM, wanted);
        if (twinMemo.size > 10_000) twinMemo.clear();
        twinMemo.set(key, at);
      }
      if (!at) continue;
      // A district stated too: the point must lie nearer its point than any other district's of the region.
      if (admin2 && !nearestUnit(at, admin2)) continue;
      const gaz = currentGazetteer();
      const region = (at.shape.geonamesCode && gaz.admin1ByCode.get(at.shape.geonamesCode)?.name) || at.shape.name;
      const place: Place = { name: m.text, iso2, iso3: country.iso3, country: country.name, admin1: units.admin1?.name ?? region, admin2: admin2?.name ?? null, latitude: at.lat, longitude: at.lon, level: 'town', population: 0, id: `twin:${c.id}`, feature: 'PPL' };
      const mention: PlaceMention = { ...m, relation: m.relation === 'between' ? 'between' : 'near' };
      return { mention, resolved: { mention, place, score: 0, features: { border_twin: 0 }, margin: 0 }, units, iso2 };
    }
    return null;
  }
  /** Whether, of the second-level units of `unit`'s region, `unit`'s point is the nearest to `at`. */
  function nearestUnit(at: { lat: number; lon: number }, unit: Place): boolean {
    if (unit.latitude === null || unit.longitude === null || !unit.admin1) return false;
    const others = currentGazetteer().unitsIn(unit.iso2, unit.admin1);
    const km = haversineKm(at.lat, at.lon, unit.latitude, unit.longitude);
    return others.every((o) => o.id === unit.id || o.latitude === null || haversineKm(at.lat, at.lon, o.latitude, o.longitude!) >= km);
  }
  function unknownOption(m: PlaceMention): Option | null {
    const units = statedUnits(doc, m, iso2);
    const unit = units.point;
    if (!unit || (iso2 && unit.iso2 !== iso2)) return null;
    return { mention: m, resolved: null, units, iso2: unit.iso2 };
  }
  for (const m of doc.places) {
    if (!m.unresolved || !inSents(m) || inActor(m)) continue;
    const unknown = unknownOption(m);
    if (unknown) options.push(unknown);
  }
  options.sort((a, b) => a.mention.start - b.mention.start);

  // "Tinarab (near Adiora)": of the namesakes of X, the one next to a namesake of Y; none: X is not
  // the place meant (`notNear`), and the event stands near Y.
  const notNear = new Set<Option>();
  /** The Ys of "X (near Y)": they qualify X, as a stated unit does. */
  const nearAnchors = new Set<PlaceMention>();
  for (const o of options) {
    const around = o.resolved ? nearStated(o) : null;
    if (!around) continue;
    nearAnchors.add(around.mention);
    const here = o.resolved!.place;
    const ys = around.mention.candidates.filter((c) => c.iso2 === here.iso2);
    if (ys.some((y) => !far(here, y, around.km))) continue;
    const other = o.mention.candidates.find((x) => x.iso2 === here.iso2 && x.level === here.level && ys.some((y) => !far(x, y, around.km)));
    if (other) o.resolved = { ...o.resolved!, place: other };
    else notNear.add(o);
  }

  // Mentions that are the stated units of another are not the event's place.
  const parentStarts = new Set(options.flatMap((o) => o.units.mentions.map((p) => p.start)));
  // The dateline names where the reporter files from, not where the event happened.
  const dateline = doc.dates.find((d) => d.kind === 'dateline');
  const datelineEnd = dateline ? dateline.end + Math.max(0, doc.text.slice(dateline.end, dateline.end + 60).search(/--|[-–—]/)) : -1;
  let best: { o: Option; score: number } | null = null;
  for (const o of options) {
    const level = o.resolved ? o.resolved.place.level : 'town';
    let score = level === 'town' ? 3 : level === 'admin2' ? 2.5 : level === 'admin1' ? 2 : 0.5;
    if (o.mention.start < datelineEnd) score -= 2.5;
    // "(coded as Madougou at geoprecision 2)": the coder says where the event stands.
    if (CODED_AS.test(doc.text.slice(Math.max(0, o.mention.start - 40), o.mention.start))) score += 4;
    // A common word taken for a place by its context ranks below names that are only names.
    if (o.mention.weak) score -= 1;
    // "The mayor of Mondoro was killed ... in Douentza": an office's seat is not where it happened.
    if (OFFICE_OF.test(doc.text.slice(Math.max(0, o.mention.start - 40), o.mention.start))) score -= 1.5;
    else if (PEOPLE_FROM.test(doc.text.slice(Math.max(0, o.mention.start - 50), o.mention.start))) score -= 1.5;
    // "medical evacuation to Gao", "a truck leaving Gao for Ayorou": where the wounded or the travellers were going.
    else if (JOURNEY_END.test(doc.text.slice(Math.max(0, o.mention.start - 40), o.mention.start))) score -= 1.5;
    // "a trader coming home from Bamako was shot at Y": where the traveller came from.
    else if (JOURNEY_START.test(doc.text.slice(Math.max(0, o.mention.start - 50), o.mention.start))) score -= 1.5;
    // "Sofara (Djenne, Mopti)", "Dozo militiamen (Bambara)": a name in parentheses qualifies another.
    // A stated unit of another mention is where that one lies, not the event's place itself.
    if (parentStarts.has(o.mention.start) || nearAnchors.has(o.mention)) score -= 1.5;
    else if (inParentheses(doc, o.mention)) score -= 1.5;
    // "the village of Dianweli (near Bandiougou)": the text says where the place lies; a namesake
    // far from there is not the place meant, and the event stands near the place named.
    if (notNear.has(o)) score -= 2;
    if (o.mention.relation === 'between') {
      // The other end of "between X (A, B) and Y": the next such mention after X, the one before Y.
      const gap = (p: Option): number => (p.mention.start >= o.mention.end ? p.mention.start - o.mention.end : o.mention.start - p.mention.end);
      const partner = options.find((p) => p !== o && p.mention.relation === 'between' && gap(p) >= 0 && gap(p) < 60);
      const a = o.resolved?.place;
      const b = partner?.resolved?.place;
      // A partner known only by a loose spelling says nothing about the distance.
      const sure = partner && !partner.mention.fuzzy && !partner.mention.weak;
      // Two ends far apart make a doubtful pair, unless the text states the units of this one.
      if (sure && a && b && !o.units.point && far(a, b, 100)) score -= 1.5;
      if (partner && partner.mention.start < o.mention.start) score -= 0.6; // the first of the pair stands for it
    }
    // "in Kidal and Gao": the first of a list stands for the event, as ACLED codes it.
    if (o.mention.relation !== 'between' && !parentStarts.has(o.mention.start) && options.some((p) => p !== o && p.mention.end <= o.mention.start && LIST_LINK.test(doc.text.slice(p.mention.end, o.mention.start)))) score -= 0.3;
    // An unknown name stands as well resolved as its most specific stated unit.
    score += (o.resolved?.score ?? unitScore(o.units, resolvedAll)) * 0.05;
    score -= (o.mention.start - sents[0]!.start) / 5000;
    if (!best || score > best.score) best = { o, score };
  }
  if (!best) return countryFallback(doc, focus, sents);
  return placeOf(doc, best.o, sents);

  /**
   * The resolved option a parenthesis right after `o` places it near ("X (near Y)", "X (10 km north
   * of Y)"), and how far from it a namesake of X may lie and still be X: `NEAR_STATED_KM`, or the
   * distance stated and 20 km more.
   */
  function nearStated(o: Option): { mention: PlaceMention; km: number } | null {
    const after = /^\s*\(\s*/.exec(doc.text.slice(o.mention.end, o.mention.end + 4));
    if (!after) return null;
    const from = o.mention.end + after[0].length;
    const head = doc.text.slice(from, from + 40);
    if (!PROXIMITY_OPEN.test(head)) return null;
    const close = doc.text.indexOf(')', from);
    const p = close < 0 ? undefined : options.find((p) => p !== o && p.resolved && p.mention.start > o.mention.end && p.mention.end <= close);
    if (!p) return null;
    const stated = /\d+/.exec(head);
    return { mention: p.mention, km: Math.max(NEAR_STATED_KM, stated ? Number(stated[0]) + 20 : 0) };
  }
}

/** How near the event's country a namesake across the border must lie to have a twin on this side (km). */
const TWIN_KM = 60;
/** The twin point found for a namesake, country and stated region (the probing costs a few hundred polygon look-ups). */
const twinMemo = new Map<string, { lat: number; lon: number; shape: Admin1Shape } | null>();

/** Whether (lat, lon) lies within `km` of the bounding box of some of `units`. */
function nearBox(units: readonly Admin1Shape[], lat: number, lon: number, km: number): boolean {
  const dLat = km / 111.32;
  const dLon = km / (111.32 * Math.max(0.1, Math.cos((lat * Math.PI) / 180)));
  return units.some(({ bbox: [w, s, e, n] }) => lat >= s - dLat && lat <= n + dLat && lon >= w - dLon && lon <= e + dLon);
}

/**
 * The point of a unit `wanted` accepts nearest (lat, lon), within `maxKm`: the point itself, else
 * probed on rings 5 km apart, 36 bearings each, the outer ring first (no hit there: none, in 36
 * look-ups), then inwards from 5 km: the first ring with a hit answers, within 5 km of the nearest.
 */
function nearestInside(lat: number, lon: number, maxKm: number, wanted: (lat: number, lon: number) => Admin1Shape | null): { lat: number; lon: number; shape: Admin1Shape } | null {
  const here = wanted(lat, lon);
  if (here) return { lat, lon, shape: here };
  const kmLon = 111.32 * Math.max(0.1, Math.cos((lat * Math.PI) / 180));
  const ring = (km: number): { lat: number; lon: number; shape: Admin1Shape } | null => {
    for (let k = 0; k < 36; k++) {
      const a = (k * Math.PI) / 18;
      const pLat = lat + (km * Math.sin(a)) / 111.32;
      const pLon = lon + (km * Math.cos(a)) / kmLon;
      const shape = wanted(pLat, pLon);
      if (shape) return { lat: Math.round(pLat * 1e4) / 1e4, lon: Math.round(pLon * 1e4) / 1e4, shape };
    }
    return null;
  };
  // Most namesakes have none: the outer ring first answers them in 36 look-ups.
  const outer = ring(maxKm);
  if (!outer) return null;
  for (let km = 5; km < maxKm; km += 5) {
    const hit = ring(km);
    if (hit) return hit;
  }
  return outer;
}

/** Between two items of a list of places: " and ", ", and" (commas alone also join a place to its units: "Kanyosha, Bujumbura"). */
const LIST_LINK = /^(?:\s*,\s*and\s+|\s+(?:and|&)\s+)$/;

/** How far from the place a text puts it near ("X (near Y)") a namesake of X may lie and still be X (km). */
const NEAR_STATED_KM = 40;

function far(a: Place, b: Place, km: number): boolean {
  return a.latitude !== null && b.latitude !== null && a.longitude !== null && b.longitude !== null && haversineKm(a.latitude, a.longitude, b.latitude, b.longitude) > km;
}

/** True when a mention is itself in parentheses after a word: "X (A, B)", "militiamen (Bambara)". */
function inParentheses(doc: Doc, m: { start: number }): boolean {
  return /[\p{L}\]]\s*\((?:[^()]{0,40},\s*)?$/u.test(doc.text.slice(Math.max(0, m.start - 60), m.start));
}

/** The resolution score of the most specific stated unit. */
function unitScore(units: StatedUnits, resolvedAll: Resolved[]): number {
  const unit = units.point;
  const m = unit && units.mentions.find((p) => p.candidates.includes(unit));
  return (m && resolvedAll.find((r) => r.mention === m)?.score) ?? 0;
}

/** The event's place from the chosen option: the place itself when it lies in the stated units, else the most specific unit. */
function placeOf(doc: Doc, o: Option, sents: readonly Sentence[]): EventPlace {
  const { mention, resolved, units } = o;
  const relation = mention.relation;
  const nearBasis: GeoBasis | null = relation === 'near' ? 'near' : relation === 'between' ? 'between' : null;
  // "Menaka (Gao)": a name with a region stated after it is no region itself, though a region bears
  // it now (Ménaka became one): the town, whose present region it keeps.
  const renamedRegion = resolved?.place.level === 'admin1' && units.admin1 !== null && units.admin1.id !== resolved.place.id;
  let place: Place | null = resolved ? (renamedRegion ? townOfRegion(mention, resolved.place) : seatInstead(doc, mention, resolved.place)) : null;
  const within = place && place.level === 'town' && (units.admin2 || units.admin1) ? withinUnits(place, units) : 'codes';
  if (!within) place = null;
  // No unit stated, but the document's cues name the regions it is about: a town elsewhere is a namesake.
  if (place && place.level === 'town' && !units.mentions.length && (doubtful(mention, place) || (place.population < 10_000 && outsideStrongCueRegions(doc, place))) && outsideCueRegions(doc, place)) {
    const region = cueRegion(doc, place.iso2, sents);
    if (region) return { mention, place: region.point, precision: 3, basis: 'admin1', location: mention.text, admin1: spelledAsText(doc, region.unit.name, place.iso2, 'admin1'), admin2: null };
  }
  if (!place && !units.point) place = resolved?.place ?? null;
  // "Chihil Sutun neighborhood, Kabul": a city's part is coded at the city, as "the Tinfey neighbourhood of Ménaka" is.
  const city = place ? null : cityOfPart(doc, mention, units);
  if (city) return { mention, place: city, precision: 1, basis: 'place', location: city.name, admin1: city.admin1 ? spelledAsText(doc, city.admin1, city.iso2, 'admin1') : null, admin2: city.admin2 };
  let precision: 1 | 2 | 3;
  let basis: GeoBasis;
  if (place) {
    basis = place.level === 'country' ? 'country' : place.level === 'admin1' ? 'admin1' : place.level === 'admin2' ? nearBasis ?? 'admin2' : nearBasis ?? 'place';
    precision = basis === 'place' ? 1 : basis === 'admin1' || basis === 'country' ? 3 : 2;
  } else {
    // A name the gazetteer does not place inside its stated units: at the most specific of them.
    place = units.point!;
    basis = units.level!;
    precision = basis === 'admin2' ? 2 : 3;
  }
  if (place.level === 'country') {
    const at = atCapital(doc, place.iso2, place, sents);
    // "Konna, Mali" with Konna unknown: Konna is the location; the capital's point and units are not its.
    return resolved?.place === place || at.basis !== 'country' ? { ...at, mention } : { ...at, mention, location: mention.text, admin1: null, admin2: null };
  }
  const own = resolved?.place === place || (resolved !== null && place.level === 'town' && resolved.place.level !== 'town');
  // The name as the text spells it when the gazetteer knows it under another form ("Boni" for "Bouani").
  const location = own && (foldKey(place.name) === foldKey(mention.text) || mention.via !== 'name') ? place.name : mention.text;
  // Units: the current ones (a stated district's present region), spelled as the text spells them.
  const admin2 = units.admin2Name ?? (place.level === 'town' ? place.admin2 : place.level === 'admin2' ? place.name : null);
  // A stated district's present region first: "Oudeini (Ansongo, Gao)" is in Gao even where GeoNames files the village under Ménaka.
  let admin1 =
    (renamedRegion ? place.admin1 : null) ?? units.admin2?.admin1 ?? (within === 'former_unit' ? place.admin1 : null) ?? units.admin1?.name ?? (place.level === 'admin1' ? place.name : place.admin1);
  // A village still coded under the region a reform carved a new one from lies in the new one when nearer its seat.
  if (admin1 && place.level === 'town' && !units.admin2) admin1 = carvedRegion(place, admin1) ?? admin1;
  return {
    mention,
    place,
    precision,
    basis,
    location,
    admin1: admin1 ? spelledAsText(doc, admin1, place.iso2, 'admin1') : null,
    admin2: admin2 ? spelledAsText(doc, admin2, place.iso2, 'admin2') : null,
  };
}

/** The town a region's name stands for inside that region: its seat, else the largest town of that name in it. */
function townOfRegion(m: PlaceMention, region: Place): Place {
  const seat = currentGazetteer().seatOf(region);
  if (seat && !isSite(seat)) return seat;
  const key = foldKey(region.name);
  const town = m.candidates
    .filter((c) => c.level === 'town' && c.iso2 === region.iso2 && c.admin1 !== null && foldKey(c.admin1) === key)
    .sort((a, b) => seatRank(b) - seatRank(a) || b.population - a.population)[0];
  return town ?? region;
}

/**
 * "in Diré": a district named after its seat, named without a unit word or parentheses, is the seat
 * town (ACLED codes the town, precision 1); "(Diré, Tombouctou)" and "Diré cercle" stay the district.
 * So is a region named after its capital city ("in Kharkiv"), but not "the Mopti region".
 */
function seatInstead(doc: Doc, m: PlaceMention, place: Place): Place {
  if ((place.level !== 'admin2' && place.level !== 'admin1') || inParentheses(doc, m) || UNIT_AFTER.test(doc.text.slice(m.end, m.end + 16))) return place;
  // "the Mopti region" is the region.
  if (/\bthe\s+$/i.test(doc.text.slice(Math.max(0, m.start - 5), m.start))) return place;
  const key = foldKey(place.name);
  // The unit's own seat ("in Macina": Ké-Macina, the seat of Macina cercle; "in Tombouctou": Timbuktu),
  // else a town of the unit's name inside it.
  const own = currentGazetteer().seatOf(place);
  const seat =
    (own && !isSite(own) ? own : null) ??
    m.candidates
      .filter((c) => c.level === 'town' && c.iso2 === place.iso2 && foldKey(c.name) === key && c.admin1 !== null && place.admin1 !== null && foldKey(c.admin1) === foldKey(place.admin1))
      .sort((a, b) => seatRank(b) - seatRank(a) || b.population - a.population)[0];
  // A region is its capital only when that is a city: "in Kharkiv", "in Mopti".
  if (!seat || (place.level === 'admin1' && !(seat.feature === 'PPLA' || seat.feature === 'PPLC') ) || (place.level === 'admin1' && seat.population < 20_000)) return place;
  return { ...seat, admin2: seat.admin2 ?? (place.level === 'admin2' ? place.name : null) };
}

const UNIT_AFTER = /^\s+(?:cercle|circle|district|department|province|prefecture|county|division|lga|region)\b/i;

/** Kind words of a city's parts ("Chihil Sutun neighborhood"); not "area" or "district", which may be the countryside of a province named after its city. */
const CITY_PART = /^(?:neighbou?rhood|quarter|suburb)$/;

/**
 * For a name the gazetteer does not know, marked as a city's part and stated in a city ("Chihil
 * Sutun neighborhood, Kabul", "Vila Acre neighbourhood, Rio Branco"): that city (a town of 100,000 or more
 * named first among the stated units). Null otherwise.
 */
function cityOfPart(doc: Doc, m: PlaceMention, units: StatedUnits): Place | null {
  const first = units.mentions[0];
  // "Makroryan area, Kabul city": an area of what the text calls a city is a part of it.
  if (!m.unresolved || !m.kind || !first || !(CITY_PART.test(m.kind) || (/^(?:area|sector|zone)$/.test(m.kind) && /^\s+city\b/i.test(doc.text.slice(first.end, first.end + 6))))) return null;
  return first.candidates.filter((c) => c.level === 'town' && c.population >= 100_000 && (!units.country || c.iso2 === units.country.iso2)).sort((a, b) => b.population - a.population)[0] ?? null;
}

/** A resolved town lies in its stated units when its codes say so, or when it is near the stated district's seat. */
function withinUnits(place: Place, units: StatedUnits): 'codes' | 'near' | 'former_unit' | null {
  if (units.admin2 && insideUnit(place, units.admin2)) return 'codes';
  const p = units.point;
  if (units.level === 'admin2' && p && place.latitude !== null && p.latitude !== null && haversineKm(place.latitude, place.longitude!, p.latitude, p.longitude!) <= NEAR_UNIT_KM / 2) return 'near';
  if (units.admin1) return insideUnit(place, units.admin1) !== null ? 'codes' : inFormerUnit(place, units.admin1) ? 'former_unit' : null;
  return units.level !== 'admin2' ? 'codes' : null;
}

/**
 * "Menaka (Gao)": the text names a region as it was before a reform (Ménaka was a cercle of Gao).
 * Natural Earth's units are often the older ones: a place inside the polygon of the stated name lies
 * in the stated unit, and keeps its current unit.
 */
function inFormerUnit(place: Place, unit: Place): boolean {
  if (place.latitude === null || place.longitude === null || !place.admin1) return false;
  // A present unit that the polygons have is no reform: the gazetteer's code is wrong or the place is
  // a namesake (and then no polygon need be read).
  if (currentGazetteer().hasPolygonUnit(place.iso2, place.admin1)) return false;
  const shapes = loadAdmin1Shapes();
  const shape = shapes.at(place.latitude, place.longitude);
  if (!shape || shape.iso2 !== place.iso2) return false;
  // A reform made the place's present unit, which the older polygons lack ("Ménaka"): the place lies
  // in the stated unit when that unit's polygon holds it.
  return [shape.name, ...shape.alternates].some((n) => foldKey(n) === foldKey(unit.name));
}

/**
 * The units stated after a mention, resolved in one country: the first-level unit from the last
 * mention that can be one, the second-level unit from the first mention of a list of two or more
 * ("(Douentza, Mopti)"), preferring a district of the stated region; "(Tripoli)" alone is a region.
 */
function statedUnits(doc: Doc, m: PlaceMention, iso2: string | null): StatedUnits {
  const stated = statedParents(doc, m).filter((p) => p.candidates.length > 0);
  // "Yorou Pen, Madougou Commune (Koro, Mopti)": a commune named after its village, which the gazetteer
  // knows as a village only, is no unit of its own; its village inside the district stands for it below.
  const commune = stated.length > 1 && stated[0]!.candidates.every((c) => c.level === 'town') && COMMUNE_AFTER.test(doc.text.slice(stated[0]!.end, stated[0]!.end + 16)) ? stated[0]! : null;
  const mentions = commune ? stated.slice(1) : stated;
  const none: StatedUnits = { admin1: null, admin2: null, admin2Name: null, country: null, point: null, level: null, mentions: stated };
  if (!mentions.length) return none;
  const country = iso2 ?? pickCountry(mentions);
  if (!country) return none;
  const of = (p: PlaceMention, level: Place['level']): Place[] => p.candidates.filter((c) => c.level === level && c.iso2 === country);
  let admin1: Place | null = null;
  let admin1Mention: PlaceMention | null = null;
  for (const p of [...mentions].reverse()) {
    const a = of(p, 'admin1')[0];
    if (a) {
      [admin1, admin1Mention] = [a, p];
      break;
    }
  }
  const inAdmin1 = (c: Place): boolean => !admin1 || (c.admin1 !== null && foldKey(c.admin1) === foldKey(admin1.name));
  // The second-level unit: the first of a list of two or more ("(Douentza, Mopti)"), a district of the stated region first.
  const units = mentions.filter((p) => p.candidates.some((c) => c.iso2 === country));
  const first = units[0];
  let admin2: Place | null = null;
  let admin2Mention: PlaceMention | null = null;
  if (first && first !== admin1Mention && (first.candidates.some((c) => c.level !== 'country') || units.length > 1)) {
    const cands = of(first, 'admin2');
    admin2 = cands.find(inAdmin1) ?? cands[0] ?? null;
    admin2Mention = first;
  }
  const countryPlace = mentions.flatMap((p) => p.candidates).find((c) => c.level === 'country' && c.iso2 === country) ?? null;
  // The point: the seat of the most specific unit (a town of its name inside it), else the unit itself.
  const seatOf = (p: PlaceMention | null): Place | null => {
    if (!p) return null;
    // The unit's own seat when the gazetteer knows it: "(Macina, Segou)" stands at Ké-Macina.
    const unit = p === admin2Mention ? admin2 : p === admin1Mention ? admin1 : null;
    const own = unit ? currentGazetteer().seatOf(unit) : null;
    if (own && !isSite(own)) return own;
    const key = foldKey(p.text);
    // The seat bears the unit's name ("Koro" in Koro cercle), not merely an alternate of it.
    // Inside the district's current region when the district is known, else the stated region.
    const region = admin2?.admin1 ?? admin1?.name ?? null;
    const towns = of(p, 'town').filter((c) => (!region || (c.admin1 !== null && foldKey(c.admin1) === foldKey(region))) && foldKey(c.name) === key);
    return towns.sort((a, b) => seatRank(b) - seatRank(a) || b.population - a.population)[0] ?? null;
  };
  let point: Place | null = null;
  let level: StatedUnits['level'] = null;
  let admin2Name: string | null = admin2?.name ?? null;
  if (admin2Mention) {
    // The commune's village inside the district, when the text names a commune.
    // (the one filed under it, else the only one near its point: villages of a commune's name are many).
    const inside = commune && admin2 ? commune.candidates.filter((c) => c.iso2 === country).map((c) => ({ c, how: insideUnit(c, admin2!) })) : [];
    const filed = inside.filter((x) => x.how === 'admin2');
    const near = inside.filter((x) => x.how === 'near_admin2');
    const village = filed.length === 1 ? filed[0]!.c : !filed.length && near.length === 1 ? near[0]!.c : null;
    point = village ?? seatOf(admin2Mention) ?? admin2;
    if (point) {
      level = 'admin2';
      admin2Name ??= admin2Mention.text;
    }
  }
  if (!point && admin1) {
    point = seatOf(admin1Mention) ?? admin1;
    level = 'admin1';
  }
  if (!point && countryPlace) {
    point = countryPlace;
    level = 'country';
  }
  return { admin1, admin2, admin2Name, country: countryPlace, point, level, mentions: stated };
}

/** After a name, the kind word of a unit below a district: "Madougou Commune". */
const COMMUNE_AFTER = new RegExp(`^\\s+(?:\\d+\\s+)?(?:${COMMUNE_WORDS})\\b`, 'i');

/** A district's seat before a region's seat before a capital before a village. */
function seatRank(p: Place): number {
  return p.feature === 'PPLA2' ? 3 : p.feature === 'PPLA' ? 2 : p.feature === 'PPLC' ? 1 : 0;
}

/** The country the stated units agree on: one every unit mention has a candidate in, preferring a named country. */
function pickCountry(mentions: PlaceMention[]): string | null {
  const named = mentions.flatMap((p) => p.candidates).find((c) => c.level === 'country');
  if (named) return named.iso2;
  const counts = new Map<string, number>();
  for (const p of mentions) for (const iso of new Set(p.candidates.filter((c) => c.level !== 'town').map((c) => c.iso2))) counts.set(iso, (counts.get(iso) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [iso, k] of counts) if (k > n) [best, n] = [iso, k];
  return best;
}

/** A unit's name as the text writes it ("Idleb", "Dar'a"), when some mention of the text names that unit. */
/** The mentions whose spelling can name a unit (mixed case, known to the gazetteer), with their skeletons, once per document. */
const spellingCache = new WeakMap<Doc, { m: PlaceMention; skel: string }[]>();
function spellings(doc: Doc): { m: PlaceMention; skel: string }[] {
  let list = spellingCache.get(doc);
  if (!list) {
    // Wire copy in capitals says nothing about spelling.
    list = doc.places.filter((m) => m.via === 'name' && !m.unresolved && /\p{Ll}/u.test(m.text)).map((m) => ({ m, skel: skeleton(withoutArticle(foldKey(m.text))) }));
    spellingCache.set(doc, list);
  }
  return list;
}

/** A word for a unit's kind written after its name. */
const UNIT_WORD_AFTER = /\s+(?:region|province|governorate|state|department|district|prefecture|county|oblast|cercle|wilaya|division)$/i;

function spelledAsText(doc: Doc, name: string, iso2: string, level: 'admin1' | 'admin2'): string {
  const key = foldKey(name);
  const skel = skeleton(withoutArticle(key));
  let near: string | null = null;
  for (const { m, skel: mSkel } of spellings(doc)) {
    // "Gao Region", "Khost province": the unit's name, without the word for its kind.
    if (m.candidates.some((c) => c.level === level && c.iso2 === iso2 && foldKey(c.name) === key)) return m.text.replace(UNIT_WORD_AFTER, '') || m.text;
    // "Khost province" for GeoNames' Khowst, "Fizuli" for Fuzuli: a mention in that country spelt with the unit's consonants.
    if (near === null && skel.length >= 3 && mSkel === skel && m.candidates.some((c) => c.iso2 === iso2)) near = m.text;
  }
  return near ?? name;
}

/** No place in the event's sentences: the country named or implied anywhere, at its capital (precision 3). */
function countryFallback(doc: Doc, focus: CountryFocus, sents: readonly Sentence[]): EventPlace | null {
  const iso2 = topCountry(focus);
  if (!iso2) return null;
  const mention = doc.places.find((p) => p.candidates[0]?.iso2 === iso2 && p.candidates[0]?.level === 'country') ?? doc.places.find((p) => p.candidates[0]?.iso2 === iso2);
  if (!mention) {
    // The country is known only from its actors ("JNIM militants", "the Malian army").
    const country = countryByIso2(iso2);
    return country ? { ...atCapital(doc, iso2, countryPlace(country), sents), mention: null } : null;
  }
  const resolved = resolveMention(mention, focus);
  if (!resolved) return null;
  if (resolved.place.level === 'country') return { ...atCapital(doc, iso2, resolved.place, sents), mention };
  const place = resolved.place;
  return { mention, place, precision: 3, basis: place.level === 'town' ? 'place' : place.level, location: place.name, admin1: place.admin1 ? spelledAsText(doc, place.admin1, iso2, 'admin1') : null, admin2: place.admin2 };
}

/**
 * A country named alone, or known only from its actors: the region its cues point to ("the OSCE
 * SMM observed ..." is in the Donbas, "Dogon villages" in Mopti; data/country-cues.json), else the
 * capital (the centroid when the gazetteer knows no capital), precision 3.
 */
function atCapital(doc: Doc, iso2: string, country: Place, sents: readonly Sentence[]): Omit<EventPlace, 'mention'> {
  const region = cueRegion(doc, iso2, sents);
  if (region) return { place: region.point, precision: 3, basis: 'admin1', location: region.point.name, admin1: spelledAsText(doc, region.unit.name, iso2, 'admin1'), admin2: null };
  const cap = currentGazetteer().capitalOf.get(iso2);
  if (!cap) return { place: country, precision: 3, basis: 'country', location: country.name, admin1: null, admin2: null };
  return { place: cap, precision: 3, basis: 'country', location: cap.name, admin1: cap.admin1 ? spelledAsText(doc, cap.admin1, iso2, 'admin1') : null, admin2: cap.admin2 };
}

/** A match that a regional prior may overrule: a village sharing its name with others of the country, a site, or a loose spelling. */
function doubtful(m: PlaceMention, place: Place): boolean {
  if (m.fuzzy === true || m.weak === true || isSite(place)) return true;
  // A town of some size (a district seat, a market town) is meant by its name, namesakes or not.
  return place.population < 5000 && seatRank(place) === 0 && m.candidates.filter((c) => c.iso2 === place.iso2 && c.level === 'town').length > 1;
}

/**
 * True when a cue that names its country as firmly as its name (a mission mandated for one region:
 * "the OSCE SMM observed ... near Vodyane") names regions of the place's country and the place lies in
 * none of them: a village of that name elsewhere in the country is a namesake, though the gazetteer
 * knows no other.
 */
function outsideStrongCueRegions(doc: Doc, place: Place): boolean {
  if (!place.admin1) return false;
  const admin1 = foldKey(place.admin1);
  return cuesIn(doc).some((c) => c.strong === true && c.iso2 === place.iso2 && c.regions !== undefined && !c.regions.some((r) => foldKey(r) === admin1));
}

/** True when the document's cues name regions of the place's country and the place lies in none of them. */
function outsideCueRegions(doc: Doc, place: Place): boolean {
  const regions = cueRegionsOf(doc).get(place.iso2);
  return regions !== undefined && place.admin1 !== null && !regions.has(foldKey(place.admin1));
}

/**
 * The first-level unit the country's cues point to: those in the event's sentences first, the most
 * named one; with `point`, where in it an unknown place of the cue's area stands: the cue's town
 * (data/country-cues.json `around`: "Dogon" villages are Bandiagara's plateau's and the Seno's, 60–150
 * km from Mopti, the region's seat), else the unit itself (its seat).
 */
function cueRegion(doc: Doc, iso2: string, sents: readonly Sentence[]): { unit: Place; point: Place } | null {
  const inEvent = (start: number): boolean => sents.some((s) => start >= s.start && start < s.end);
  // Community and mission cues first; else where the event's armed groups mostly operate in that country.
  let votes: { start: number; regions: string[]; around?: AreaTown }[] = cuesIn(doc).filter((c): c is Cue & { regions: string[] } => c.iso2 === iso2 && c.regions !== undefined);
  if (!votes.length) {
    const iso3 = countryByIso2(iso2)?.iso3;
    votes = iso3 ? doc.actors.flatMap((a) => (a.areas?.[iso3] ? [{ start: a.start, regions: a.areas[iso3]!, ...(a.around?.[iso3] ? { around: a.around[iso3] } : {}) }] : [])) : [];
  }
  if (!votes.length) return null;
  const here = votes.filter((v) => inEvent(v.start));
  const used = here.length ? here : votes;
  const counts = new Map<string, number>();
  for (const v of used) counts.set(v.regions[0]!, (counts.get(v.regions[0]!) ?? 0) + 1);
  const gaz = currentGazetteer();
  // The most voted region the gazetteer knows (without an import it may lack the newest ones, e.g. Ménaka).
  const names = [...counts].sort((a, b) => b[1] - a[1]).map(([n]) => n);
  for (const v of used) for (const n of v.regions) if (!names.includes(n)) names.push(n);
  for (const name of names) {
    const unit = [...gaz.lookup(foldKey(name)), ...gaz.lookup(stripAdminWords(name))].find((p) => p.level === 'admin1' && p.iso2 === iso2);
    if (!unit) continue;
    // The town of a cue that votes for this region first, in this region (the most populous of its name).
    const around = used.find((v) => v.around && v.regions[0] === name)?.around;
    const town = around ? townOfArea(iso2, unit.name, around) : undefined;
    return { unit, point: town ?? unit };
  }
  return null;
}

/** The best candidate of a mention inside one country, if it has one there. */
function reresolve(doc: Doc, r: Resolved, iso2: string): Resolved {
  const inCountry = r.mention.candidates.filter((c) => c.iso2 === iso2);
  if (!inCountry.length) return r;
  const best = resolveMention({ ...r.mention, candidates: inCountry }, new Map([[iso2, 1]]), parentUnits(doc, r.mention));
  return best ? { ...best, mention: r.mention } : r;
}
