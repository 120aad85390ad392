/**
 * The migrator: applies `src/store/migrations/NNN_name.sql` in order and records each applied
 * version, name and checksum in `schema_migrations`.
 *
 * Safe to run on every open and from several processes at once: pending migrations are applied in
 * one transaction that first takes an advisory lock for the current schema, so a second migrator
 * waits, then finds nothing left to do. When every file is already applied it returns after one
 * read, without the lock. A file changed after it was applied, or a database newer than the code,
 * is an error rather than a silent mismatch.
 *
 * The files are read from `src/store/migrations` (relative to this module in `src/store` and in
 * `dist/store` alike: tsc does not copy .sql files, the way `data/` is read from both).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Conn, Driver } from './driver.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/store/migrations/', import.meta.url));

export interface Migration {
  version: number;
  /** The file name, e.g. "001_init.sql". */
  name: string;
  sql: string;
  /** sha256 of the file (line ends normalised). */
  checksum: string;
}

export interface MigrateResult {
  /** Versions applied by this call (empty when the schema was up to date). */
  applied: number[];
  /** The highest applied version afterwards. */
  version: number;
}

const FILE = /^(\d+)_[A-Za-z0-9_-]+\.sql$/;

/** The migration files of `dir`, in version order; throws on a malformed name or a repeated version. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.sql')) continue;
    const m = FILE.exec(name);
    if (!m) throw new Error(`migration file ${name} in ${dir}: the name must be NNN_description.sql`);
    const sql = readFileSync(join(dir, name), 'utf8').replace(/\r\n/g, '\n');
    const version = Number.parseInt(m[1]!, 10);
    const twin = out.find((x) => x.version === version);
    if (twin) throw new Error(`migrations ${twin.name} and ${name} in ${dir} have the same version ${version}`);
    out.push({ version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  if (out.length === 0) throw new Error(`no migrations found in ${dir}`);
  return out.sort((a, b) => a.version - b.version);
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/** Which of `migrations` are pending, after checking the applied ones against the files. */
function pendingOf(applied: AppliedRow[], migrations: Migration[]): Migration[] {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      const newest = migrations[migrations.length - 1]!.version;
      throw new Error(
        `the database has migration ${row.version} (${row.name}), which this version of sitrep does not know ` +
          `(it knows up to ${newest}): the database was migrated by a newer sitrep`,
      );
    }
    if (m.checksum !== row.checksum) {
      throw new Error(`migration ${m.name} was changed after it was applied to this database: add a new migration instead of editing an applied one`);
    }
  }
  const done = new Set(applied.map((r) => r.version));
  return migrations.filter((m) => !done.has(m.version));
}

async function appliedRows(conn: Conn): Promise<AppliedRow[] | null> {
  const [reg] = await conn.query<{ t: string | null }>(`select to_regclass('schema_migrations')::text as t`);
  if (!reg?.t) return null;
  return conn.query<AppliedRow>('select version, name, checksum from schema_migrations order by version');
}

export async function migrate(driver: Driver, migrations: Migration[] = loadMigrations()): Promise<MigrateResult> {
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  // Fast path: nothing to do, no lock taken.
  const before = await appliedRows(driver.conn);
  if (before && pendingOf(before, migrations).length === 0) return { applied: [], version: newest };

  return driver.transaction(async (conn) => {
    await conn.query(`select pg_advisory_xact_lock(hashtextextended('sitrep.migrate.' || current_schema(), 0))`);
    await conn.exec(`create table if not exists schema_migrations (
      version     integer primary key,
      name        text not null,
      checksum    text not null,
      applied_at  timestamptz not null default now()
    )`);
    const applied = (await appliedRows(conn)) ?? [];
    const pending = pendingOf(applied, migrations);
    for (const m of pending) {
      try {
        await conn.exec(m.sql);
      } catch (err) {
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await conn.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
    }
    return { applied: pending.map((m) => m.version), version: newest };
  });
}
