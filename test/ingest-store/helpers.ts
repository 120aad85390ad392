/**
 * Helpers for the ingest and export tests: run the real CLI (`node bin/sitrep.js`, the compiled
 * dist/) against a store of its own, on PGlite (a data directory in a temporary folder) or on
 * PostgreSQL (a schema of its own, through DATABASE_URL's `options=-c search_path=...`), and open that
 * store from the test to look inside.
 *
 * A new PGlite data directory takes seconds to initialise; each test file initialises one template
 * and copies it for every fresh store.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, openStore, type Store } from '../../src/store/index.js';
import { BIN, ROOT } from '../cli/run.js';
import { PG_URL } from '../store/backends.js';

export { ROOT, SPAWN_TIMEOUT_MS, warnIfStaleBuild, expectNoStackTrace } from '../cli/run.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of the test process without anything that picks a store. */
function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SITREP_DEBUG: '' };
  delete env['DATABASE_URL'];
  delete env['SITREP_DATA'];
  return { ...env, ...extra };
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: baseEnv(env) });
}

/** Runs `node bin/sitrep.js ...args` with the store given by `env`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** The JSON summary `ingest --json` prints on standard output. */
export interface IngestJson {
  articles: number;
  new: number;
  replaced: number;
  unchanged: number;
  failed: number;
  extracted: number;
  events: number;
  canonical: number;
  seconds: number;
  interrupted: boolean;
  store: 'pglite' | 'postgres';
}

export function ingestSummary(r: CliResult): IngestJson {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as IngestJson;
  } catch {
    throw new Error(`ingest printed no JSON summary (exit ${r.code}); stderr:\n${r.stderr}`);
  }
}

/** A store of the CLI's own. */
export interface CliStore {
  /** What to add to the CLI's environment to use it. */
  env: NodeJS.ProcessEnv;
  /** Opens it in the test (close it before the CLI runs again: PGlite is one process's). */
  open(): Promise<Store>;
  remove(): Promise<void>;
}

export interface CliBackend {
  name: 'pglite' | 'postgres';
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A new, empty, migrated store. */
  fresh(): Promise<CliStore>;
}

let serial = 0;

/**
 * A migrated, empty PGlite data directory to copy: made once per PGlite version and schema (its
 * name carries a hash of both) and shared by the test files and runs. Made in a folder of its own
 * and renamed into place only once complete, so that a run killed half-way leaves none behind.
 */
export async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) hash.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  const template = join(tmpdir(), `sitrep-test-pglite-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(template, 'db', 'PG_VERSION'))) return template;
  const making = mkdtempSync(join(tmpdir(), 'sitrep-test-pglite-making-'));
  try {
    const store = await openStore({ dataDir: making });
    await store.close();
    rmSync(join(making, 'db.lock'), { force: true });
    try {
      renameSync(making, template);
    } catch {
      // Another test file made it meanwhile: use theirs.
    }
  } finally {
    rmSync(making, { recursive: true, force: true });
  }
  return template;
}

export function pgliteBackend(): CliBackend {
  let root = '';
  let template = '';
  return {
    name: 'pglite',
    async setup() {
      root = mkdtempSync(join(tmpdir(), 'sitrep-ingest-'));
      template = await pgliteTemplate();
    },
    async teardown() {
      if (root) rmSync(root, { recursive: true, force: true });
    },
    async fresh() {
      const dir = join(root, `data-${++serial}`);
      cpSync(template, dir, { recursive: true, filter: (src) => !src.endsWith('db.lock') });
      return {
        env: { SITREP_DATA: dir },
        open: () => openStore({ dataDir: dir }),
        remove: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

export function postgresBackend(): CliBackend {
  let admin: pg.Client | null = null;
  let unreachable: Error | null = null;
  const client = () => {
    if (unreachable) throw unreachable;
    return admin!;
  };
  return {
    name: 'postgres',
    async setup() {
      const c = new pg.Client({ connectionString: PG_URL });
      try {
        await c.connect();
        admin = c;
      } catch (err) {
        unreachable = new Error(`PostgreSQL is not reachable at ${PG_URL} (these tests need it; CI starts it): ${String(err)}`);
      }
    },
    async teardown() {
      await admin?.end();
      admin = null;
    },
    async fresh() {
      const schema = `sitrep_t_ingest_${process.pid}_${Date.now().toString(36)}_${++serial}`;
      await client().query(`create schema "${schema}"`);
      const url = new URL(PG_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return {
        env: { DATABASE_URL: url.toString() },
        open: () => openStore({ url: PG_URL, schema }),
        remove: async () => {
          await client().query(`drop schema if exists "${schema}" cascade`);
        },
      };
    },
  };
}

export const CLI_BACKENDS: CliBackend[] = [pgliteBackend(), postgresBackend()];

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF records) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (fieldStarted) throw new Error(`CSV: a quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (fieldStarted || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
