/**
 * Choosing among a place mention's candidates with the document's context.
 *
 * Each rule is a named feature so that a choice can be explained: the article's country focus
 * (country names, demonyms, actors' countries, unambiguous towns), the level the text asks for
 * ("Mopti region"), and prominence (population). The country focus is computed first from the
 * evidence that needs no resolution, then refined with the towns resolved under it.
 */
import type { Doc, Place, PlaceMention } from '../core/types.js';
import { createRequire } from 'node:module';
import { countryByIso2, countryByIso3, foldKey } from './countries.js';

const require = createRequire(import.meta.url);

let cueRegex: { regex: RegExp; primary: Map<string, string> } | null = null;

/** True for a folded word that names a people or force of the cue list ("dogon", "houthis"): not a place. */
export function isCountryCueWord(folded: string): boolean {
  return countryCues().primary.has(folded);
}

/** Names that hint at a country ("Dogon", "Houthi", "OSCE SMM"), with the country where each is mostly found (data/country-cues.json). */
function countryCues(): { regex: RegExp; primary: Map<string, string> } {
  if (cueRegex) return cueRegex;
  const data = require('../../data/country-cues.json') as { cues: Record<string, string[]> };
  const primary = new Map<string, string>();
  for (const [name, isos] of Object.entries(data.cues)) {
    const c = isos[0] ? countryByIso3(isos[0]) : undefined;
    if (c) primary.set(name.toLowerCase(), c.iso2);
  }
  const names = [...primary.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/-/g, '[- ]'));
  cueRegex = { regex: new RegExp(`\\b(?:${names.join('|')})\\b`, 'gi'), primary };
  return cueRegex;
}

export type CountryFocus = Map<string, number>;

export interface Resolved {
  mention: PlaceMention;
  place: Place;
  score: number;
  features: Record<string, number>;
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
  cue: 0.5,
  neighbour: 0.5,
  parentUnit: 4,
  parentCountry: 2,
  stateForces: 0.5,
  uniqueAdmin1: 2.5,
  inParentheses: 1,
  inFocusCountry: 6,
  population: 0.6,
  adminLevel: 1.5,
};

export function countryFocus(doc: Doc, skip?: (start: number) => boolean): CountryFocus {
  const focus: CountryFocus = new Map();
  const bump = (iso2: string, w: number): void => {
    focus.set(iso2, (focus.get(iso2) ?? 0) + w);
  };
  for (const m of doc.places) {
    if (skip?.(m.start)) continue;
    const top = m.candidates[0];
    if (!top) continue;
    if (m.fuzzy) {
      // A spelling-tolerant match votes only for a distinctive place (a region, a town of 10,000+)
      // whose candidates all lie in one country.
      const distinctive = m.candidates.filter((c) => c.level === 'admin1' || c.population >= 10_000);
      if (distinctive.length && new Set(m.candidates.map((c) => c.iso2)).size === 1) bump(top.iso2, W.fuzzyDistinctive);
      continue;
    }
    // A name inside an actor mention ("Fulani militiamen", "Dogon village") names people, not a place
    // (many villages share a people's name); demonyms and countries still count.
    if (top.level !== 'country' && doc.actors.some((a) => m.start >= a.start && m.end <= a.end)) continue;
    if (top.level === 'country') {
      // "Turkish forces", "Israeli soldiers": the forces' country is not where they act.
      const inStateForces = m.via === 'demonym' && doc.actors.some((a) => m.start >= a.start && m.end <= a.end && (a.inter === 1 || a.inter === 8));
      // "near the border with Burkina Faso", "returning from Niger": a neighbour, not the scene.
      const before = doc.text.slice(Math.max(0, m.start - 40), m.start);
      const after = doc.text.slice(m.end, m.end + 12);
      const elsewhere = /\b(?:borders? (?:with|of)|from|to|into|towards?|fled to|crossed into|via|neighbou?ring)\s+(?:the\s+)?$/i.test(before) || /^\s*(?:-\s*)?border/i.test(after);
      if (!inStateForces) bump(top.iso2, elsewhere ? W.neighbour : m.via === 'demonym' ? W.demonym : W.countryMention);
    }
    else {
      // A region's name shared by hamlets elsewhere ("Gao": the Malian region, and hamlets in
      // Burkina Faso and Cameroon) still names the region: hamlets of unknown size are set aside.
      const units = m.candidates.filter((c) => c.level === 'admin1' || c.level === 'admin2');
      const pool = units.length ? m.candidates.filter((c) => c.level !== 'town' || c.population > 0 || units.some((u) => u.iso2 === c.iso2)) : m.candidates;
      const countries = new Set(pool.map((c) => c.iso2));
      const admins = m.candidates.filter((c) => c.level === 'admin1');
      const parenthesised = /\(\s*(?:[^()]{0,40},\s*)?$/.test(doc.text.slice(Math.max(0, m.start - 42), m.start));
      const extra = parenthesised ? W.inParentheses : 0;
      // A village too small for the built-in table is unique only among the countries imported.
      const weight = admins.length ? W.uniqueAdmin1 : top.population >= 100_000 ? W.uniqueCity : top.population >= 1000 ? W.uniqueTown : W.uniqueVillage;
      if (countries.size === 1) bump(top.iso2, weight + extra);

    }
  }
  // Country cues named in the text: a weak prior, decisive only when nothing else locates the event.
  const com = countryCues();
  for (const m of doc.text.matchAll(com.regex)) {
    if (skip?.(m.index)) continue;
    const iso2 = com.primary.get(m[0].toLowerCase().replace(/ /g, '-')) ?? com.primary.get(m[0].toLowerCase());
    if (iso2) bump(iso2, W.cue);
  }
  for (const a of doc.actors) {
    if (skip?.(a.start)) continue;
    if (a.iso3 && a.inter !== 8) {
      const c = countryByIso3(a.iso3);
      // State forces often act abroad; a named armed group's home country is a firmer hint.
      if (c) bump(c.iso2, a.inter === 1 ? W.stateForces : W.actorCountry);
    }
  }
  return focus;
}

export function scoreCandidate(place: Place, mention: PlaceMention, focus: CountryFocus, total: number): Record<string, number> {
  const features: Record<string, number> = {};
  const share = total > 0 ? (focus.get(place.iso2) ?? 0) / total : 0;
  // The focus counts in proportion to its evidence: one hamlet's vote must not outweigh a region.
  if (share > 0) features.in_focus_country = W.inFocusCountry * share * Math.min(1, total / W.confidentFocus);
  features.population = W.population * Math.log10(place.population + 10);
  if (place.level === 'admin1' || place.level === 'admin2') features.admin_level = W.adminLevel;
  if (place.level === 'country') features.country_level = 2;
  if (mention.via === 'demonym') features.demonym = 0;
  return features;
}

/**
 * The units a mention is said to lie in: "X (Admin2, Admin1)", "X in Y", "X, Y": the first-level and
 * second-level candidates of the mentions that follow it that way.
 */
export function parentUnits(doc: Doc, m: PlaceMention): Place[] {
  const out: Place[] = [];
  let pos = m.end;
  for (let hops = 0; hops < 3; hops++) {
    const next = doc.places.find((p) => p.start >= pos && p.start - pos <= 14);
    if (!next) break;
    const gap = doc.text.slice(pos, next.start);
    if (!/^\s*(?:\(|,|in|in the|of the)?\s*(?:the\s+)?$/i.test(gap) && !/^\s*,\s*$/.test(gap)) break;
    out.push(...next.candidates.filter((c) => c.level === 'admin1' || c.level === 'admin2'));
    pos = next.end;
  }
  return out;
}

export function resolveMention(mention: PlaceMention, focus: CountryFocus, parents: Place[] = []): Resolved | null {
  let total = 0;
  for (const v of focus.values()) total += v;
  let best: Resolved | null = null;
  for (const place of mention.candidates) {
    const features = scoreCandidate(place, mention, focus, total);
    // "Boni (Douentza, Mopti)": a candidate inside the stated units wins over namesakes elsewhere.
    if (parents.length && place.level !== 'country') {
      const inUnit = parents.some((u) => u.iso2 === place.iso2 && (foldKey(u.name) === foldKey(place.admin1 ?? '') || foldKey(u.name) === foldKey(place.admin2 ?? '')));
      if (inUnit) features.parent_unit = W.parentUnit;
      else if (parents.some((u) => u.iso2 === place.iso2)) features.parent_country = W.parentCountry;
    }
    const score = Object.values(features).reduce((a, b) => a + b, 0);
    if (!best || score > best.score) best = { mention, place, score, features };
  }
  return best;
}

/** Resolve every place mention; the focus is refined once with the towns resolved under it. */
export function resolvePlaces(doc: Doc, skip?: (start: number) => boolean): { resolved: Resolved[]; focus: CountryFocus } {
  const focus = countryFocus(doc, skip);
  const mentions = doc.places.filter((m) => !skip?.(m.start));
  const parents = new Map(mentions.map((m) => [m, parentUnits(doc, m)] as const));
  let resolved = mentions.map((m) => resolveMention(m, focus, parents.get(m))).filter((r): r is Resolved => r !== null);
  // Refine: towns resolved under the first focus vote for their country.
  const refined: CountryFocus = new Map(focus);
  for (const r of resolved) {
    const insideActor = doc.actors.some((a) => r.mention.start >= a.start && r.mention.end <= a.end);
    if (r.place.level !== 'country' && r.mention.via === 'name' && !r.mention.fuzzy && !insideActor) refined.set(r.place.iso2, (refined.get(r.place.iso2) ?? 0) + W.uniqueTown);
  }
  resolved = mentions.map((m) => resolveMention(m, refined, parents.get(m))).filter((r): r is Resolved => r !== null);
  return { resolved, focus: refined };
}

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
  chosen: CandidateExplanation | null;
  candidates: CandidateExplanation[];
}

/**
 * Why each place mention resolved as it did: the document's country focus and, for every mention,
 * every candidate with its named features and score (what `sitrep extract --explain` prints).
 */
export function explainPlaces(doc: Doc, limit = 5): { focus: Record<string, number>; places: PlaceExplanation[] } {
  const { resolved, focus } = resolvePlaces(doc);
  let total = 0;
  for (const v of focus.values()) total += v;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const explain = (place: Place, mention: PlaceMention): CandidateExplanation => {
    const features = scoreCandidate(place, mention, focus, total);
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
      chosen: r ? explain(r.place, m) : null,
      candidates,
    };
  });
  const byIso3: Record<string, number> = {};
  for (const [iso2, w] of focus) byIso3[countryByIso2(iso2)?.iso3 ?? iso2] = round(w);
  return { focus: byIso3, places };
}
