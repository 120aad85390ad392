/**
 * The feed watcher's state in the store (tables `feeds` and `feed_items`, migration 005_feeds.sql):
 * per feed its validators (ETag, Last-Modified) and error backoff, and the items already handled.
 *
 * Every statement goes through the Store's own connection handling (`runRead` on the pool, or on a
 * transaction's connection inside `store.transaction`), so the same SQL runs on PGlite and
 * PostgreSQL and nothing in src/store/ knows about feeds.
 */
import type { Store } from '../store/index.js';

/** What is kept of one feed between polls. */
export interface FeedState {
  url: string;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Consecutive failed polls (0 after a good one). */
  failures: number;
  lastError: string | null;
  /** While failing: no poll before this time (ms since the epoch). */
  retryAt: number | null;
  lastPolledAt: number | null;
  lastOkAt: number | null;
}

export type ItemStatus = 'done' | 'failed' | 'retry';

/** One handled item of a feed. */
export interface ItemRecord {
  key: string;
  status: ItemStatus;
  attempts: number;
  articleId: string | null;
  error: string | null;
}

/** What a poll's items came to, written in one transaction. */
export interface ItemUpdate {
  key: string;
  status: ItemStatus;
  articleId?: string | null;
  error?: string | null;
}

interface FeedRow {
  url: string;
  title: string | null;
  etag: string | null;
  last_modified: string | null;
  failures: number;
  last_error: string | null;
  retry_ms: number | null;
  polled_ms: number | null;
  ok_ms: number | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const FEED_COLUMNS = `url, title, etag, last_modified, failures::int as failures, last_error,
  (extract(epoch from retry_at) * 1000)::float8 as retry_ms,
  (extract(epoch from last_polled_at) * 1000)::float8 as polled_ms,
  (extract(epoch from last_ok_at) * 1000)::float8 as ok_ms`;

function toState(r: FeedRow): FeedState {
  return {
    url: r.url,
    title: r.title,
    etag: r.etag,
    lastModified: r.last_modified,
    failures: Number(r.failures),
    lastError: r.last_error,
    retryAt: num(r.retry_ms),
    lastPolledAt: num(r.polled_ms),
    lastOkAt: num(r.ok_ms),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The feeds' state over a Store. */
export class FeedStateStore {
  constructor(private readonly store: Store) {}

  /** The state of a feed; a new feed gets a row (no validators, no failures). */
  async open(url: string): Promise<FeedState> {
    return this.store.transaction((tx) =>
      tx.runRead(async (c) => {
        await c.query('insert into feeds (url) values ($1) on conflict (url) do nothing', [url]);
        const [row] = await c.query<FeedRow>(`select ${FEED_COLUMNS} from feeds where url = $1`, [url]);
        return toState(row!);
      }),
    );
  }

  /** The state of a feed, or null when it was never polled. */
  async get(url: string): Promise<FeedState | null> {
    const [row] = await this.store.runRead((c) => c.query<FeedRow>(`select ${FEED_COLUMNS} from feeds where url = $1`, [url]));
    return row ? toState(row) : null;
  }

  /** Every feed polled so far, by URL. */
  async list(): Promise<FeedState[]> {
    const rows = await this.store.runRead((c) => c.query<FeedRow>(`select ${FEED_COLUMNS} from feeds order by url`));
    return rows.map(toState);
  }

  /** The records of those of `keys` that the feed has handled before. */
  async items(feedUrl: string, keys: readonly string[]): Promise<Map<string, ItemRecord>> {
    const out = new Map<string, ItemRecord>();
    if (keys.length === 0) return out;
    const rows = await this.store.runRead((c) =>
      c.query<{ item_key: string; status: ItemStatus; attempts: number; article_id: string | null; error: string | null }>(
        'select item_key, status, attempts::int as attempts, article_id, error from feed_items where feed_url = $1 and item_key = any($2::text[])',
        [feedUrl, [...keys]],
      ),
    );
    for (const r of rows) out.set(r.item_key, { key: r.item_key, status: r.status, attempts: Number(r.attempts), articleId: r.article_id, error: r.error });
    return out;
  }

  /** How many items of the feed are recorded. */
  async itemCount(feedUrl: string): Promise<number> {
    const [row] = await this.store.runRead((c) => c.query<{ n: number }>('select count(*)::int as n from feed_items where feed_url = $1', [feedUrl]));
    return Number(row?.n ?? 0);
  }

  /**
   * Records what happened to items, in one transaction; each update counts one attempt more. Then
   * keeps at most `keep` of the feed's items (the most recently written) besides `protect` (what the
   * feed lists now, so that a feed longer than the bound is never processed again).
   */
  async recordItems(feedUrl: string, updates: readonly ItemUpdate[], bound?: { keep: number; protect: readonly string[] }): Promise<void> {
    if (updates.length === 0 && !bound) return;
    await this.store.transaction((tx) =>
      tx.runRead(async (c) => {
        if (updates.length) {
          await c.query(
            `insert into feed_items (feed_url, item_key, status, article_id, error)
             select $1, k, s, a, e from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as u(k, s, a, e)
             on conflict (feed_url, item_key) do update set status = excluded.status, attempts = feed_items.attempts + 1,
               article_id = coalesce(excluded.article_id, feed_items.article_id), error = excluded.error, updated_at = now(),
               seq = nextval(pg_get_serial_sequence('feed_items', 'seq'))`,
            [feedUrl, updates.map((u) => u.key), updates.map((u) => u.status), updates.map((u) => u.articleId ?? null), updates.map((u) => u.error ?? null)],
          );
        }
        if (bound) {
          await c.query(
            `delete from feed_items i where i.feed_url = $1 and not (i.item_key = any($3::text[]))
               and i.item_key not in (select item_key from feed_items where feed_url = $1 order by seq desc limit $2)`,
            [feedUrl, Math.max(0, Math.floor(bound.keep)), [...bound.protect]],
          );
        }
      }),
    );
  }

  /**
   * A good poll: failures reset; the validators to send next time (null: fetch the feed whole next
   * time, as after a poll that left items to finish).
   */
  async pollSucceeded(url: string, v: { etag: string | null; lastModified: string | null; title?: string | null; at: number }): Promise<void> {
    await this.store.transaction((tx) =>
      tx.runRead((c) =>
        c.query(
          `update feeds set etag = $2, last_modified = $3, title = coalesce($4, title), failures = 0, last_error = null, retry_at = null,
             last_polled_at = $5::timestamptz, last_ok_at = $5::timestamptz where url = $1`,
          [url, v.etag, v.lastModified, v.title ?? null, iso(v.at)],
        ),
      ),
    );
  }

  /** A 304: nothing changed but the times. */
  async notModified(url: string, at: number): Promise<void> {
    await this.store.transaction((tx) =>
      tx.runRead((c) =>
        c.query(`update feeds set failures = 0, last_error = null, retry_at = null, last_polled_at = $2::timestamptz, last_ok_at = $2::timestamptz where url = $1`, [url, iso(at)]),
      ),
    );
  }

  /** A failed poll: one failure more, why, and when to try again. The validators are kept. */
  async pollFailed(url: string, v: { error: string; failures: number; retryAt: number; at: number }): Promise<void> {
    await this.store.transaction((tx) =>
      tx.runRead((c) =>
        c.query(`update feeds set failures = $2, last_error = $3, retry_at = $4::timestamptz, last_polled_at = $5::timestamptz where url = $1`, [
          url,
          v.failures,
          v.error,
          iso(v.retryAt),
          iso(v.at),
        ]),
      ),
    );
  }
}
