/**
 * The merge step of ingest: what happens to an article's events once they are stored, inside the
 * article's transaction, so that an article is never stored without its canonical events.
 *
 * `mergeCanonicals` (opt-in: `sitrep ingest --merge`) joins each event to the best-scoring active canonical event, by
 * the decision of src/merge/cluster.ts (`chooseCandidate`, the same one the in-memory clusterer and
 * the benchmark use): candidates are the active canonical events of the event's country (and of the
 * country its article names, when its own is doubtful: src/merge/countries.ts) and type family dated within its window and a week (`candidateDates`, through `listCanonical`'s indexed filters); those
 * whose structured fields conflict are dropped before any text is read; the rest are scored with
 * the evidence terms of each of their member reports. A join records a `pair` decision (the event
 * and the member whose evidence matched best, score and reasons) and reconciles the record again;
 * otherwise the event becomes its own canonical event. `singletonCanonicals` (the default,
 * `DEFAULT_MERGE_STEP`) makes every article event its own canonical
 * event: the canonical id is the event's id, the record is the event's own with its `sources` and
 * with `article_id` on each claim and evidence span.
 *
 * Evidence terms come from article texts: the stored article's text for its own events, and
 * `getArticle` + `articleEvents` for a candidate's members, kept in a bounded per-process cache
 * (keyed by the store, the article and the member's evidence spans, so that a replaced text is read
 * again).
 */
import { randomUUID } from 'node:crypto';
import type { SitrepEvent } from '../core/types.js';
import { candidateDates, chooseCandidate, countryKey, evidenceTerms, FAMILY_TYPES, mergeable, mergeCountries, namedCountries, reconcile, scoreFields, singletonRecord, typeFamily } from '../merge/index.js';
import type { Candidate, Report, Terms } from '../merge/index.js';
import type { Article } from '../core/types.js';
import type { CanonicalEvent, Json, PutResult, Store } from '../store/index.js';

export { singletonRecord };

/** An article that `putArticle` has just stored (new or replaced), with the events it stored. */
export interface StoredArticleEvents {
  article: Article;
  put: PutResult;
  events: readonly SitrepEvent[];
}

/**
 * Runs inside the article's transaction, after `putArticle`; returns how many canonical events it
 * created or changed. When it throws, the article is not stored either.
 */
export type MergeStep = (tx: Store, stored: StoredArticleEvents) => Promise<number>;

/**
 * One canonical event per article event, with the event's id. An article replaced by a new text
 * retires its old canonical events (the store does that when their members go); an event that comes
 * back with the same id brings its canonical event back, rewritten.
 */
export const singletonCanonicals: MergeStep = async (tx, { put, events }) => {
  if (events.length === 0) return 0;
  const ids = await tx.putCanonicals(events.map((e) => ({ id: e.event_id, event: singletonRecord(e, put.id), members: [e.event_id] })));
  return ids.length;
};

/** The article events that are members of a canonical event (read through the articles its sources name). */
export async function memberEvents(tx: Store, canonical: CanonicalEvent): Promise<SitrepEvent[]> {
  const wanted = new Set(canonical.members);
  const out: SitrepEvent[] = [];
  for (const s of canonical.event.sources) {
    for (const e of await tx.articleEvents(s.article_id)) if (wanted.has(e.event_id)) (wanted.delete(e.event_id), out.push(singletonRecord(e, s.article_id)));
  }
  return out;
}

/** Recomputes a canonical event's record from its members (after one left); retired ones are left alone. */
export async function rebuildCanonical(tx: Store, id: string): Promise<void> {
  const c = await tx.getCanonical(id);
  if (!c || c.members.length === 0) return;
  const members = await memberEvents(tx, c);
  if (members.length) await tx.updateCanonical(id, reconcile(members, id));
}

// ---------------------------------------------------------------- evidence terms of stored reports

/** Articles whose terms are kept (each a map of its events' terms); the oldest go first. */
const CACHE_ARTICLES = 20_000;

interface CachedArticle {
  /** event id → its evidence spans and terms */
  events: Map<string, { spans: string[]; terms: Terms }>;
}

const termCache = new Map<string, CachedArticle>();

const cacheKey = (tx: Store, articleId: string) => `${tx.where}\u0000${articleId}`;

/** The evidence and claim spans of an event, or of one article's part of a merged record. */
function spansOf(event: Pick<SitrepEvent, 'evidence' | 'claims'>, articleId: string): string[] {
  const own = (s: object) => {
    const id = (s as { article_id?: string }).article_id;
    return id === undefined || id === articleId;
  };
  return [...event.evidence.filter(own).map((s) => `${s.field}:${s.start}-${s.end}`), ...event.claims.filter(own).map((c) => `claim:${c.start}-${c.end}`)];
}

function remember(tx: Store, articleId: string, text: string, events: readonly SitrepEvent[]): CachedArticle {
  const entry: CachedArticle = { events: new Map(events.map((e) => [e.event_id, { spans: spansOf(e, articleId), terms: evidenceTerms(e, text) }])) };
  const key = cacheKey(tx, articleId);
  termCache.delete(key);
  termCache.set(key, entry);
  if (termCache.size > CACHE_ARTICLES) termCache.delete(termCache.keys().next().value!);
  return entry;
}

/**
 * The member reports of a canonical event with their evidence terms (sources in order, then each
 * article's events in order). A cached article whose member spans are not all in the record any
 * more (its text was replaced) is read again; members whose article is gone are left out.
 */
async function memberTerms(tx: Store, c: CanonicalEvent): Promise<Array<{ id: string; terms: Terms }>> {
  const out: Array<{ id: string; terms: Terms }> = [];
  const wanted = new Set(c.members);
  for (const s of c.event.sources) {
    const inRecord = new Set(spansOf(c.event, s.article_id));
    let entry = termCache.get(cacheKey(tx, s.article_id));
    const fresh = entry && [...entry.events].some(([id, m]) => wanted.has(id) && m.spans.every((x) => inRecord.has(x)));
    if (!entry || !fresh) {
      const article = await tx.getArticle(s.article_id);
      if (!article) continue;
      entry = remember(tx, s.article_id, article.text, await tx.articleEvents(s.article_id));
    }
    for (const [id, m] of entry.events) if (wanted.has(id)) out.push({ id, terms: m.terms });
  }
  return out;
}

// ---------------------------------------------------------------- the merger

/**
 * The canonical events of the report's countries (its own, and the one its article names when its own
 * is doubtful: `mergeCountries`) and type family dated within `reachDays(e)` of it (`candidateDates`;
 * all pages).
 */
async function candidatesOf(tx: Store, report: Report): Promise<CanonicalEvent[]> {
  const e = report.event;
  const dates = candidateDates(e)!;
  const countries = report.countries?.length ? [...report.countries] : [e.iso3 ?? e.country!];
  const filter = { ...dates, country: countries.length === 1 ? countries[0]! : countries, eventType: FAMILY_TYPES[typeFamily(e.event_type)]! };
  const out: CanonicalEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await tx.listCanonical(filter, cursor, 1000);
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

interface StoredCandidate extends Candidate {
  canonical: CanonicalEvent;
  /** The member event ids, in the order of `terms`. */
  memberIds: string[];
}

/**
 * The merger: each event of the article joins the candidate `chooseCandidate` picks (a pair
 * decision, members, the record reconciled again) or becomes a singleton. Canonical events that
 * already hold an event of this article, and any holding an event whose pair with this one was
 * undone, are never joined.
 */
export const mergeCanonicals: MergeStep = async (tx, { article, put, events }) => {
  let changed = 0;
  // A replaced article's old events left the canonical events they had joined: reconcile those again.
  for (const id of put.affectedCanonical ?? []) {
    await rebuildCanonical(tx, id);
    changed++;
  }
  const own = remember(tx, put.id, article.text, events);
  const named = events.length ? namedCountries(article.text) : new Map<string, number>();
  const singles: SitrepEvent[] = [];
  for (const e of events) {
    const report: Report = { event: singletonRecord(e, put.id), article: put.id, terms: own.events.get(e.event_id)!.terms, countries: mergeCountries(e, named) };
    const joined = mergeable(e) ? await joinBest(tx, report) : false;
    if (joined) changed++;
    else singles.push(e);
  }
  if (singles.length) {
    const inputs = [];
    // A new article's event ids are new: no canonical event can have one as its id yet.
    for (const e of singles) inputs.push({ id: put.status === 'new' ? e.event_id : await singletonId(tx, e.event_id), event: singletonRecord(e, put.id), members: [e.event_id] });
    changed += (await tx.putCanonicals(inputs)).length;
  }
  return changed;
};

/**
 * The id of an event's own canonical event: the event id, unless a canonical event of that id still
 * holds other members (the event seeded a merge, then its article was replaced and it did not
 * rejoin): then a fresh id, so that their record is not overwritten.
 */
export async function singletonId(tx: Store, eventId: string): Promise<string> {
  const c = await tx.getCanonical(eventId);
  return c && c.members.some((m) => m !== eventId) ? `${eventId}~${randomUUID().slice(0, 8)}` : eventId;
}

async function joinBest(tx: Store, report: Report): Promise<boolean> {
  const e = report.event;
  const countries = report.countries ?? [countryKey(e)];
  const compatible = (await candidatesOf(tx, report)).filter(
    (c) =>
      !c.event.sources.some((s) => s.article_id === report.article) &&
      !c.members.includes(e.event_id) &&
      scoreFields(e, c.event, { a: countries, b: [countryKey(c.event)] }).conflict === null,
  );
  if (compatible.length === 0) return false;
  const undone = await tx.mergeDecisions({ eventIds: [e.event_id], undone: true });
  const refused = new Set(undone.flatMap((d) => d.events).filter((id) => id !== e.event_id));
  const candidates: StoredCandidate[] = [];
  for (const c of compatible) {
    if (c.members.some((m) => refused.has(m))) continue;
    const members = await memberTerms(tx, c);
    candidates.push({ canonical: c, memberIds: members.map((m) => m.id), record: c.event, terms: members.map((m) => m.terms), articles: new Set(c.event.sources.map((s) => s.article_id)) });
  }
  const best = chooseCandidate(report, candidates);
  if (!best) return false;
  const c = best.candidate.canonical;
  const partner = best.candidate.memberIds[best.member] ?? c.members[0]!;
  const decision = await tx.recordMergeDecision({
    kind: 'pair',
    events: [e.event_id, partner],
    canonicalId: c.id,
    score: best.score,
    reasons: { joined: e.event_id, into: c.id, partner, reasons: best.reasons } as unknown as Json,
  });
  // The reconciled record and the new member in one write (putCanonicals keeps the other members and their decisions).
  await tx.putCanonicals([{ id: c.id, event: reconcile([c.event, e], c.id), members: [e.event_id], decisionId: decision.id }]);
  return true;
}

/**
 * Singletons by default: every article event is its own canonical event, and merging is opt-in
 * (`sitrep ingest --merge`, or `merge: mergeCanonicals`). An analyst would rather see two reports
 * of one event than one event made of two: the merger's pairwise precision on MUC-4 (0.2, see
 * src/merge/README.md) is far below the 0.85 a default needs.
 */
export const DEFAULT_MERGE_STEP: MergeStep = singletonCanonicals;
