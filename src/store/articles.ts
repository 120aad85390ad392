/**
 * Articles and their events: the SQL of `putArticle` and the article reads. Every function takes the
 * connection to run on; `putChecked` must run inside a transaction (the Store sees to it).
 */
import type { SitrepEvent } from '../core/types.js';
import type { Conn } from './driver.js';
import { lockKey } from './hash.js';
import { ARTICLE_COLUMNS, iso, num, toArticle } from './rows.js';
import type { ArticleVersion, StoredArticle, StoredClaim } from './rows.js';
import { StoreInputError } from './validate.js';
import type { CheckedArticle } from './validate.js';

export type PutStatus = 'new' | 'unchanged' | 'replaced';

export interface PutResult {
  /**
   * new: stored for the first time. unchanged: the same text (by normalised content hash) is
   * already stored, under this id, this URL, or another article: nothing was written.
   * replaced: the article (by id, else by URL) had another text: the old text and events went to
   * article_versions, the new events replaced them.
   */
  status: PutStatus;
  /** The stored article's id: the input's, or that of the article it matched. */
  id: string;
  /** How an existing article was found; null for a new one. */
  matchedBy: 'id' | 'url' | 'content_hash' | null;
  version: number;
  contentHash: string;
  /** Events written by this call (0 when unchanged). */
  events: number;
  /** Canonical events that lost members to the replacement: stale now, for the merger to revisit. */
  affectedCanonical: string[];
}

export interface PutOptions {
  /** The `sources` name to file the article under; default the URL's host. */
  site?: string;
}

interface Match {
  id: string;
  url: string | null;
  content_hash: string;
  version: number;
}

/** The host of `url` (without "www."), or null when it is not a URL. */
export function siteOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host ? host.replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}

/** The origin ("https://example.org") of `url`, or null when it has none. */
function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin && origin !== 'null' ? origin : null;
  } catch {
    return null;
  }
}

/** What `putArticle` would do with an article, found without writing (see `previewPut`). */
export interface PutPreview {
  /** new: nothing stored matches; unchanged: the same text is stored; replaced: a stored article (by id, else URL) has another text. */
  status: PutStatus;
  /** The id the article would be stored under: the input's, or that of the article it matches. */
  id: string;
  matchedBy: PutResult['matchedBy'];
  contentHash: string;
}

/** The preview of an article from the stored articles that share its id, URL or content hash (oldest first). */
function decide(found: readonly Match[], a: { id: string; url: string | null }, hash: string): PutPreview {
  const byId = found.find((r) => r.id === a.id);
  const byUrl = a.url ? found.find((r) => r.url === a.url) : undefined;
  if (byId && byUrl && byId.id !== byUrl.id) {
    throw new StoreInputError(a.id, `its url ${a.url} already belongs to article ${byUrl.id}`);
  }
  const existing = byId ?? byUrl;
  if (existing) {
    const matchedBy = byId ? 'id' : 'url';
    return { status: existing.content_hash === hash ? 'unchanged' : 'replaced', id: existing.id, matchedBy, contentHash: hash };
  }
  const twin = found.find((r) => r.content_hash === hash);
  if (twin) return { status: 'unchanged', id: twin.id, matchedBy: 'content_hash', contentHash: hash };
  return { status: 'new', id: a.id, matchedBy: null, contentHash: hash };
}

/**
 * The decision `putChecked` makes, taken from one read: lets a caller skip the work of extracting
 * events for an article that would come back unchanged, and extract a changed one under the id it
 * will be stored under. Throws StoreInputError where `putArticle` would (a URL owned by another article).
 */
export async function previewPut(conn: Conn, a: { id: string; url: string | null }, hash: string): Promise<PutPreview> {
  const found = await conn.query<Match>(
    `select id, url, content_hash, version from articles where id = $1 or url = $2 or content_hash = $3 order by created_at, id`,
    [a.id, a.url, hash],
  );
  return decide(found, a, hash);
}

/** `previewPut` for many articles in one read; a refusal is returned in the article's place. */
export async function previewPuts(conn: Conn, items: ReadonlyArray<{ id: string; url: string | null; hash: string }>): Promise<Array<PutPreview | StoreInputError>> {
  const rows = await conn.query<Match & { i: number }>(
    `select r.i::int as i, a.id, a.url, a.content_hash, a.version
       from unnest($1::text[], $2::text[], $3::text[]) with ordinality as r(id, url, hash, i)
       cross join lateral (
         select x.id, x.url, x.content_hash, x.version, x.created_at from articles x
          where x.id = r.id or x.url = r.url or x.content_hash = r.hash) a
      order by r.i, a.created_at, a.id`,
    [items.map((x) => x.id), items.map((x) => x.url), items.map((x) => x.hash)],
  );
  const byItem = new Map<number, Match[]>();
  for (const r of rows) {
    const i = num(r.i) - 1;
    const list = byItem.get(i) ?? [];
    list.push(r);
    byItem.set(i, list);
  }
  return items.map((item, i) => {
    try {
      return decide(byItem.get(i) ?? [], item, item.hash);
    } catch (err) {
      if (err instanceof StoreInputError) return err;
      throw err;
    }
  });
}

/** The advisory-lock names that serialise writers of one article (its id, text and URL). */
export function lockNames(id: string, url: string | null, hash: string): string[] {
  return [`article-id:${id}`, `article-hash:${hash}`, ...(url ? [`article-url:${url}`] : [])];
}

/** Takes the advisory locks named (sorted by key, so that two writers cannot deadlock) until the transaction ends. */
export async function lockAll(conn: Conn, names: readonly string[]): Promise<void> {
  const keys = [...new Set(names.map(lockKey))].sort();
  if (keys.length) await conn.query('select pg_advisory_xact_lock(k) from unnest($1::bigint[]) as k', [keys]);
}

/**
 * `putArticle`'s writes. A new article (the common case) costs one statement: the read of what it may
 * be (articles of its id, URL or text; events of other articles with its event ids) and, when there
 * is none, the inserts of the article, its events, claims and evidence. Otherwise nothing was written
 * by it and the decision is taken here, as `previewPut` takes it. `locked`: lock names the transaction
 * holds already (`lockForPut`); the lock statement is skipped when they cover this article.
 */
export async function putChecked(conn: Conn, checked: CheckedArticle, hash: string, opts: PutOptions, serialise: boolean, locked?: ReadonlySet<string>): Promise<PutResult> {
  const a = checked.article;
  if (serialise) {
    // Serialise writers of the same id, URL or text across sessions (PostgreSQL; PGlite has one
    // connection). The unique constraints would catch a race too, but as an error, not "unchanged".
    const names = lockNames(a.id, a.url, hash);
    if (!locked || names.some((n) => !locked.has(n))) await lockAll(conn, names);
  }
  const rows = await conn.query<Match & { kind: 'a' | 'e' | 'n'; event_id: string | null; n: number | null }>(
    `with found as (
       select 'a'::text as kind, id, url, content_hash, version, created_at, null::text as event_id from articles
        where id = $1 or url = $2 or content_hash = $3
       union all
       select 'e', article_id, null, null, null, null, event_id from article_events
        where event_id = any($4::text[]) and article_id <> $1),
     src as (
       insert into sources (name, url) select $9::text, $10::text where $9::text is not null and not exists (select 1 from found)
       on conflict (name) do update set name = excluded.name
       returning id),
     art as (
       insert into articles (id, url, title, published, source, text, removed, content_hash, source_id)
       select $1, $2, $5, $6::date, $7, $8, $11::jsonb, $3, (select id from src) where not exists (select 1 from found)
       returning id),
     ${EVENT_INSERTS('(select id from art)', '$12', '$13', '$14')}
     select kind, id, url, content_hash, version, created_at, event_id, null::int as n from found
     union all
     select 'n', null, null, null, null, null, null, (select count(*)::int from ev)
     order by kind, created_at, id, event_id`,
    [a.id, a.url, hash, checked.events.map((e) => e.event_id), a.title, a.published, a.source, a.text, opts.site ?? siteOf(a.url), originOf(a.url), JSON.stringify(a.removed),
      JSON.stringify(checked.events), JSON.stringify(checked.claims), JSON.stringify(checked.evidence)],
  );
  const found = rows.filter((r) => r.kind === 'a');
  const result = (status: PutStatus, id: string, matchedBy: PutResult['matchedBy'], version: number, events = 0, affected: string[] = []): PutResult => ({
    status,
    id,
    matchedBy,
    version: num(version),
    contentHash: hash,
    events,
    affectedCanonical: affected,
  });
  if (!rows.some((r) => r.kind !== 'n')) return result('new', a.id, null, 1, num(rows.find((r) => r.kind === 'n')?.n ?? 0));

  // Nothing was written: the article is (or clashes with) a stored one.
  const byId = found.find((r) => r.id === a.id);
  const byUrl = a.url ? found.find((r) => r.url === a.url) : undefined;
  if (byId && byUrl && byId.id !== byUrl.id) {
    throw new StoreInputError(a.id, `its url ${a.url} already belongs to article ${byUrl.id}`);
  }
  const existing = byId ?? byUrl;
  /** Refuses event ids that another article's events already have. */
  const checkEventIds = (articleId: string) => {
    const clash = rows.find((r) => r.kind === 'e' && r.id !== articleId);
    if (clash) throw new StoreInputError(a.id, `event_id ${clash.event_id} is already stored for article ${clash.id}`);
  };

  if (existing) {
    const matchedBy = byId ? 'id' : 'url';
    if (existing.content_hash === hash) return result('unchanged', existing.id, matchedBy, existing.version);
    checkEventIds(existing.id);
    const affected = await replaceArticle(conn, checked, existing.id, hash, opts);
    const n = await insertEvents(conn, checked, existing.id);
    return result('replaced', existing.id, matchedBy, num(existing.version) + 1, n, affected);
  }
  const twin = found.find((r) => r.content_hash === hash);
  if (twin) return result('unchanged', twin.id, 'content_hash', twin.version);
  checkEventIds(a.id);
  // Not reached: with no article found, only a clash of event ids stops the insert.
  throw new Error(`article ${a.id}: was not stored, for no known reason`);
}

/**
 * Moves the stored text and events of `id` to article_versions, deletes its events (with their
 * claims, evidence and canonical memberships) and writes the new text. Returns the canonical events
 * that lost members.
 */
async function replaceArticle(conn: Conn, checked: CheckedArticle, id: string, hash: string, opts: PutOptions): Promise<string[]> {
  const a = checked.article;
  await conn.query(
    `insert into article_versions (article_id, version, url, title, published, source, text, removed, content_hash, events, stored_at)
     select a.id, a.version, a.url, a.title, a.published, a.source, a.text, a.removed, a.content_hash,
            coalesce((select jsonb_agg(e.data order by e.ordinal) from article_events e where e.article_id = a.id), '[]'::jsonb),
            a.updated_at
       from articles a where a.id = $1`,
    [id],
  );
  const gone = await conn.query<{ canonical_id: string }>(
    `with gone as (
       delete from canonical_members m using article_events e
        where m.event_id = e.event_id and e.article_id = $1
       returning m.canonical_id)
     select distinct canonical_id from gone order by canonical_id`,
    [id],
  );
  const affected = gone.map((r) => r.canonical_id);
  if (affected.length) await markChanged(conn, affected);
  await conn.query(
    `with c as (delete from claims where article_id = $1), v as (delete from evidence where article_id = $1)
     delete from article_events where article_id = $1`,
    [id],
  );
  const site = opts.site ?? siteOf(a.url);
  await conn.query(
    `with src as (
       insert into sources (name, url) select $9::text, $10::text where $9::text is not null
       on conflict (name) do update set name = excluded.name
       returning id)
     update articles set
       url = coalesce($2, url), title = coalesce($3, title), published = coalesce($4::date, published),
       source = coalesce($5, source), text = $6, removed = $7::jsonb, content_hash = $8,
       source_id = coalesce((select id from src), source_id),
       version = version + 1, updated_at = now()
     where id = $1`,
    [id, a.url, a.title, a.published, a.source, a.text, JSON.stringify(a.removed), hash, site, originOf(a.url)],
  );
  return affected;
}

/** After members left: stale, and retired when none is left. */
export async function markChanged(conn: Conn, canonicalIds: string[]): Promise<void> {
  await conn.query(
    `update canonical_events c set stale = true, updated_at = now(),
       status = case when exists (select 1 from canonical_members m where m.canonical_id = c.id) then 'active' else 'retired' end
     where c.id = any($1::text[])`,
    [canonicalIds],
  );
}

/**
 * The CTEs (ev, cl, evd) that insert an article's events, claims and evidence from three JSON
 * arrays (parameters `events`, `claims`, `evidence`) under the article id given by the SQL `id`;
 * with `(select id from art)` they insert nothing when `art` inserted nothing.
 */
const EVENT_INSERTS = (id: string, events: string, claims: string, evidence: string) => `ev as (
       insert into article_events (event_id, article_id, ordinal, event_date, time_precision, event_type, sub_event_type,
         disorder_type, actor1, assoc_actor_1, actor2, assoc_actor_2, actors, inter1, inter2, country, iso3, admin1, admin2,
         location, latitude, longitude, geo_precision, fatalities, fatalities_low, fatalities_best, fatalities_high,
         injured_low, injured_best, injured_high, notes, data)
       select r.event_id, ${id}, r.ordinal, r.event_date::date, r.time_precision, r.event_type, r.sub_event_type,
         r.disorder_type, r.actor1, r.assoc_actor_1, r.actor2, r.assoc_actor_2, r.actors, r.inter1, r.inter2, r.country, r.iso3,
         r.admin1, r.admin2, r.location, r.latitude, r.longitude, r.geo_precision, r.fatalities, r.fatalities_low,
         r.fatalities_best, r.fatalities_high, r.injured_low, r.injured_best, r.injured_high, r.notes, r.data
       from jsonb_to_recordset(${events}::jsonb) as r(event_id text, ordinal int, event_date text, time_precision smallint,
         event_type text, sub_event_type text, disorder_type text, actor1 text, assoc_actor_1 text, actor2 text,
         assoc_actor_2 text, actors text[], inter1 smallint, inter2 smallint, country text, iso3 text, admin1 text,
         admin2 text, location text, latitude double precision, longitude double precision, geo_precision smallint,
         fatalities int, fatalities_low int, fatalities_best int, fatalities_high int, injured_low int, injured_best int,
         injured_high int, notes text, data jsonb)
       where ${id} is not null
       returning 1),
     cl as (
       insert into claims (event_id, article_id, ordinal, kind, count, count_high, qualifier, claimant, victim,
         span_start, span_end, span_text)
       select r.event_id, ${id}, r.ordinal, r.kind, r.count, r.count_high, r.qualifier, r.claimant, r.victim,
         r.span_start, r.span_end, r.span_text
       from jsonb_to_recordset(${claims}::jsonb) as r(event_id text, ordinal int, kind text, count int, count_high int,
         qualifier text, claimant text, victim text, span_start int, span_end int, span_text text)
       where ${id} is not null),
     evd as (
       insert into evidence (event_id, article_id, ordinal, field, span_start, span_end, span_text)
       select r.event_id, ${id}, r.ordinal, r.field, r.span_start, r.span_end, r.span_text
       from jsonb_to_recordset(${evidence}::jsonb) as r(event_id text, ordinal int, field text, span_start int, span_end int,
         span_text text)
       where ${id} is not null)`;

/** Writes the checked events, claims and evidence of an article in one statement. */
async function insertEvents(conn: Conn, checked: CheckedArticle, articleId: string): Promise<number> {
  if (checked.events.length === 0) return 0;
  const [row] = await conn.query<{ n: number }>(
    `with ${EVENT_INSERTS('$1::text', '$2', '$3', '$4')}
     select count(*)::int as n from ev`,
    [articleId, JSON.stringify(checked.events), JSON.stringify(checked.claims), JSON.stringify(checked.evidence)],
  );
  return row?.n ?? 0;
}

export async function articleWhere(conn: Conn, where: string, params: unknown[]): Promise<StoredArticle[]> {
  const rows = await conn.query(`select ${ARTICLE_COLUMNS} from articles a where ${where} order by a.created_at, a.id`, params);
  return rows.map(toArticle);
}

export async function articleEvents(conn: Conn, articleId: string): Promise<SitrepEvent[]> {
  const rows = await conn.query<{ data: SitrepEvent }>('select data from article_events where article_id = $1 order by ordinal', [articleId]);
  return rows.map((r) => r.data);
}

export async function articleClaims(conn: Conn, articleId: string): Promise<StoredClaim[]> {
  const rows = await conn.query<Record<string, unknown>>(
    `select c.article_id, c.event_id, c.kind, c.count, c.count_high, c.qualifier, c.claimant, c.victim,
            c.span_text, c.span_start, c.span_end
       from claims c join article_events e on e.event_id = c.event_id
      where c.article_id = $1 order by e.ordinal, c.ordinal`,
    [articleId],
  );
  return rows.map((r) => ({
    article_id: r['article_id'] as string,
    event_id: r['event_id'] as string,
    kind: r['kind'] as StoredClaim['kind'],
    count: r['count'] === null ? null : num(r['count']),
    count_high: r['count_high'] === null ? null : num(r['count_high']),
    qualifier: r['qualifier'] as StoredClaim['qualifier'],
    claimant: r['claimant'] as string | null,
    victim: r['victim'] as string | null,
    text: r['span_text'] as string,
    start: num(r['span_start']),
    end: num(r['span_end']),
  }));
}

export async function articleVersions(conn: Conn, articleId: string): Promise<ArticleVersion[]> {
  const rows = await conn.query<Record<string, unknown>>(
    `select article_id, version, url, title, published::text as published, source, text, removed, content_hash, events,
            stored_at, replaced_at
       from article_versions where article_id = $1 order by version`,
    [articleId],
  );
  return rows.map((r) => ({
    article_id: r['article_id'] as string,
    version: num(r['version']),
    url: r['url'] as string | null,
    title: r['title'] as string | null,
    published: r['published'] as string | null,
    source: r['source'] as string | null,
    text: r['text'] as string,
    removed: r['removed'] as string[],
    content_hash: r['content_hash'] as string,
    events: r['events'] as SitrepEvent[],
    stored_at: iso(r['stored_at']),
    replaced_at: iso(r['replaced_at']),
  }));
}
