/**
 * Opening the store: which back end, where the PGlite database lives, persistence across close and
 * reopen, the one-process lock on a PGlite directory; and the content hash.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, deriveArticleId, normaliseForHash, openStore, resolveBackend, storeDir } from '../../src/store/index.js';
import { makeArticle, makeEvents, PG_URL } from './backends.js';

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sitrep-store-open-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('choosing the back end', () => {
  it('uses PGlite in <data dir>/db by default, SITREP_DATA when set, PostgreSQL when DATABASE_URL is set', () => {
    expect(resolveBackend({}, {})).toEqual({ kind: 'pglite', dir: join(resolve('sitrep-data'), 'db') });
    expect(resolveBackend({}, { SITREP_DATA: '/srv/sitrep' })).toEqual({ kind: 'pglite', dir: '/srv/sitrep/db' });
    expect(resolveBackend({}, { SITREP_DATA: '  ' })).toEqual({ kind: 'pglite', dir: join(resolve('sitrep-data'), 'db') });
    expect(resolveBackend({}, { DATABASE_URL: 'postgres://h/db', SITREP_DATA: '/x' })).toEqual({ kind: 'postgres', url: 'postgres://h/db' });
    expect(resolveBackend({ url: 'postgres://a/b' }, {})).toEqual({ kind: 'postgres', url: 'postgres://a/b' });
    // Explicit options win over the environment.
    expect(resolveBackend({ dataDir: '/d' }, { DATABASE_URL: 'postgres://h/db' })).toEqual({ kind: 'pglite', dir: '/d/db' });
    expect(resolveBackend({ memory: true }, { DATABASE_URL: 'postgres://h/db' })).toEqual({ kind: 'pglite', dir: null });
    expect(storeDir('/data')).toBe('/data/db');
  });

  it('opens PostgreSQL from DATABASE_URL', async () => {
    const saved = process.env['DATABASE_URL'];
    process.env['DATABASE_URL'] = PG_URL;
    const schema = `sitrep_t_env_${process.pid}_${Date.now().toString(36)}`;
    try {
      const store = await openStore({ schema });
      expect(store.kind).toBe('postgres');
      expect((await store.counts()).articles).toBe(0);
      await store.transaction(async (tx) => {
        await tx.putArticle(makeArticle('env'), []);
      });
      expect((await store.getArticle('env'))?.id).toBe('env');
      await store.close();
    } finally {
      if (saved === undefined) delete process.env['DATABASE_URL'];
      else process.env['DATABASE_URL'] = saved;
      const pg = await import('pg');
      const c = new pg.default.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    }
  }, 30_000);

  it('fails loudly, naming the server, when PostgreSQL is not reachable', async () => {
    await expect(openStore({ url: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toThrow(/cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
  });
});

describe('PGlite in a data directory', () => {
  it('keeps the data after close and reopen, and migrates on every open (timed)', async () => {
    const dataDir = join(tmp, 'persist');
    const t0 = performance.now();
    const store = await openStore({ dataDir });
    const openMs = performance.now() - t0;
    expect(store.kind).toBe('pglite');
    expect(store.where).toBe(join(dataDir, 'db'));
    const a = makeArticle('p1', { url: 'https://example.org/p1' });
    const events = makeEvents(a);
    await store.putArticle(a, events);
    await store.createCanonical({ id: 'pc', event: events[0]!, members: [events[0]!.event_id] });
    const before = await store.counts();
    await store.close();

    const t1 = performance.now();
    const again = await openStore({ dataDir });
    const reopenMs = performance.now() - t1;
    console.log(`[store pglite] open + migrate of a new data directory: ${openMs.toFixed(0)} ms; reopen: ${reopenMs.toFixed(0)} ms`);
    expect((await again.migrate()).applied).toEqual([]);
    expect(await again.counts()).toEqual(before);
    expect(await again.articleEvents('p1')).toEqual(events);
    expect((await again.getCanonical('pc'))?.members).toEqual([events[0]!.event_id]);
    expect((await again.putArticle(a, events)).status).toBe('unchanged');
    await again.close();
  }, 60_000);

  it('uses SITREP_DATA when no option says otherwise', async () => {
    const saved = { data: process.env['SITREP_DATA'], url: process.env['DATABASE_URL'] };
    process.env['SITREP_DATA'] = join(tmp, 'from-env');
    delete process.env['DATABASE_URL'];
    try {
      const store = await openStore();
      expect(store.where).toBe(join(tmp, 'from-env', 'db'));
      await store.close();
      expect(existsSync(join(tmp, 'from-env', 'db', 'PG_VERSION'))).toBe(true);
    } finally {
      for (const [k, v] of [['SITREP_DATA', saved.data], ['DATABASE_URL', saved.url]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }, 60_000);

  it('refuses a second opener of the same directory while the first is open, and takes over a dead one', async () => {
    const dataDir = join(tmp, 'locked');
    const first = await openStore({ dataDir });
    await expect(openStore({ dataDir })).rejects.toThrow(/the database in .*locked\/db is in use by this process/);
    await first.close();
    // A lock left by a process that was killed: its pid no longer runs.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dataDir, 'db.lock'), dead);
    const second = await openStore({ dataDir });
    expect((await second.counts()).articles).toBe(0);
    await second.close();
    expect(existsSync(join(dataDir, 'db.lock'))).toBe(false);
  }, 60_000);

  it('opens in memory', async () => {
    const store = await openStore({ memory: true });
    expect(store.where).toBe('memory');
    await store.putArticle(makeArticle('mem'), []);
    expect((await store.counts()).articles).toBe(1);
    await store.close();
  }, 60_000);
});

describe('content hash', () => {
  it('ignores case and whitespace, not words', () => {
    const h = contentHash('Gunmen killed 5 villagers.\nThe army said.');
    expect(contentHash('  GUNMEN killed\t5   villagers. the ARMY said. \n')).toBe(h);
    expect(contentHash('Gunmen killed 6 villagers.\nThe army said.')).not.toBe(h);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    // Composed and decomposed accents are the same text.
    expect(contentHash('Ténenkou')).toBe(contentHash('Te\u0301nenkou'));
    expect(normaliseForHash(' A\n\nB ')).toBe('a b');
  });

  it('answers a text it has hashed with the same hash, also once its memo has been emptied', () => {
    const sha = (t: string) => createHash('sha256').update(normaliseForHash(t), 'utf8').digest('hex');
    const texts = Array.from({ length: 1500 }, (_, i) => `Report ${i}: gunmen killed ${i % 7} villagers.`);
    // More texts than the memo holds, twice over: every answer is the hash of its own text.
    for (const t of [...texts, ...texts.reverse()]) expect(contentHash(t)).toBe(sha(t));
    const long = 'x '.repeat(2_500_000);
    expect(contentHash(long)).toBe(sha(long));
    expect(contentHash(long)).toBe(sha(long));
  });

  it('derives stable ids from the URL, else the content', () => {
    expect(deriveArticleId({ url: 'https://x.example/a', text: 'one' })).toBe(deriveArticleId({ url: 'https://x.example/a', text: 'two' }));
    expect(deriveArticleId({ url: null, text: 'One  text' })).toBe(deriveArticleId({ text: 'one text' }));
    expect(deriveArticleId({ text: 'one text' })).not.toBe(deriveArticleId({ text: 'another text' }));
    expect(deriveArticleId({ text: 'x' })).toMatch(/^sha-[0-9a-f]{20}$/);
  });
});
