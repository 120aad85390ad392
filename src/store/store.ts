/**
 * The Store: the one typed data layer over both back ends. It owns no SQL of its own beyond
 * transactions; articles.ts and canonical.ts hold the statements.
 *
 * Transactions: `transaction(fn)` runs fn with a Store bound to one connection; every write method
 * is atomic on its own (its own transaction, or a savepoint inside an enclosing one, so a refused
 * article inside a batch does not abort the batch). Calls made inside fn on the outer Store join
 * the transaction too (found through AsyncLocalStorage): with PGlite's single connection the
 * alternative would be a deadlock. Inside one transaction, calls are serialised.
 *
 * Batches (ingest's group commit): `unit(fn)` inside a transaction is one savepoint around fn, in
 * which the write methods take no savepoints of their own (two round trips each saved); a write that
 * fails there rolls the whole unit back even when fn catches the error, so a unit is whole or absent.
 * `lockForPut` takes the advisory locks of a batch's articles in one statement, and
 * `previewPuts` previews many articles in one read.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Article, SitrepEvent } from '../core/types.js';
import * as articles from './articles.js';
import type { PutOptions, PutPreview, PutResult } from './articles.js';
import * as canonical from './canonical.js';
import type { ArticleEventFilter, CanonicalInput, DecisionFilter, MergeDecisionInput, UndoResult } from './canonical.js';
import type { BackendKind, Conn, Driver } from './driver.js';
import { errorText } from './driver.js';
import type { EventFilter, Page } from './filter.js';
import { contentHash } from './hash.js';
import { migrate } from './migrate.js';
import type { MigrateResult } from './migrate.js';
import { num } from './rows.js';
import type { ArticleVersion, CanonicalEvent, MergeDecision, StoredArticle, StoredArticleEvent, StoredClaim, StoreCounts } from './rows.js';
import { checkArticle, StoreInputError } from './validate.js';

/** One open transaction: its connection, a queue that serialises calls, a savepoint counter. */
class TxContext {
  private tail: Promise<unknown> = Promise.resolve();
  private savepoints = 0;
  /** How many savepoints are open (0: the transaction's top level). */
  depth = 0;
  /** Inside `unit()`: write methods run without savepoints of their own, and a failing one marks the unit. */
  flat = false;
  /** The first error of a write inside the current unit. */
  poisoned: unknown = null;
  /** Advisory-lock names (`lockForPut`) held until the end of the transaction: taken at its top level. */
  readonly locked = new Set<string>();
  constructor(
    readonly driver: Driver,
    readonly conn: Conn,
  ) {}

  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => {});
    return run;
  }

  /** A savepoint name not used before in this transaction. */
  savepointName(): string {
    return `sitrep_sp_${++this.savepoints}`;
  }

  /** fn inside SAVEPOINT … RELEASE, rolled back to the savepoint when it throws. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = this.savepointName();
    await this.conn.query(`savepoint ${name}`);
    this.depth++;
    try {
      const result = await fn();
      await this.conn.query(`release savepoint ${name}`);
      return result;
    } catch (err) {
      await this.conn.query(`rollback to savepoint ${name}`);
      throw err;
    } finally {
      this.depth--;
    }
  }
}

const current = new AsyncLocalStorage<TxContext>();

/** The tables ingest writes, whose planner statistics `refreshStatistics` keeps up to date. */
const GROWING_TABLES = ['articles', 'article_versions', 'article_events', 'claims', 'evidence', 'canonical_events', 'canonical_members', 'merge_decisions'] as const;
/** Rows (articles and article events) written before the first refresh of a store's statistics. */
export const STATISTICS_MIN_ROWS = 500;

/**
 * Per open store (driver): rows written since its statistics were last refreshed, and how many rows
 * (articles and article events) the planner saw then (null: not read yet).
 */
const statistics = new WeakMap<Driver, { written: number; seen: number | null; running: Promise<boolean> | null }>();

export class Store {
  readonly kind: BackendKind;
  /** The data directory, "memory", or the PostgreSQL URL without its password. */
  readonly where: string;

  /** Use `openStore()`. */
  constructor(
    private readonly driver: Driver,
    private readonly tx: TxContext | null = null,
  ) {
    this.kind = driver.kind;
    this.where = driver.where;
  }

  private context(): TxContext | null {
    if (this.tx) return this.tx;
    const ctx = current.getStore();
    return ctx && ctx.driver === this.driver ? ctx : null;
  }

  /** Runs a read on the current transaction's connection, or on the pool. */
  private read<T>(fn: (conn: Conn) => Promise<T>): Promise<T> {
    const ctx = this.context();
    return ctx ? ctx.serial(() => fn(ctx.conn)) : fn(this.driver.conn);
  }

  /**
   * Runs a write atomically: its own transaction, or a savepoint in the current one; inside `unit()`,
   * the unit's savepoint (a failure marks the unit, which is then rolled back whole).
   */
  private write<T>(fn: (conn: Conn) => Promise<T>): Promise<T> {
    const ctx = this.context();
    if (ctx?.flat) {
      return ctx.serial(() => fn(ctx.conn)).catch((err: unknown) => {
        ctx.poisoned ??= err;
        throw err;
      });
    }
    if (ctx) return ctx.serial(() => ctx.savepoint(() => fn(ctx.conn)));
    return this.driver.transaction(fn);
  }

  /** Runs the read queries of queries.ts (the API's) on the current transaction's connection, or on the pool. */
  runRead<T>(fn: (conn: Conn) => Promise<T>): Promise<T> {
    return this.read(fn);
  }

  /** Applies pending migrations (openStore already did, unless told not to). */
  migrate(): Promise<MigrateResult> {
    if (this.context()) throw new Error('migrate() cannot run inside a transaction');
    return migrate(this.driver);
  }

  /**
   * Runs fn in one transaction: everything it writes is committed together when it returns, and
   * nothing is kept when it throws. Nested calls use savepoints.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const ctx = this.context();
    if (ctx) {
      // A nested transaction inside a unit: its own savepoint, and its writes take theirs as usual.
      const { flat, poisoned } = ctx;
      ctx.flat = false;
      const name = ctx.savepointName();
      await ctx.serial(() => ctx.conn.query(`savepoint ${name}`));
      ctx.depth++;
      try {
        const result = await fn(this.tx ? this : new Store(this.driver, ctx));
        await ctx.serial(() => ctx.conn.query(`release savepoint ${name}`));
        return result;
      } catch (err) {
        await ctx.serial(() => ctx.conn.query(`rollback to savepoint ${name}`));
        throw err;
      } finally {
        ctx.depth--;
        ctx.flat = flat;
        ctx.poisoned = poisoned;
      }
    }
    return this.driver.transaction((conn) => {
      const next = new TxContext(this.driver, conn);
      return current.run(next, () => fn(new Store(this.driver, next)));
    });
  }

  /**
   * Runs fn as one unit of the current transaction (or in a transaction of its own when there is
   * none): everything it writes is kept, or nothing. One savepoint around fn; the write methods
   * called inside take none of their own, and when one of them fails the unit is rolled back even if
   * fn catches the error and returns (the error is thrown again). Ingest stores each article of a
   * batch, with its merge step, as one unit.
   */
  async unit<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const ctx = this.context();
    if (!ctx) return this.transaction((tx) => tx.unit(fn));
    const { flat, poisoned } = ctx;
    const name = ctx.savepointName();
    await ctx.serial(() => ctx.conn.query(`savepoint ${name}`));
    ctx.depth++;
    ctx.flat = true;
    ctx.poisoned = null;
    try {
      const result = await fn(this.tx ? this : new Store(this.driver, ctx));
      if (ctx.poisoned !== null) throw ctx.poisoned;
      await ctx.serial(() => ctx.conn.query(`release savepoint ${name}`));
      return result;
    } catch (err) {
      await ctx.serial(() => ctx.conn.query(`rollback to savepoint ${name}`));
      throw err;
    } finally {
      ctx.depth--;
      ctx.flat = flat;
      ctx.poisoned = poisoned;
    }
  }

  /**
   * Takes, in one statement, the locks that `putArticle` takes for each of these articles (their id,
   * URL and content hash), until the end of the current transaction; `putArticle` then skips its own.
   * Taken in one sorted set, so that two writers locking batches cannot deadlock. PostgreSQL only
   * (PGlite has one connection); outside a transaction, or inside a savepoint, it does nothing.
   * `extra`: more lock names taken in the same sorted set (the pipeline's merge locks: the blocks
   * whose canonical events the batch's merge step may read or write, src/jobs/merge-locks.ts).
   */
  async lockForPut(list: ReadonlyArray<{ id: string; url?: string | null; text: string }>, extra: readonly string[] = []): Promise<void> {
    const ctx = this.context();
    if (!ctx || ctx.depth > 0 || this.kind !== 'postgres') return;
    const names = new Set<string>(extra.filter((n) => !ctx.locked.has(n)));
    for (const a of list) for (const n of articles.lockNames(a.id, a.url?.trim() || null, contentHash(a.text))) if (!ctx.locked.has(n)) names.add(n);
    if (names.size === 0) return;
    await ctx.serial(() => articles.lockAll(ctx.conn, [...names]));
    for (const n of names) ctx.locked.add(n);
  }

  // ------------------------------------------------------------ articles

  /**
   * Stores an article with its events, atomically. The same article (by id or URL, same normalised
   * text) or the same text under another id adds nothing ("unchanged"); a known article with another
   * text is "replaced": its old text and events move to article_versions, its old events, claims,
   * evidence and canonical memberships are deleted. Bad input throws StoreInputError (naming the
   * article and the problem) before anything is written.
   */
  async putArticle(article: Article, events: readonly SitrepEvent[], opts: PutOptions = {}): Promise<PutResult> {
    const checked = checkArticle(article, events);
    const hash = contentHash(checked.article.text);
    try {
      const locked = this.context()?.locked;
      const result = await this.write((conn) => articles.putChecked(conn, checked, hash, opts, this.kind === 'postgres', locked));
      if (result.status !== 'unchanged') this.statisticsOf().written += 1 + events.length;
      return result;
    } catch (err) {
      if (err instanceof StoreInputError) throw err;
      throw new Error(`article ${checked.article.id}: could not be stored: ${errorText(err)}`, { cause: err });
    }
  }

  /**
   * What `putArticle` would do with this article (new, unchanged or replaced, and under which id),
   * from one read and without writing. Ingest uses it to skip extracting an article that is stored
   * already, and to extract a changed one under its stored id (so that its event ids match it).
   * Throws StoreInputError where putArticle would.
   */
  previewPut(article: { id: string; url?: string | null; text: string }): Promise<PutPreview> {
    const url = article.url?.trim() || null;
    return this.read((c) => articles.previewPut(c, { id: article.id, url }, contentHash(article.text)));
  }

  /**
   * `previewPut` for many articles in one read: each preview as if that article were the only one
   * (they do not see each other), in input order; an article previewPut would refuse gets its
   * StoreInputError in its place.
   */
  previewPuts(list: ReadonlyArray<{ id: string; url?: string | null; text: string }>): Promise<Array<PutPreview | StoreInputError>> {
    if (list.length === 0) return Promise.resolve([]);
    const items = list.map((a) => ({ id: a.id, url: a.url?.trim() || null, hash: contentHash(a.text) }));
    return this.read((c) => articles.previewPuts(c, items));
  }

  async getArticle(id: string): Promise<StoredArticle | null> {
    return (await this.read((c) => articles.articleWhere(c, 'a.id = $1', [id])))[0] ?? null;
  }

  async getArticleByUrl(url: string): Promise<StoredArticle | null> {
    return (await this.read((c) => articles.articleWhere(c, 'a.url = $1', [url.trim()])))[0] ?? null;
  }

  /** Articles whose current text has this content hash (see `contentHash`), oldest first. */
  findByContentHash(hash: string): Promise<StoredArticle[]> {
    return this.read((c) => articles.articleWhere(c, 'a.content_hash = $1', [hash]));
  }

  /** The article's events, in their stored order (the JSON exactly as stored). */
  articleEvents(articleId: string): Promise<SitrepEvent[]> {
    return this.read((c) => articles.articleEvents(c, articleId));
  }

  /** The article's claims from the claims table (with article_id and event_id). */
  articleClaims(articleId: string): Promise<StoredClaim[]> {
    return this.read((c) => articles.articleClaims(c, articleId));
  }

  /** The texts the article had before, oldest first, with the events extracted from each. */
  articleVersions(articleId: string): Promise<ArticleVersion[]> {
    return this.read((c) => articles.articleVersions(c, articleId));
  }

  /** Article events by filter, newest first (the merger's candidates: `{ unmerged: true }`). */
  listArticleEvents(filter: ArticleEventFilter = {}, cursor?: string | null, limit?: number): Promise<Page<StoredArticleEvent>> {
    return this.read((c) => canonical.listArticleEvents(c, filter, cursor, limit));
  }

  // ------------------------------------------------------------ canonical events

  /** Creates a canonical event (optionally with members); returns it. */
  async createCanonical(input: CanonicalInput): Promise<CanonicalEvent> {
    return this.write(async (c) => {
      const id = await canonical.createCanonical(c, input);
      return (await canonical.getCanonical(c, id))!;
    });
  }

  /**
   * Creates or rewrites canonical events with their members in one go (three statements): the
   * records are final for their members, so none is stale afterwards. An existing id (a retired
   * event reported again) is rewritten and made active. Inputs need an `id`.
   */
  putCanonicals(inputs: readonly CanonicalInput[]): Promise<string[]> {
    return this.write((c) => canonical.putCanonicals(c, inputs));
  }

  /** Rewrites a canonical event's merged record and clears `stale`. */
  updateCanonical(id: string, event: SitrepEvent): Promise<void> {
    return this.write((c) => canonical.updateCanonical(c, id, event));
  }

  getCanonical(id: string): Promise<CanonicalEvent | null> {
    return this.read((c) => canonical.getCanonical(c, id));
  }

  /** The canonical event an article event belongs to, or null. */
  canonicalOf(eventId: string): Promise<string | null> {
    return this.read((c) => canonical.canonicalOf(c, eventId));
  }

  /** Adds members (idempotent); returns how many were new. Refuses events of another canonical event. */
  addMembers(canonicalId: string, eventIds: readonly string[], opts: { decisionId?: number } = {}): Promise<number> {
    return this.write((c) => canonical.addMembers(c, canonicalId, eventIds, opts.decisionId));
  }

  /** Removes one member; a canonical event left without members is retired. */
  removeMember(canonicalId: string, eventId: string): Promise<boolean> {
    return this.write((c) => canonical.removeMember(c, canonicalId, eventId));
  }

  recordMergeDecision(decision: MergeDecisionInput): Promise<MergeDecision> {
    return this.write((c) => canonical.recordMergeDecision(c, decision));
  }

  /** Undoes a decision: marked undone (kept for good) and the memberships it made removed. */
  undoMergeDecision(id: number, opts: { by?: string; reason?: string } = {}): Promise<UndoResult> {
    return this.write((c) => canonical.undoMergeDecision(c, id, opts.by ?? 'user', opts.reason ?? null));
  }

  mergeDecisions(filter: DecisionFilter = {}): Promise<MergeDecision[]> {
    return this.read((c) => canonical.mergeDecisions(c, filter));
  }

  /** Active canonical events by filter, newest first; `next` is the cursor of the following page. */
  listCanonical(filter: EventFilter = {}, cursor?: string | null, limit?: number): Promise<Page<CanonicalEvent>> {
    return this.read((c) => canonical.listCanonical(c, filter, cursor, limit));
  }

  // ------------------------------------------------------------ whole store

  async counts(): Promise<StoreCounts> {
    const tables = ['sources', 'articles', 'article_versions', 'article_events', 'claims', 'evidence', 'canonical_events', 'canonical_members', 'merge_decisions'] as const;
    const [row] = await this.read((c) =>
      c.query<Record<string, unknown>>(`select ${tables.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`),
    );
    return Object.fromEntries(tables.map((t) => [t, num(row?.[t] ?? 0)])) as unknown as StoreCounts;
  }

  private statisticsOf(): { written: number; seen: number | null; running: Promise<boolean> | null } {
    let st = statistics.get(this.driver);
    if (!st) statistics.set(this.driver, (st = { written: 0, seen: null, running: null }));
    return st;
  }

  /**
   * Refreshes the planner's statistics (ANALYZE) of the tables ingest writes, once the articles and
   * events written through this store since the last refresh are as many as the tables held then
   * (and at least STATISTICS_MIN_ROWS): about one ANALYZE per doubling of the store, so a constant
   * share of the work. Without it the planner takes a table it has never analyzed for an empty one
   * and scans it whole on every lookup: PostgreSQL's autovacuum analyzes a table only some time after
   * it grew (a minute's nap at least), PGlite never, so a bulk ingest into a new store slowed down as
   * it grew (8,079 dev texts into PostgreSQL: the storing step's time per article rose with the
   * store's size). A counter check when nothing is due; outside a transaction only (the ingest
   * runner calls it after each batch commits). Returns whether it ran.
   */
  async refreshStatistics(): Promise<boolean> {
    if (this.context()) return false;
    const st = this.statisticsOf();
    if (st.running) return st.running;
    if (st.written < STATISTICS_MIN_ROWS) return false;
    const rowsSeen = async (): Promise<number> => {
      // reltuples is -1 for a table never analyzed (PostgreSQL 14 and later).
      const [row] = await this.driver.conn.query<{ n: unknown }>(
        `select coalesce(sum(greatest(reltuples, 0)), 0)::float8 as n from pg_class where oid in ('articles'::regclass, 'article_events'::regclass)`,
      );
      return Number(row?.n ?? 0);
    };
    const run = async (): Promise<boolean> => {
      st.seen ??= await rowsSeen();
      if (st.written < Math.max(STATISTICS_MIN_ROWS, st.seen)) return false;
      await this.driver.conn.query(`analyze ${GROWING_TABLES.join(', ')}`);
      st.written = 0;
      st.seen = await rowsSeen();
      return true;
    };
    st.running = run().finally(() => (st.running = null));
    return st.running;
  }

  /** Closes the connection(s). A Store given to a transaction callback cannot be closed. */
  async close(): Promise<void> {
    if (this.tx) throw new Error('close() the store returned by openStore(), not the one given to a transaction');
    await this.driver.close();
  }
}
