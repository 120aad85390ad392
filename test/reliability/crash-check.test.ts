/**
 * kill -9 then `sitrep check`, through the real CLI on PGlite and PostgreSQL: `sitrep ingest --merge`
 * is killed with SIGKILL at a random moment after its first committed batch, KILLS times in a row,
 * each run resuming the last; after every kill the store opens and `sitrep check` finds nothing wrong
 * (no event without a source or canonical event, no span outside its article, no half-made merge);
 * the last run completes the batch and the check passes again, with every article stored once.
 * (test/ingest-store/kill.test.ts compares the killed runs with a clean one, without --merge.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedJsonl } from '../ingest-store/generate.js';
import { CLI_BACKENDS, ingestSummary, runCli, spawnCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild, type CliStore } from '../ingest-store/helpers.js';

// Enough that a run outlasts the kill's delay after its first committed batch on a quiet machine
// too (100 articles finished within 1.5 s there, and no kill landed).
const ARTICLES = 200;
const MAX_KILL_DELAY_MS = 300;
export const KILLS = 3;

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-crash-check-'));
const input = join(tmp, 'generated.jsonl');

beforeAll(() => {
  warnIfStaleBuild();
  writeFileSync(input, generatedJsonl(ARTICLES, 1000));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Starts `sitrep ingest --merge`, kills it `delayMs` after its first progress line; whether it finished first. */
function killAfter(env: NodeJS.ProcessEnv, delayMs: number): Promise<{ finished: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(['ingest', '--merge', input], env);
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
      if (!timer && /^ingest: \d+\/\d+ articles/m.test(stderr)) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ finished: false, stderr });
      else if (code === 0) resolve({ finished: true, stderr });
      else reject(new Error(`sitrep ingest exited with ${code}:\n${stderr}`));
    });
  });
}

for (const backend of CLI_BACKENDS) {
  describe(`kill -9 during ingest --merge, then sitrep check, on ${backend.name}`, { timeout: SPAWN_TIMEOUT_MS * (KILLS + 3) }, () => {
    let s: CliStore;
    beforeAll(async () => {
      await backend.setup();
      s = await backend.fresh();
    });
    afterAll(async () => {
      await s?.remove();
      await backend.teardown();
    });

    it(`${KILLS} kills at random moments; the store checks clean after each, and resuming completes it`, async () => {
      let kills = 0;
      for (let i = 0; i < KILLS; i++) {
        const k = await killAfter(s.env, Math.floor(Math.random() * MAX_KILL_DELAY_MS));
        if (k.finished) break; // it finished before the kill landed: nothing left to interrupt
        kills++;
        const check = await runCli(['check'], s.env);
        expect(check.stdout + check.stderr, `after kill ${kills}`).toMatch(/: no problems\n$/);
        expect(check.code).toBe(0);
      }
      const last = await runCli(['ingest', '--merge', '--json', input], s.env);
      expect(last.code, last.stderr).toBe(0);
      const summary = ingestSummary(last);
      expect(summary.new + summary.unchanged + summary.replaced).toBe(ARTICLES);
      expect(summary.replaced).toBe(0);
      const check = await runCli(['check', '--json'], s.env);
      const report = JSON.parse(check.stdout) as { problems: unknown[]; checked: { articles: number } };
      expect(report.problems).toEqual([]);
      expect(report.checked.articles).toBe(ARTICLES);
      expect(check.code).toBe(0);
      console.log(`crash-check ${backend.name}: ${kills} kill(s) landed before the batch finished`);
      expect(kills).toBeGreaterThan(0);
    });
  });
}
