/**
 * The two back ends behind one tiny interface: a connection that runs parameterised queries and
 * multi-statement scripts, and transactions on it. PGlite (embedded, one connection, a data
 * directory or memory) and PostgreSQL through a `pg` pool. Everything above this file speaks only
 * `Conn`, so the SQL is the same on both.
 *
 * Values come back as each driver parses them, and the two differ (bigint: number in PGlite,
 * string in pg; date: a JS Date in both, at midnight UTC or local time). The store therefore casts
 * dates to text and counts to int in its SQL, and converts ids and timestamps in JS (rows.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, PGlite, protocol } from '@electric-sql/pglite';
/** A parsed backend message, as PGlite's protocol functions return them. */
type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];
import pg from 'pg';

export type BackendKind = 'pglite' | 'postgres';

/** One connection (or the connection of the current transaction). */
export interface Conn {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements, without parameters. */
  exec(sql: string): Promise<void>;
}

export interface Driver {
  readonly kind: BackendKind;
  /** For messages: the data directory, "memory", or the URL without its password. */
  readonly where: string;
  /** Autocommit queries. */
  readonly conn: Conn;
  /** Runs `fn` in BEGIN … COMMIT on one connection; ROLLBACK and rethrow when it throws. */
  transaction<T>(fn: (conn: Conn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a schema name (it is put into SQL as a quoted identifier). */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema) || schema.length > 63) {
    throw new Error(`schema name ${JSON.stringify(schema)} is not allowed (letters, digits and _, at most 63, not starting with a digit)`);
  }
  return schema;
}

// ---------------------------------------------------------------- PGlite

export interface PGliteDriverOptions {
  /** The database directory; null for an in-memory database. */
  dir: string | null;
  /** An instance opened by the caller: used as is and not closed by `close()`. */
  instance?: PGlite;
  schema?: string;
}

export async function openPGlite(opts: PGliteDriverOptions): Promise<Driver> {
  let release: (() => void) | null = null;
  let db: PGlite;
  if (opts.instance) {
    db = opts.instance;
  } else {
    if (opts.dir !== null) {
      mkdirSync(dirname(opts.dir), { recursive: true });
      release = lockDirectory(`${opts.dir}.lock`, opts.dir);
    }
    try {
      db = opts.dir === null ? await PGlite.create() : await PGlite.create(opts.dir);
    } catch (err) {
      release?.();
      throw new Error(`cannot open the PGlite database in ${opts.dir ?? 'memory'}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (opts.schema) {
    const schema = checkSchemaName(opts.schema);
    await db.exec(`create schema if not exists "${schema}"; set search_path to "${schema}"`);
  }
  const wrap = (q: { query: PGlite['query']; exec: PGlite['exec'] }, prepared?: PreparedQuery): Conn => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      if (prepared) {
        const rows = await prepared<T>(sql, params);
        if (rows) return rows;
      }
      return (await q.query<T>(sql, params ? [...params] : undefined)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const conn = wrap(db);
  const prepared = pglitePrepared(db);
  return {
    kind: 'pglite',
    where: opts.instance ? 'a PGlite instance' : (opts.dir ?? 'memory'),
    conn,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx, prepared))),
    async close() {
      if (opts.instance) return;
      try {
        if (!db.closed) await db.close();
      } finally {
        release?.();
      }
    },
  };
}

/** The statements prepared on each PGlite instance: their names, and the parameter types PostgreSQL inferred. */
const preparedOf = new WeakMap<PGlite, { names: (sql: string) => string | null; described: Map<string, number[]> }>();

/** Runs a statement inside a transaction; null when it cannot (too many statements prepared). */
type PreparedQuery = <T>(sql: string, params: readonly unknown[] | undefined) => Promise<T[] | null>;

/** The messages one after the other, as one buffer (PostgreSQL reads them in order). */
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Statements inside a transaction on PGlite, at a fraction of `query`'s cost. PGlite's `query`
 * parses, analyses and plans every statement again, and hands PostgreSQL each protocol message in
 * a call of its own (six per statement, each with a fixed cost). Here a parameterised statement is
 * parsed and described once per database (a named statement, `preparedNames`), and then run as
 * one buffer (bind, describe, execute, sync) in one call; one without parameters goes as one simple
 * query. Results are parsed by PGlite's own functions, with its parsers and serialisers, as `query`
 * does. Inside a transaction only: there PGlite's transaction lock is held by the caller, and
 * `runExclusive` keeps one statement's messages together; outside one, `query` takes that lock.
 */
function pglitePrepared(db: PGlite): PreparedQuery {
  // Per database, not per driver: the statements live in PGlite's one session, which several
  // stores (schemas) on one instance share; PostgreSQL re-plans one when search_path changes.
  let state = preparedOf.get(db);
  if (!state) preparedOf.set(db, (state = { names: preparedNames(), described: new Map() }));
  const { names, described } = state;
  const { serialize } = protocol;
  const run = (message: Uint8Array) => db.execProtocolStream(message, { syncToFs: false });
  /** Sends the messages; after an error, a sync of its own, so that PostgreSQL stops skipping messages. */
  const exchange = async (parts: Uint8Array[]): Promise<BackendMessage[]> => {
    try {
      return await run(concat(parts));
    } catch (err) {
      await run(serialize.sync()).catch(() => undefined);
      throw err;
    }
  };
  return async <T>(sql: string, params: readonly unknown[] | undefined): Promise<T[] | null> => {
    if (!params) {
      return db.runExclusive(async () => (parse.parseResults(await exchange([serialize.query(sql)]), db.parsers)[0]?.rows ?? []) as T[]);
    }
    const name = names(sql);
    if (!name) return null;
    return db.runExclusive(async () => {
      let types = described.get(name);
      if (!types) {
        types = parse.parseDescribeStatementResults(await exchange([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]));
        described.set(name, types);
      }
      const values = params.map((v, i) => {
        if (v === null || v === undefined) return null;
        const serializer = db.serializers[types![i]!];
        return serializer ? serializer(v) : String(v);
      });
      const out = await exchange([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);
      return (parse.parseResults(out, db.parsers)[0]?.rows ?? []) as T[];
    });
  };
}

/**
 * A lock file next to the database directory: PGlite is one process's database, and two processes
 * writing the same directory would corrupt it. A lock left by a process that no longer runs (killed
 * with -9) is taken over.
 */
function lockDirectory(lockPath: string, dir: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
      } catch {
        continue; // removed meanwhile: try again
      }
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
        throw new Error(
          `the database in ${dir} is in use by ${pid === process.pid ? 'this process (close the other store first)' : `process ${pid}`}; ` +
            `PGlite allows one process per data directory (set DATABASE_URL to share a PostgreSQL database)`,
        );
      }
      try {
        unlinkSync(lockPath); // stale
      } catch {
        // someone else took it over: try again
      }
    }
  }
  throw new Error(`cannot lock the database in ${dir} (${lockPath})`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---------------------------------------------------------------- PostgreSQL

export interface PostgresDriverOptions {
  url: string;
  schema?: string;
  /** Pool size; default 4. */
  max?: number;
}

/** The URL without its password, for messages; `name` says which setting an unparseable one came from. */
export function redactUrl(url: string, name = 'DATABASE_URL'): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return `(unparseable ${name})`;
  }
}

export async function openPostgres(opts: PostgresDriverOptions): Promise<Driver> {
  const where = redactUrl(opts.url);
  const schema = opts.schema ? checkSchemaName(opts.schema) : undefined;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 4,
    // Statements are prepared by name (preparedNames): without this, PostgreSQL plans one after its
    // fifth run for no particular parameters, and keeps that plan if it looks no dearer. For the
    // API's filters that generic plan can walk the wrong index (GET /events sorted by fatalities for
    // one country and year: 97 ms generic, 5 ms planned for its values). Planning costs a fraction
    // of a millisecond; parsing is still saved.
    options: [schema ? `-c search_path="${schema}"` : '', '-c plan_cache_mode=force_custom_plan'].filter(Boolean).join(' '),
  });
  // An idle client that loses its connection emits 'error'; without a listener it would crash the
  // process. The next query reports the problem instead.
  pool.on('error', () => {});
  const statements = preparedNames();
  const conn = (c: pg.Pool | pg.PoolClient): Conn => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      if (!params) return (await c.query(sql)).rows as T[];
      const name = statements(sql);
      return (await c.query(name ? { name, text: sql, values: [...params] } : { text: sql, values: [...params] })).rows as T[];
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  try {
    const client = await pool.connect();
    try {
      if (schema) {
        try {
          await client.query(`create schema if not exists "${schema}"`);
        } catch (err) {
          // Two processes creating the same schema at once: the loser sees a duplicate; fine.
          if (!['23505', '42P06'].includes((err as { code?: string }).code ?? '')) throw err;
        }
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to PostgreSQL at ${where}: ${errorText(err)}`, { cause: err });
  }
  const pooled = conn(pool);
  return {
    kind: 'postgres',
    where,
    conn: {
      // A read on a connection that died (PostgreSQL restarted) is tried again on a new one.
      query: <T>(sql: string, params?: readonly unknown[]) => (isRead(sql) ? reconnecting(() => pooled.query<T>(sql, params)) : pooled.query<T>(sql, params)),
      exec: (sql: string) => pooled.exec(sql),
    },
    async transaction<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
      // Until BEGIN has run nothing of fn has: a dead pooled connection, or PostgreSQL not accepting
      // connections yet, is retried on a new one. A connection lost later fails the transaction
      // (rolled back by the server), as any error does: fn is not run twice.
      const client = await reconnecting(async () => {
        const c = await pool.connect();
        // A checked-out client whose connection dies emits 'error'; the pool listens only to idle
        // ones, and without a listener the process would crash. The query in flight rejects instead.
        c.on('error', ignoreClientError);
        try {
          await c.query('begin');
          return c;
        } catch (err) {
          c.off('error', ignoreClientError);
          c.release(true);
          throw err;
        }
      });
      let broken = false;
      try {
        const result = await fn(conn(client));
        await client.query('commit');
        return result;
      } catch (err) {
        try {
          await client.query('rollback');
        } catch {
          broken = true; // the connection itself failed: do not return it to the pool
        }
        throw err;
      } finally {
        client.off('error', ignoreClientError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function ignoreClientError(): void {}

/** How long a store keeps trying to reach PostgreSQL again after losing it (a restart takes a few seconds). */
export const RECONNECT_MS = 30_000;

/**
 * Errors that mean the connection, not the statement, failed: refused or reset sockets, a
 * connection the server ended (57P01 admin shutdown, 57P02 crash shutdown, 57P03 still starting
 * up, class 08), or one pg found closed.
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', '57P01', '57P02', '57P03'].includes(code) || code.startsWith('08')) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|Client has encountered a connection error|the database system is (starting up|shutting down)|Client was closed and is not queryable/i.test(message);
}

/** A statement that only reads (safe to run again when its connection died before it answered). */
function isRead(sql: string): boolean {
  return /^\s*(select|with)\b/i.test(sql) && !/\b(insert|update|delete|merge)\b/i.test(sql);
}

/** Runs `attempt` again after connection errors, waiting a little longer each time, for up to RECONNECT_MS. */
async function reconnecting<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RECONNECT_MS;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await attempt();
    } catch (err) {
      if (!isConnectionError(err) || Date.now() + wait > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** How many distinct statements a PostgreSQL store prepares (per connection; the rest are parsed each time). */
export const MAX_PREPARED = 500;

/**
 * Names for prepared statements: a parameterised statement is parsed and planned once per
 * connection and then only bound and run (pg keeps the statements each connection has prepared),
 * which cuts the server's CPU per statement by about a third (ingest: 2.1 → 1.4 ms per article).
 * The name is a hash of the text, so one name never stands for two texts. At most MAX_PREPARED
 * texts get one (the store's statements are fixed texts, and the filters' few shapes), so that a
 * long-lived server cannot grow without bound. Prepared statements are not transactional: a
 * rollback leaves them in place, and PostgreSQL re-plans one when a table it uses changes.
 */
function preparedNames(): (sql: string) => string | null {
  const names = new Map<string, string>();
  return (sql) => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `sitrep_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
      names.set(sql, name);
    }
    return name ?? null;
  };
}

/** An error's message; for an AggregateError (pg trying IPv4 and IPv6), its parts'. */
export function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) {
    return [...new Set(err.errors.map((e: unknown) => errorText(e)))].join('; ');
  }
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}
