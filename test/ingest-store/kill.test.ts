/**
 * Group commit and kill -9, through the real CLI on PGlite and on PostgreSQL: `sitrep ingest` is
 * killed at random moments (after its first batch is committed, so while batches are being stored),
 * several times in a row, each run resuming the last; after each kill every stored article is whole
 * (its events exactly those of a clean run, each in a canonical event) and nothing the run reported
 * is missing; the last run completes, and the store then holds what a clean single run stores:
 * the same articles, the same events, the same canonical events (by their members), nothing doubled.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreCounts } from '../../src/store/index.js';
import { generatedJsonl } from './generate.js';
import { CLI_BACKENDS, ingestSummary, runCli, spawnCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild, type CliStore } from './helpers.js';

const ARTICLES = 300;
const KILLS = 4;

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-ingest-kill-'));
const input = join(tmp, 'generated.jsonl');

beforeAll(() => {
  warnIfStaleBuild();
  writeFileSync(input, generatedJsonl(ARTICLES));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What a store holds: each article's content hash, version and events (JSON as stored), the canonical events' member sets, the counts. */
interface Snapshot {
  articles: Map<string, { content_hash: string; version: number; events: string[] }>;
  /** Sorted member lists of the active canonical events, sorted. */
  canonical: string[];
  counts: StoreCounts;
}

async function snapshot(s: CliStore): Promise<Snapshot> {
  const store = await s.open();
  try {
    const articles: Snapshot['articles'] = new Map();
    for (let i = 1; i <= ARTICLES; i++) {
      const id = `gen-${String(i).padStart(4, '0')}`;
      const a = await store.getArticle(id);
      if (a) articles.set(id, { content_hash: a.content_hash, version: a.version, events: (await store.articleEvents(id)).map((e) => JSON.stringify(e)) });
    }
    const canonical: string[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await store.listCanonical({}, cursor, 1000);
      canonical.push(...page.items.map((c) => c.members.join(' ')));
      cursor = page.next;
    }
    return { articles, canonical: canonical.sort(), counts: await store.counts() };
  } finally {
    await store.close();
  }
}

/**
 * Starts `sitrep ingest`, waits for its first progress line (a batch is committed) and kills it with
 * SIGKILL `delayMs` later. Returns the highest article count it reported, and whether it finished
 * (exit 0) before the kill landed.
 */
function killAfter(env: NodeJS.ProcessEnv, delayMs: number): Promise<{ reported: number; finished: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(['ingest', input], env);
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
      if (!timer && /^ingest: \d+\/\d+ articles/m.test(stderr)) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      let reported = 0;
      for (const m of stderr.matchAll(/^ingest: (\d+)\/\d+ articles/gm)) reported = Math.max(reported, Number(m[1]));
      if (signal === 'SIGKILL') resolve({ reported, finished: false, stderr });
      else if (code === 0) resolve({ reported, finished: true, stderr });
      else reject(new Error(`sitrep ingest exited with ${code}:\n${stderr}`));
    });
  });
}

describe.each(CLI_BACKENDS)('sitrep ingest killed during batched commits on $name', (backend) => {
  beforeAll(() => backend.setup(), SPAWN_TIMEOUT_MS);
  afterAll(() => backend.teardown(), SPAWN_TIMEOUT_MS);

  it(
    `is killed ${KILLS} times at random moments, resumes each time, and ends with what a clean single run stores`,
    async () => {
      const clean = await backend.fresh();
      const s = await backend.fresh();
      try {
        const one = await runCli(['ingest', input, '--json'], clean.env);
        expect(one.code, one.stderr).toBe(0);
        const cleanRun = ingestSummary(one);
        expect(cleanRun).toMatchObject({ articles: ARTICLES, new: ARTICLES, failed: 0 });
        const want = await snapshot(clean);
        expect(want.articles.size).toBe(ARTICLES);

        // Kills land within the first half of what a whole run takes after its first batch.
        const spanMs = Math.max(200, cleanRun.seconds * 500);
        const log: string[] = [];
        let killed = 0;
        for (let k = 0; k < KILLS; k++) {
          const delay = Math.round(Math.random() * spanMs);
          const run = await killAfter(s.env, delay);
          const got = await snapshot(s);
          log.push(`run ${k + 1}: killed ${delay} ms after its first batch${run.finished ? ' (finished first)' : ''}, reported ${run.reported}, stored ${got.articles.size}`);
          const why = log.join('; ');
          if (!run.finished) killed++;
          // Nothing reported is missing: progress counts committed articles only.
          expect(got.articles.size, why).toBeGreaterThanOrEqual(run.reported);
          // Whole articles only: each stored one has exactly its clean-run events, every event in a canonical event.
          for (const [id, a] of got.articles) expect(a, `${id}; ${why}`).toEqual(want.articles.get(id));
          expect(got.counts.article_events, why).toBe([...got.articles.values()].reduce((n, a) => n + a.events.length, 0));
          expect(got.counts.canonical_members, why).toBe(got.counts.article_events);
          expect(got.counts.article_versions, why).toBe(0);
          if (run.finished) break;
        }
        expect(killed, log.join('; ')).toBeGreaterThan(0);

        const last = await runCli(['ingest', input, '--json'], s.env);
        expect(last.code, last.stderr).toBe(0);
        const summary = ingestSummary(last);
        expect(summary.failed).toBe(0);
        expect(summary.new + summary.unchanged).toBe(ARTICLES);
        const got = await snapshot(s);
        expect(got.articles).toEqual(want.articles);
        expect(got.canonical).toEqual(want.canonical);
        expect(got.counts).toEqual(want.counts);
      } finally {
        await clean.remove();
        await s.remove();
      }
    },
    SPAWN_TIMEOUT_MS * 3,
  );
});
