/**
 * Checks what is about to be stored, before any write: a bad article or event is refused whole,
 * with a message naming the article and what is wrong ("article a-17: event 2 (a-17:2:9f3c):
 * event_date "2023-02-30" is not a valid date (YYYY-MM-DD)"). The checks are about storability
 * (types, ranges, offsets into the text), not about what the words mean.
 */
import { InputError } from '../core/types.js';
import type { Article, SitrepEvent } from '../core/types.js';

/** Input the store refuses; `articleId` names the article ("(no id)" when it has none). */
export class StoreInputError extends InputError {
  constructor(
    readonly articleId: string,
    reason: string,
  ) {
    super(`article ${articleId}`, reason);
    this.name = 'StoreInputError';
  }
}

const INT_MAX = 2_147_483_647;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (years 0001–9999). */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1) return false;
  const t = new Date(Date.UTC(2000, mo - 1, d));
  t.setUTCFullYear(y);
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : typeof v === 'object' ? 'an object' : String(v);

/** Field checks that report through `fail(reason)`. */
class Checker {
  constructor(readonly fail: (reason: string) => never) {}

  optString(o: Obj, key: string, where: string): string | null {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.fail(`${where}${key} must be a string or null, got ${describe(v)}`);
    return v;
  }

  string(o: Obj, key: string, where: string, nonEmpty = true): string {
    const v = o[key];
    if (typeof v !== 'string') this.fail(`${where}${key} must be a string, got ${v === undefined ? 'nothing' : describe(v)}`);
    if (nonEmpty && v.trim() === '') this.fail(`${where}${key} is empty`);
    return v;
  }

  optDate(o: Obj, key: string, where: string): string | null {
    const v = this.optString(o, key, where);
    if (v !== null && !isIsoDate(v)) this.fail(`${where}${key} ${describe(v)} is not a valid date (YYYY-MM-DD)`);
    return v;
  }

  optInt(o: Obj, key: string, where: string, min = -INT_MAX, nullable = true): number | null {
    const v = o[key];
    if (nullable && (v === undefined || v === null)) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > INT_MAX) {
      const got = v === undefined ? 'nothing' : describe(v);
      this.fail(`${where}${key} must be an integer${min === 0 ? ' ≥ 0' : ''}${nullable ? ' or null' : ''}, got ${got}`);
    }
    return v;
  }

  int(o: Obj, key: string, where: string, min = 0): number {
    return this.optInt(o, key, where, min, false)!;
  }

  optEnum<T extends number>(o: Obj, key: string, where: string, allowed: readonly T[]): T | null {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (!allowed.includes(v as T)) this.fail(`${where}${key} must be one of ${allowed.join(', ')} or null, got ${describe(v)}`);
    return v as T;
  }

  optCoord(o: Obj, key: string, where: string, limit: number): number | null {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > limit) {
      this.fail(`${where}${key} must be a number from -${limit} to ${limit} or null, got ${describe(v)}`);
    }
    return v;
  }

  array(o: Obj, key: string, where: string): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(`${where}${key} must be an array, got ${describe(v)}`);
    return v;
  }
}

/** An article row as the store writes it. */
export interface ArticleRow {
  id: string;
  url: string | null;
  title: string | null;
  published: string | null;
  source: string | null;
  text: string;
  removed: string[];
}

/** The indexed columns of an event (article or canonical) plus its JSON. */
export interface EventRow {
  event_id: string;
  ordinal: number;
  event_date: string | null;
  time_precision: number | null;
  event_type: string;
  sub_event_type: string;
  disorder_type: string | null;
  actor1: string | null;
  assoc_actor_1: string | null;
  actor2: string | null;
  assoc_actor_2: string | null;
  actors: string[];
  inter1: number | null;
  inter2: number | null;
  country: string | null;
  iso3: string | null;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  geo_precision: number | null;
  fatalities: number;
  fatalities_low: number | null;
  fatalities_best: number | null;
  fatalities_high: number | null;
  injured_low: number | null;
  injured_best: number | null;
  injured_high: number | null;
  notes: string | null;
  data: SitrepEvent;
}

export interface SpanRow {
  event_id: string;
  ordinal: number;
  span_start: number;
  span_end: number;
  span_text: string;
}

export interface ClaimRow extends SpanRow {
  kind: string;
  count: number | null;
  count_high: number | null;
  qualifier: string;
  claimant: string | null;
  victim: string | null;
}

export interface EvidenceRow extends SpanRow {
  field: string;
}

export interface CheckedArticle {
  article: ArticleRow;
  events: EventRow[];
  claims: ClaimRow[];
  evidence: EvidenceRow[];
}

/** actor1, actor2 and the "; "-separated associated actors, once each, in that order. */
export function actorsOf(e: { actor1: string | null; actor2: string | null; assoc_actor_1: string | null; assoc_actor_2: string | null }): string[] {
  const out: string[] = [];
  const add = (name: string | null) => {
    const n = name?.trim();
    if (n && !out.includes(n)) out.push(n);
  };
  add(e.actor1);
  add(e.actor2);
  for (const assoc of [e.assoc_actor_1, e.assoc_actor_2]) for (const part of assoc?.split(';') ?? []) add(part);
  return out;
}

/**
 * Checks one event's storable fields. With `text`, claims and evidence must be spans of it (claim
 * text equal to the slice); without (a canonical event, whose spans point into several articles),
 * only their types are checked.
 */
function checkEvent(raw: unknown, ordinal: number, c: Checker, text: string | null, label: string): { row: EventRow; claims: ClaimRow[]; evidence: EvidenceRow[] } {
  const where = label ? `${label}: ` : '';
  if (!isObj(raw)) c.fail(`${label || 'the event'} must be an object, got ${describe(raw)}`);
  const e = raw as Obj;
  const event_id = c.string(e, 'event_id', where);
  const row: EventRow = {
    event_id,
    ordinal,
    event_date: c.optDate(e, 'event_date', where),
    time_precision: c.optEnum(e, 'time_precision', where, [1, 2, 3]),
    event_type: c.string(e, 'event_type', where),
    sub_event_type: c.string(e, 'sub_event_type', where, false),
    disorder_type: c.optString(e, 'disorder_type', where),
    actor1: c.optString(e, 'actor1', where),
    assoc_actor_1: c.optString(e, 'assoc_actor_1', where),
    actor2: c.optString(e, 'actor2', where),
    assoc_actor_2: c.optString(e, 'assoc_actor_2', where),
    actors: [],
    inter1: c.optEnum(e, 'inter1', where, [1, 2, 3, 4, 5, 6, 7, 8]),
    inter2: c.optEnum(e, 'inter2', where, [1, 2, 3, 4, 5, 6, 7, 8]),
    country: c.optString(e, 'country', where),
    iso3: c.optString(e, 'iso3', where),
    admin1: c.optString(e, 'admin1', where),
    admin2: c.optString(e, 'admin2', where),
    location: c.optString(e, 'location', where),
    latitude: c.optCoord(e, 'latitude', where, 90),
    longitude: c.optCoord(e, 'longitude', where, 180),
    geo_precision: c.optEnum(e, 'geo_precision', where, [1, 2, 3]),
    fatalities: c.int(e, 'fatalities', where, 0),
    fatalities_low: c.optInt(e, 'fatalities_low', where, 0),
    fatalities_best: c.optInt(e, 'fatalities_best', where, 0),
    fatalities_high: c.optInt(e, 'fatalities_high', where, 0),
    injured_low: c.optInt(e, 'injured_low', where, 0),
    injured_best: c.optInt(e, 'injured_best', where, 0),
    injured_high: c.optInt(e, 'injured_high', where, 0),
    notes: c.optString(e, 'notes', where),
    data: e as unknown as SitrepEvent,
  };
  if ((row.latitude === null) !== (row.longitude === null)) {
    c.fail(`${where}latitude and longitude must both be numbers or both null`);
  }
  row.actors = actorsOf(row);

  const span = (o: Obj, w: string): { span_start: number; span_end: number; span_text: string } => {
    const start = c.int(o, 'start', w, 0);
    const end = c.int(o, 'end', w, 0);
    if (end < start) c.fail(`${w}end ${end} is before start ${start}`);
    if (text === null) return { span_start: start, span_end: end, span_text: typeof o['text'] === 'string' ? o['text'] : '' };
    if (end > text.length) c.fail(`${w}span ${start}–${end} is outside the article text (${text.length} characters)`);
    return { span_start: start, span_end: end, span_text: text.slice(start, end) };
  };

  const claims = c.array(e, 'claims', where).map((raw, i): ClaimRow => {
    const w = `${where}claim ${i + 1} `;
    if (!isObj(raw)) c.fail(`${w}must be an object, got ${describe(raw)}`);
    const cl = raw as Obj;
    const s = span(cl, w);
    const stated = c.string(cl, 'text', w, false);
    if (text !== null && stated !== s.span_text) {
      c.fail(`${w}text ${describe(stated)} is not the article text at ${s.span_start}–${s.span_end} (${describe(s.span_text)})`);
    }
    return {
      event_id,
      ordinal: i,
      ...s,
      span_text: stated,
      kind: c.string(cl, 'kind', w),
      count: c.optInt(cl, 'count', w, 0),
      count_high: c.optInt(cl, 'count_high', w, 0),
      qualifier: c.string(cl, 'qualifier', w),
      claimant: c.optString(cl, 'claimant', w),
      victim: c.optString(cl, 'victim', w),
    };
  });
  const evidence = c.array(e, 'evidence', where).map((raw, i): EvidenceRow => {
    const w = `${where}evidence ${i + 1} `;
    if (!isObj(raw)) c.fail(`${w}must be an object, got ${describe(raw)}`);
    const ev = raw as Obj;
    return { event_id, ordinal: i, field: c.string(ev, 'field', w), ...span(ev, w) };
  });
  return { row, claims, evidence };
}

/** Checks an article and its events; throws StoreInputError naming the article and the problem. */
export function checkArticle(article: Article, events: readonly SitrepEvent[]): CheckedArticle {
  const a = article as unknown as Obj;
  const rawId = isObj(a) ? a['id'] : undefined;
  const label = typeof rawId === 'string' && rawId.trim() !== '' ? rawId : typeof rawId === 'number' ? String(rawId) : '(no id)';
  const c: Checker = new Checker((reason) => {
    throw new StoreInputError(label, reason);
  });
  if (!isObj(a)) c.fail(`is not an object (got ${describe(article)})`);
  if (typeof rawId !== 'string' || rawId.trim() === '') c.fail(`field "id" must be a non-empty string`);
  if (typeof a['text'] !== 'string' || a['text'].trim() === '') c.fail(`has no text`);
  const text = a['text'] as string;
  const url = c.optString(a, 'url', 'field ')?.trim() || null;
  const removed = c.array(a, 'removed', 'field ');
  if (removed.some((r) => typeof r !== 'string')) c.fail(`field removed must be an array of strings`);
  const row: ArticleRow = {
    id: rawId,
    url,
    title: c.optString(a, 'title', 'field '),
    published: c.optDate(a, 'published', 'field '),
    source: c.optString(a, 'source', 'field '),
    text,
    removed: removed as string[],
  };
  if (!Array.isArray(events)) c.fail(`events must be an array, got ${describe(events)}`);
  const out: CheckedArticle = { article: row, events: [], claims: [], evidence: [] };
  const seen = new Set<string>();
  events.forEach((raw, i) => {
    const id = isObj(raw) && typeof raw['event_id'] === 'string' ? ` (${raw['event_id']})` : '';
    const checked = checkEvent(raw, i, c, text, `event ${i + 1}${id}`);
    if (seen.has(checked.row.event_id)) c.fail(`event ${i + 1}: event_id ${checked.row.event_id} appears twice`);
    seen.add(checked.row.event_id);
    out.events.push(checked.row);
    out.claims.push(...checked.claims);
    out.evidence.push(...checked.evidence);
  });
  return out;
}

/** Checks a canonical (merged) event: the same field checks, spans by type only. */
export function checkCanonicalEvent(event: SitrepEvent, id: string): EventRow {
  const c: Checker = new Checker((reason) => {
    throw new InputError(`canonical event ${id}`, reason);
  });
  return checkEvent({ ...event, event_id: id }, 0, c, null, '').row;
}
