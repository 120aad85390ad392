/**
 * The store: articles, their events, claims and evidence, canonical (merged) events and merge
 * decisions, in one SQL schema (src/store/migrations) over two back ends:
 *
 * - PostgreSQL when `opts.url` or `DATABASE_URL` is set;
 * - else embedded PGlite in `<data dir>/db` (the data directory is `SITREP_DATA` or `./sitrep-data`,
 *   as for the gazetteer), or in memory with `{ memory: true }`.
 *
 * `openStore()` migrates on every open (cheap when up to date; safe from several processes).
 *
 * ```ts
 * const store = await openStore();
 * const r = await store.putArticle(article, events);   // { status: 'new' | 'unchanged' | 'replaced', ... }
 * const page = await store.listCanonical({ country: 'Mali', dateFrom: '2023-01-01' }, null, 100);
 * await store.close();
 * ```
 */
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { openPGlite, openPostgres } from './driver.js';
import type { Driver } from './driver.js';
import { migrate } from './migrate.js';
import { Store } from './store.js';

export { Store } from './store.js';
export type { BackendKind } from './driver.js';
export type { PutOptions, PutPreview, PutResult, PutStatus } from './articles.js';
export type { ArticleEventFilter, CanonicalInput, DecisionFilter, MergeDecisionInput, UndoResult } from './canonical.js';
export type { EventFilter, Page } from './filter.js';
export type { MigrateResult, Migration } from './migrate.js';
export { loadMigrations, MIGRATIONS_DIR } from './migrate.js';
export type { ArticleVersion, CanonicalEvent, Json, MergeDecision, StoredArticle, StoredArticleEvent, StoredClaim, StoreCounts } from './rows.js';
export { contentHash, deriveArticleId, normaliseForHash } from './hash.js';
export { isIsoDate, StoreInputError } from './validate.js';

export interface OpenStoreOptions {
  /** A PostgreSQL URL; wins over everything else. */
  url?: string;
  /** An already opened PGlite instance (not closed by `close()`). */
  pglite?: PGlite;
  /** An in-memory PGlite database (for tests and one-off runs). */
  memory?: boolean;
  /** The data directory; the database goes in `<dataDir>/db`. An explicit dataDir means PGlite even when DATABASE_URL is set. */
  dataDir?: string;
  /** Use this schema (created if missing) instead of the default search_path: isolates test runs. */
  schema?: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 4). */
  poolSize?: number;
}

export type Backend =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dir: string | null; instance?: PGlite };

/** The data directory: `SITREP_DATA` (resolved against the working directory) or `./sitrep-data` (as src/geo/datadir.ts). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['SITREP_DATA'];
  return resolve(fromEnv && fromEnv.trim() ? fromEnv : 'sitrep-data');
}

/** Where the PGlite database of a data directory lives. */
export function storeDir(dataDir: string = defaultDataDir()): string {
  return join(dataDir, 'db');
}

/** Which back end `openStore(opts)` uses, given the environment. */
export function resolveBackend(opts: OpenStoreOptions = {}, env: NodeJS.ProcessEnv = process.env): Backend {
  if (opts.url) return { kind: 'postgres', url: opts.url };
  if (opts.pglite) return { kind: 'pglite', dir: null, instance: opts.pglite };
  if (opts.memory) return { kind: 'pglite', dir: null };
  if (opts.dataDir) return { kind: 'pglite', dir: storeDir(resolve(opts.dataDir)) };
  const url = env['DATABASE_URL']?.trim();
  if (url) return { kind: 'postgres', url };
  return { kind: 'pglite', dir: storeDir(defaultDataDir(env)) };
}

export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  const backend = resolveBackend(opts);
  let driver: Driver;
  if (backend.kind === 'postgres') {
    driver = await openPostgres({ url: backend.url, ...(opts.schema ? { schema: opts.schema } : {}), ...(opts.poolSize ? { max: opts.poolSize } : {}) });
  } else {
    driver = await openPGlite({ dir: backend.dir, ...(backend.instance ? { instance: backend.instance } : {}), ...(opts.schema ? { schema: opts.schema } : {}) });
  }
  if (opts.migrate !== false) {
    try {
      await migrate(driver);
    } catch (err) {
      await driver.close().catch(() => {});
      throw new Error(`cannot migrate the store at ${driver.where}: ${(err as Error).message}`, { cause: err });
    }
  }
  return new Store(driver);
}
