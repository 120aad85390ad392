/**
 * The document model and the event record.
 *
 * One `Doc` carries the cleaned article text through the whole pipeline. Each annotator adds
 * typed mentions (spans over `Doc.text`, character offsets, never copied substrings as currency);
 * the assembler turns them into `SitrepEvent`s whose every field can point back at a span.
 * The event record follows ../shared/event-schema.md: do not rename or drop its fields.
 */

/** An article as read from a file, a JSON line, or HTML, before and after cleaning. */
export interface Article {
  id: string;
  title: string | null;
  url: string | null;
  /** YYYY-MM-DD, or null when unknown. */
  published: string | null;
  /** The cleaned text: every offset in the output points into it. */
  text: string;
  /** Boilerplate lines that cleaning removed, in order. */
  removed: string[];
  /** Where the article came from (file path, "stdin", "line 3 of x.jsonl"). */
  source?: string;
}

/** A half-open character range [start, end) in `Doc.text`. */
export interface Range {
  start: number;
  end: number;
}

export interface Mention extends Range {
  /** Exactly `text.slice(start, end)`. */
  text: string;
}

export interface Sentence extends Range {
  index: number;
}

// ---------------------------------------------------------------- quantities

export type Qualifier = 'exact' | 'at_least' | 'at_most' | 'about' | 'vague' | 'unknown';

export interface Quantity extends Mention {
  /** The number as ACLED would count it ("dozens" 12, "hundreds" 100, "several" 3); null when unknown. */
  value: number | null;
  /** Upper end of a range ("between 10 and 15" → 15), else null. */
  high: number | null;
  qualifier: Qualifier;
  /** For vague quantities, the vague word as written in lower case ("several", "dozens"). */
  vague?: string;
  /** True for an article standing for one person ("a customs officer"), so the caller can demand a person noun. */
  indefinite?: boolean;
}

// ---------------------------------------------------------------- dates

export type DateGranularity = 'day' | 'week' | 'month' | 'year';

export interface DateMention extends Mention {
  /** Resolved date, YYYY-MM-DD (the middle of the period for a week or month); null when it cannot be anchored. */
  date: string | null;
  /** End of a range ("from 1 to 5 March"), YYYY-MM-DD, else null. */
  end_date: string | null;
  granularity: DateGranularity;
  /** How it was found: a dateline, a full date in the text, or a relative expression. */
  kind: 'dateline' | 'absolute' | 'relative';
  /** True when the text itself states the year. */
  year_stated: boolean;
  /** "around 9 May" / "as reported". */
  approximate: boolean;
}

// ---------------------------------------------------------------- places

export interface Place {
  name: string;
  /** ISO 3166-1 alpha-2 and alpha-3 codes and the English short name of the country. */
  iso2: string;
  iso3: string;
  country: string;
  admin1: string | null;
  admin2: string | null;
  latitude: number | null;
  longitude: number | null;
  /** What kind of place it is. */
  level: 'country' | 'admin1' | 'admin2' | 'town';
  population: number;
  /** Gazetteer id, e.g. "geonames:2455465". */
  id: string;
  /**
   * GeoNames feature code of a town or site when known: "PPLA" the seat of a first-level unit,
   * "PPLA2" of a second-level unit, "PPLC" a capital, "PPL" a village, "WLL" a well, "LCTY" a locality.
   */
  feature?: string;
  /** From a GeoNames dump the user imported (not the built-in table, whose units the build completed). */
  imported?: boolean;
}

export interface PlaceMention extends Mention {
  /** How the place is referred to: the name itself, or a demonym ("Malian"). */
  via: 'name' | 'demonym';
  /** Candidates, best first. */
  candidates: Place[];
  /** Spatial relation stated in the text. */
  relation: 'in' | 'near' | 'between' | 'none';
  /** Found by a spelling-tolerant key rather than the exact name: weaker evidence of a country. */
  fuzzy?: boolean;
  /**
   * A name the gazetteer does not know, found because the text states the units it lies in
   * ("Marsi (Gao, Gao)", "Puli Alam city, Logar Province"): it has no candidates of its own and is
   * located through those units.
   */
  unresolved?: boolean;
  /** A common word taken for a place only by its context ("in Dire", "near Mine"): it names no country, and stands only in the event's country. */
  weak?: boolean;
  /** The kind word written after the name ("district", "village", "area"), lower case. */
  kind?: string;
}

// ---------------------------------------------------------------- actors

export type Inter = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface ActorMention extends Mention {
  /** Registry id of a named actor, or of a generic actor template ("generic:military"). */
  actor_id: string;
  /** Canonical name for a named actor; for generic ones the template with `{country}` ("Military Forces of {country}"). */
  name: string;
  inter: Inter;
  /** ISO3 of the country the mention itself states ("Malian soldiers" → MLI) or the registry gives; else null. */
  iso3: string | null;
  generic: boolean;
  /** For a named actor that belongs to a larger one (a katiba of JNIM), the parent's canonical name. */
  parent?: string;
  /** The short label analysts use ("JNIM"), for claimants. */
  short: string;
  /** Who the mention is as a victim category, when it is one ("soldiers", "civilians", "militants"). */
  noun?: string;
  /** For a named armed group, where it mostly operates: event country (ISO3) → first-level units, likeliest first (data/actors.json). */
  areas?: Record<string, string[]>;
  /** The town its operations in its first area of a country centre on, when that unit's seat lies outside them (data/actors.json). */
  around?: Record<string, string>;
}

// ---------------------------------------------------------------- triggers and attribution

export type EventType =
  | 'Battles'
  | 'Explosions/Remote violence'
  | 'Violence against civilians'
  | 'Protests'
  | 'Riots'
  | 'Strategic developments';

export type Weapon =
  | 'firearms'
  | 'explosives'
  | 'landmine'
  | 'ied'
  | 'suicide'
  | 'artillery'
  | 'airstrike'
  | 'drone'
  | 'incendiary'
  | 'melee'
  | 'vehicle'
  | 'chemical'
  | 'other';

export interface Trigger extends Mention {
  /** The lemma-like label of the trigger ("kill", "ambush", "clash", "abduct"). */
  label: string;
  /** The coarse action class used by the assembler. */
  action: TriggerAction;
  /** Weapons the trigger itself implies ("shelled" → artillery). */
  weapons: Weapon[];
  /** True when negated or hypothetical ("denied attacking", "threatened to attack"). */
  negated: boolean;
  /**
   * True when the trigger reports one occurrence: a past-tense verb ("attacked", "were killed") or an
   * event noun with a determiner ("an explosion", "the ambush"); false for generic talk of violence
   * ("the fighting", "their attacks", "carry out ambushes").
   */
  specific: boolean;
}

export type TriggerAction =
  | 'kill'
  | 'injure'
  | 'attack'
  | 'clash'
  | 'ambush'
  | 'explosion'
  | 'shelling'
  | 'airstrike'
  | 'suicide'
  | 'grenade'
  | 'abduct'
  | 'arrest'
  | 'loot'
  | 'destroy'
  | 'protest'
  | 'riot'
  | 'capture'
  | 'retake'
  | 'defuse'
  | 'seize'
  | 'agreement'
  | 'sexual'
  | 'chemical'
  | 'displace'
  | 'mob'
  | 'base'
  | 'movement'
  | 'threat'
  | 'massacre';

export interface WeaponMention extends Mention {
  weapon: Weapon;
}

export interface Attribution extends Mention {
  /** Who says it, as written or normalised ("the army" → "Military Forces of Mali" is done by the assembler). */
  claimant: string;
  /** Kind of attribution cue. */
  cue: 'said' | 'according_to' | 'claimed_responsibility' | 'statement' | 'anonymous' | 'local_sources' | 'told' | 'reported';
  /** The actor mention the claimant refers to, if any (offset of that mention). */
  actor_start?: number;
}

// ---------------------------------------------------------------- the doc

export interface Doc {
  article: Article;
  text: string;
  sentences: Sentence[];
  quantities: Quantity[];
  dates: DateMention[];
  places: PlaceMention[];
  actors: ActorMention[];
  triggers: Trigger[];
  weapons: WeaponMention[];
  attributions: Attribution[];
}

// ---------------------------------------------------------------- events

export type ClaimKind = 'killed' | 'injured' | 'abducted' | 'arrested' | 'missing' | 'displaced';

export interface Claim {
  kind: ClaimKind;
  count: number | null;
  count_high: number | null;
  qualifier: Qualifier;
  claimant: string | null;
  victim: string | null;
  text: string;
  start: number;
  end: number;
  article_id?: string;
}

export interface EventSource {
  article_id: string;
  url: string | null;
  title: string | null;
  published: string | null;
  source: string | null;
}

export interface Evidence {
  field: string;
  start: number;
  end: number;
}

export interface SitrepEvent {
  event_id: string;
  event_date: string | null;
  time_precision: 1 | 2 | 3 | null;
  event_type: EventType;
  sub_event_type: string;
  disorder_type: string;
  actor1: string | null;
  assoc_actor_1: string | null;
  actor2: string | null;
  assoc_actor_2: string | null;
  inter1: Inter | null;
  inter2: Inter | null;
  interaction: number | null;
  civilian_targeting: boolean;
  country: string | null;
  iso3: string | null;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  geo_precision: 1 | 2 | 3 | null;
  /**
   * What the coordinates stand for: the place itself, a point near it ("near X", "between X and Y"),
   * or the unit that contains it (a district, a region, a country at its capital) when the place is
   * known only by the units the text states.
   */
  geo_basis: 'place' | 'near' | 'between' | 'admin2' | 'admin1' | 'country' | null;
  fatalities: number;
  fatalities_low: number;
  fatalities_best: number;
  fatalities_high: number;
  injured_low: number;
  injured_best: number;
  injured_high: number;
  weapons: Weapon[];
  claims: Claim[];
  sources: EventSource[];
  evidence: Evidence[];
  notes: string;
}

/** What `sitrep extract` prints for one article. */
export interface ExtractResult {
  article: Article;
  events: SitrepEvent[];
}

/** Raised for input that cannot be read: the message names the input and what is wrong. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`${input}: ${reason}`);
    this.name = 'InputError';
  }
}

/** An article as given to the pipeline, before reading and cleaning (the JSON/JSONL input shape). */
export interface ArticleInput {
  id?: string;
  text?: string;
  html?: string;
  /** YYYY-MM-DD (a full ISO timestamp is accepted and cut to its date). */
  published?: string;
  url?: string;
  title?: string;
  /** Where it came from, for error messages ("line 3 of feed.jsonl"). */
  source?: string;
}
