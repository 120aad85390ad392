/**
 * The merge step of ingest: what happens to an article's events once they are stored, inside the
 * article's transaction, so that an article is never stored without its canonical events.
 *
 * Until there is a merger (src/merge/), `singletonCanonicals` makes every article event its own
 * canonical event: the canonical id is the event's id, the record is the event's own with its
 * `sources` and with `article_id` on each claim and evidence span, and the event is its only member.
 * `sitrep export` and the API read canonical events only, so they work before the merger exists.
 *
 * The merger replaces this one function (pass it to `ingestArticles` as `merge`, or change
 * `DEFAULT_MERGE_STEP`): it gets the same transaction and the stored article's events, and decides
 * which existing canonical events they join (recording merge decisions) or which new ones they make.
 */
import type { Article, Claim, Evidence, EventSource, SitrepEvent } from '../core/types.js';
import type { PutResult, Store } from '../store/index.js';

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

/** An article event as a canonical record on its own: claims and evidence say which article they point into. */
export function singletonRecord(event: SitrepEvent, articleId: string): SitrepEvent {
  const sources: EventSource[] = event.sources.length
    ? event.sources.map((s) => ({ ...s, article_id: s.article_id || articleId }))
    : [{ article_id: articleId, url: null, title: null, published: null, source: null }];
  const claims: Claim[] = event.claims.map((c) => ({ ...c, article_id: c.article_id ?? articleId }));
  const evidence = event.evidence.map((e): Evidence & { article_id: string } => ({ ...e, article_id: articleId }));
  return { ...event, sources, claims, evidence };
}

/**
 * The placeholder merger: one canonical event per article event, with the event's id. An article
 * replaced by a new text retires its old canonical events (the store does that when their members
 * go); an event that comes back with the same id brings its canonical event back, rewritten.
 */
export const singletonCanonicals: MergeStep = async (tx, { put, events }) => {
  if (events.length === 0) return 0;
  const ids = await tx.putCanonicals(events.map((e) => ({ id: e.event_id, event: singletonRecord(e, put.id), members: [e.event_id] })));
  return ids.length;
};

export const DEFAULT_MERGE_STEP: MergeStep = singletonCanonicals;
