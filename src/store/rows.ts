/**
 * The records the store returns, and the conversions that make both drivers' values look the same
 * (ids as numbers, timestamps as ISO strings; dates are cast to text in the SQL).
 */
import type { Article, Claim, SitrepEvent } from '../core/types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A stored article: the Article fields plus what the store adds. */
export interface StoredArticle extends Article {
  content_hash: string;
  /** 1 for the first text, +1 for each replacement. */
  version: number;
  /** The `sources` name the article is filed under (the URL's host, or the name given to putArticle). */
  site: string | null;
  created_at: string;
  updated_at: string;
}

/** A text that a changed article replaced, with the events that were extracted from it. */
export interface ArticleVersion {
  article_id: string;
  version: number;
  url: string | null;
  title: string | null;
  published: string | null;
  source: string | null;
  text: string;
  removed: string[];
  content_hash: string;
  events: SitrepEvent[];
  stored_at: string;
  replaced_at: string;
}

export interface StoredClaim extends Claim {
  article_id: string;
  event_id: string;
}

export interface StoredArticleEvent {
  article_id: string;
  /** The canonical event it belongs to, or null while unmerged. */
  canonical_id: string | null;
  event: SitrepEvent;
}

export interface CanonicalEvent {
  id: string;
  status: 'active' | 'retired';
  /** True when its members changed since the merger last wrote `event`. */
  stale: boolean;
  /** The merged record as the merger wrote it (`event_id` is the canonical id). */
  event: SitrepEvent;
  /** Article event ids, sorted. */
  members: string[];
  created_at: string;
  updated_at: string;
}

export interface MergeDecision {
  id: number;
  kind: 'pair' | 'member';
  canonical_id: string | null;
  /** For a pair, the two article events (in byte order); for a member decision, the one event. */
  events: string[];
  score: number;
  reasons: Json;
  decided_by: string;
  decided_at: string;
  undone: boolean;
  undone_at: string | null;
  undone_by: string | null;
  undo_reason: string | null;
}

export interface StoreCounts {
  sources: number;
  articles: number;
  article_versions: number;
  article_events: number;
  claims: number;
  evidence: number;
  canonical_events: number;
  canonical_members: number;
  merge_decisions: number;
}

/** A timestamp from either driver (a Date, or a string) as an ISO 8601 string in UTC. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** A bigint from either driver (number in PGlite, string in pg). */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export const ARTICLE_COLUMNS = `a.id, a.url, a.title, a.published::text as published, a.source, a.text, a.removed,
  a.content_hash, a.version, a.created_at, a.updated_at, (select s.name from sources s where s.id = a.source_id) as site`;

export function toArticle(r: Record<string, unknown>): StoredArticle {
  const out: StoredArticle = {
    id: r['id'] as string,
    title: (r['title'] as string | null) ?? null,
    url: (r['url'] as string | null) ?? null,
    published: (r['published'] as string | null) ?? null,
    text: r['text'] as string,
    removed: (r['removed'] as string[] | null) ?? [],
    content_hash: r['content_hash'] as string,
    version: num(r['version']),
    site: (r['site'] as string | null) ?? null,
    created_at: iso(r['created_at']),
    updated_at: iso(r['updated_at']),
  };
  if (typeof r['source'] === 'string') out.source = r['source'];
  return out;
}

export const DECISION_COLUMNS = `d.id, d.kind, d.canonical_id, d.event_a, d.event_b, d.score, d.reasons, d.decided_by,
  d.decided_at, d.undone, d.undone_at, d.undone_by, d.undo_reason`;

export function toDecision(r: Record<string, unknown>): MergeDecision {
  const b = r['event_b'] as string | null;
  return {
    id: num(r['id']),
    kind: r['kind'] as 'pair' | 'member',
    canonical_id: (r['canonical_id'] as string | null) ?? null,
    events: b === null ? [r['event_a'] as string] : [r['event_a'] as string, b],
    score: num(r['score']),
    reasons: r['reasons'] as Json,
    decided_by: r['decided_by'] as string,
    decided_at: iso(r['decided_at']),
    undone: r['undone'] === true,
    undone_at: isoOrNull(r['undone_at']),
    undone_by: (r['undone_by'] as string | null) ?? null,
    undo_reason: (r['undo_reason'] as string | null) ?? null,
  };
}

export const CANONICAL_COLUMNS = `c.id, c.status, c.stale, c.data, c.created_at, c.updated_at,
  array(select m.event_id from canonical_members m where m.canonical_id = c.id order by m.event_id collate "C") as members`;

export function toCanonical(r: Record<string, unknown>): CanonicalEvent {
  return {
    id: r['id'] as string,
    status: r['status'] as 'active' | 'retired',
    stale: r['stale'] === true,
    event: r['data'] as SitrepEvent,
    members: (r['members'] as string[] | null) ?? [],
    created_at: iso(r['created_at']),
    updated_at: iso(r['updated_at']),
  };
}
