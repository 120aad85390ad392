/**
 * The two back ends the store tests run against, and test data.
 *
 * Every test gets a freshly created schema (search_path), dropped afterwards, so tests and
 * concurrent runs never see each other's data:
 * - PGlite: one database in a temporary directory per test file, a schema per test;
 * - PostgreSQL at SITREP_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test. When it is
 *   not reachable the PostgreSQL tests fail (CI starts it); they are never skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Article, Claim, SitrepEvent } from '../../src/core/types.js';
import { openStore } from '../../src/store/index.js';
import type { OpenStoreOptions, Store } from '../../src/store/index.js';

export const PG_URL = process.env['SITREP_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** beforeAll */
  setup(): Promise<void>;
  /** afterAll */
  teardown(): Promise<void>;
  /** A schema name not used before (not created yet). */
  newSchema(): string;
  /** A store on `schema` (default: a new one); closed and its schema dropped by `cleanup`. */
  open(opts?: { schema?: string; migrate?: boolean }): Promise<Store>;
  /** Runs SQL in `schema` outside the store (to inspect or tamper). */
  sql(schema: string, text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** afterEach: closes the stores opened and drops their schemas. */
  cleanup(): Promise<void>;
}

let serial = 0;
const schemaName = (name: string) => `sitrep_t_${name}_${process.pid}_${Date.now().toString(36)}_${++serial}`;

function pgliteBackend(): TestBackend {
  let dir = '';
  let db: PGlite | null = null;
  let stores: Store[] = [];
  let schemas = new Set<string>();
  const instance = () => {
    if (!db) throw new Error('pglite backend: setup() not run');
    return db;
  };
  return {
    name: 'pglite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'sitrep-store-'));
      db = await PGlite.create(join(dir, 'db'));
    },
    async teardown() {
      await db?.close();
      db = null;
      rmSync(dir, { recursive: true, force: true });
    },
    newSchema: () => schemaName('pglite'),
    async open(opts = {}) {
      const schema = opts.schema ?? schemaName('pglite');
      schemas.add(schema);
      const o: OpenStoreOptions = { pglite: instance(), schema };
      if (opts.migrate === false) o.migrate = false;
      const store = await openStore(o);
      stores.push(store);
      return store;
    },
    async sql(schema, text, params) {
      // One connection: point it at the schema for this statement, then back where the store had it.
      const [prev] = (await instance().query<{ p: string }>('select current_setting($1) as p', ['search_path'])).rows;
      await instance().exec(`set search_path to "${schema}"`);
      try {
        return (await instance().query<Record<string, unknown>>(text, params)).rows;
      } finally {
        await instance().query(`select set_config('search_path', $1, false)`, [prev?.p ?? 'public']);
      }
    },
    async cleanup() {
      for (const s of stores) await s.close();
      for (const s of schemas) await instance().exec(`drop schema if exists "${s}" cascade`);
      stores = [];
      schemas = new Set();
      await instance().exec('set search_path to public');
    },
  };
}

function postgresBackend(): TestBackend {
  let admin: pg.Client | null = null;
  let unreachable: Error | null = null;
  let stores: Store[] = [];
  let schemas = new Set<string>();
  // Not reachable: every test fails with this (rather than the hook failing and the tests showing as skipped).
  const client = () => {
    if (unreachable) throw unreachable;
    if (!admin) throw new Error('postgres backend: setup() not run');
    return admin;
  };
  return {
    name: 'postgres',
    async setup() {
      const c = new pg.Client({ connectionString: PG_URL });
      try {
        await c.connect();
        admin = c;
      } catch (err) {
        unreachable = new Error(`PostgreSQL is not reachable at ${PG_URL} (the store tests need it; CI starts it): ${String(err)}`);
      }
    },
    async teardown() {
      await admin?.end();
      admin = null;
    },
    newSchema: () => schemaName('pg'),
    async open(opts = {}) {
      client();
      const schema = opts.schema ?? schemaName('pg');
      schemas.add(schema);
      const o: OpenStoreOptions = { url: PG_URL, schema };
      if (opts.migrate === false) o.migrate = false;
      const store = await openStore(o);
      stores.push(store);
      return store;
    },
    async sql(schema, text, params) {
      await client().query(`set search_path to "${schema}"`);
      return (await client().query(text, params)).rows as Record<string, unknown>[];
    },
    async cleanup() {
      for (const s of stores) await s.close();
      if (unreachable) return;
      for (const s of schemas) await client().query(`drop schema if exists "${s}" cascade`);
      stores = [];
      schemas = new Set();
    },
  };
}

export const BACKENDS: TestBackend[] = [pgliteBackend(), postgresBackend()];

// ---------------------------------------------------------------- test data

/** An article whose text has one sentence per event, for `makeEvents`. */
export function makeArticle(id: string, opts: Partial<Article> & { sentences?: string[] } = {}): Article {
  const sentences = opts.sentences ?? [
    `Gunmen killed 5 villagers near Kidal on 3 March 2023 (${id}).`,
    `The army said at least 12 militants were killed in Gao on 4 March 2023 (${id}).`,
  ];
  const { sentences: _s, ...rest } = opts;
  return { id, title: `Report ${id}`, url: null, published: '2023-03-05', text: sentences.join('\n'), removed: [], ...rest };
}

/** One valid event per sentence of `article.text`, with a claim and evidence pointing into it. */
export function makeEvents(article: Article, overrides: Array<Partial<SitrepEvent>> = []): SitrepEvent[] {
  const out: SitrepEvent[] = [];
  let start = 0;
  const lines = article.text.split('\n');
  lines.forEach((line, i) => {
    const end = start + line.length;
    const m = /\d+/.exec(line);
    const claim: Claim = {
      kind: 'killed',
      count: m ? Number(m[0]) : null,
      count_high: null,
      qualifier: 'exact',
      claimant: i % 2 ? 'Military Forces of Mali' : null,
      victim: i % 2 ? 'militants' : 'civilians',
      text: m ? m[0] : line,
      start: m ? start + m.index : start,
      end: m ? start + m.index + m[0].length : end,
    };
    out.push({
      event_id: `${article.id}:${i + 1}:x`,
      event_date: '2023-03-03',
      time_precision: 1,
      event_type: i % 2 ? 'Battles' : 'Violence against civilians',
      sub_event_type: i % 2 ? 'Armed clash' : 'Attack',
      disorder_type: 'Political violence',
      actor1: i % 2 ? 'Military Forces of Mali' : 'Unidentified Armed Group (Mali)',
      assoc_actor_1: i % 2 ? 'Wagner Group' : null,
      actor2: i % 2 ? 'JNIM: Group for Support of Islam and Muslims' : 'Civilians (Mali)',
      assoc_actor_2: null,
      inter1: i % 2 ? 1 : 3,
      inter2: i % 2 ? 2 : 7,
      interaction: i % 2 ? 12 : 37,
      civilian_targeting: i % 2 === 0,
      country: 'Mali',
      iso3: 'MLI',
      admin1: i % 2 ? 'Gao' : 'Kidal',
      admin2: null,
      location: i % 2 ? 'Gao' : 'Kidal',
      latitude: i % 2 ? 16.27 : 18.44,
      longitude: i % 2 ? -0.04 : 1.41,
      geo_precision: 1,
      geo_basis: 'place',
      fatalities: claim.count ?? 0,
      fatalities_low: claim.count ?? 0,
      fatalities_best: claim.count ?? 0,
      fatalities_high: claim.count ?? 0,
      injured_low: 0,
      injured_best: 0,
      injured_high: 0,
      weapons: ['firearms'],
      claims: [claim],
      sources: [{ article_id: article.id, url: article.url, title: article.title, published: article.published, source: null }],
      evidence: [{ field: 'location', start, end: Math.min(end, start + 6) }],
      notes: `On 3 March 2023, event ${i + 1} of ${article.id}: ${line}`,
      ...overrides[i],
    });
    start = end + 1;
  });
  return out;
}
