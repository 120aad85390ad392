/**
 * Merging through the real CLI on PGlite: `sitrep ingest --merge` (merging is opt-in) joins two reports of
 * one attack into one canonical event (both sources, counts from both articles' claims) and keeps
 * another attack apart; `sitrep merge --explain` shows the decision; `sitrep unmerge` splits it and a
 * later ingest of a changed text of the same article does not merge it again; without `--merge`
 * (the default) and with `--no-merge` every report stays on its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SitrepEvent } from '../../src/core/types.js';
import { expectNoStackTrace, ingestSummary, pgliteBackend, runCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild } from '../ingest-store/helpers.js';

const A = 'BAMAKO, Jan 11 (Reuters) - Islamist militants from JNIM ambushed a Malian army convoy near Tenenkou in the Mopti region on Tuesday 10 January 2023, killing at least 14 soldiers, the army said in a statement.';
const B = 'MOPTI, Mali, Jan 12 (AFP) - At least 20 Malian soldiers were killed when JNIM fighters attacked a military convoy near Tenenkou on 10 January 2023, local officials said. JNIM claimed the attack.';
const C = 'GAO, Mali, Jan 12 - Gunmen killed five civilians in an attack on the village of Marsi in the Gao region on 11 January 2023, residents said.';

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-merge-'));
const backend = pgliteBackend();
const line = (id: string, text: string, published: string) => JSON.stringify({ id, text, published });
const file = (name: string, lines: string[]) => {
  const p = join(tmp, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
};
const events = (stdout: string) => stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SitrepEvent);
const sourcesOf = (e: SitrepEvent) => e.sources.map((s) => s.article_id).sort();

beforeAll(async () => {
  warnIfStaleBuild();
  await backend.setup();
}, SPAWN_TIMEOUT_MS);
afterAll(async () => {
  await backend.teardown();
  rmSync(tmp, { recursive: true, force: true });
});

describe('merging through sitrep ingest', () => {
  it(
    'joins two reports of one attack, keeps another apart; explain shows the decision; unmerge splits it for good',
    async () => {
      const s = await backend.fresh();
      const input = file('abc.jsonl', [line('wire-a', A, '2023-01-11'), line('wire-b', B, '2023-01-12'), line('wire-c', C, '2023-01-12')]);
      const ing = await runCli(['ingest', input, '--json', '--merge'], s.env);
      expect(ing.code, ing.stderr).toBe(0);
      expect(ingestSummary(ing).events).toBe(3);

      const out = events((await runCli(['export', '--format', 'jsonl'], s.env)).stdout);
      expect(out).toHaveLength(2);
      const merged = out.find((e) => e.sources.length === 2)!;
      expect(sourcesOf(merged)).toEqual(['wire-a', 'wire-b']);
      expect(merged.claims.map((c) => c.article_id).sort()).toEqual(['wire-a', 'wire-b']);
      // The same victims in two reports: low the lowest figure, best the highest.
      expect([merged.fatalities, merged.fatalities_best]).toEqual([14, 20]);
      expect(sourcesOf(out.find((e) => e !== merged)!)).toEqual(['wire-c']);

      const store = await s.open();
      const bEvent = (await store.articleEvents('wire-b'))[0]!.event_id;
      await store.close();

      const ex = await runCli(['merge', '--explain', bEvent], s.env);
      expect(ex.code, ex.stderr).toBe(0);
      expect(ex.stdout).toMatch(/decision \d+: pair .* score \d/);
      expect(ex.stdout).toContain('same_day');
      expect(ex.stdout).toContain('same_place');
      expect(ex.stdout).toContain('shared_actors');
      expect(ex.stdout).toMatch(/shared_evidence: similarity 0\.\d+ \(needs 0\.\d+\): convoy/);
      const exJson = JSON.parse((await runCli(['merge', '--explain', bEvent, '--json'], s.env)).stdout) as { members: string[]; decisions: { score: number; undone: boolean }[] };
      expect(exJson.members).toHaveLength(2);
      expect(exJson.decisions[0]!.score).toBeGreaterThanOrEqual(5);

      const un = await runCli(['unmerge', bEvent, '--reason', 'test'], s.env);
      expect(un.code, un.stderr).toBe(0);
      let after = events((await runCli(['export', '--format', 'jsonl'], s.env)).stdout);
      expect(after.map(sourcesOf).sort()).toEqual([['wire-a'], ['wire-b'], ['wire-c']]);
      expect(after.find((e) => sourcesOf(e)[0] === 'wire-a')!.fatalities).toBe(14);
      const exUndone = await runCli(['merge', '--explain', bEvent], s.env);
      expect(exUndone.stdout).toContain('UNDONE by cli');

      // The same articles again, and a changed text of wire-b: nothing merges the undone pair again.
      const again = await runCli(['ingest', input, '--json', '--merge'], s.env);
      expect(ingestSummary(again).unchanged).toBe(3);
      const changed = file('b2.jsonl', [line('wire-b', B.replace('local officials said', 'local officials told reporters'), '2023-01-12')]);
      const re = await runCli(['ingest', changed, '--json', '--merge'], s.env);
      expect(ingestSummary(re).replaced).toBe(1);
      after = events((await runCli(['export', '--format', 'jsonl'], s.env)).stdout);
      expect(after.map(sourcesOf).sort()).toEqual([['wire-a'], ['wire-b'], ['wire-c']]);

      const bad = await runCli(['unmerge', 'no-such-event'], s.env);
      expect(bad.code).toBe(1);
      expectNoStackTrace(bad.stderr);
      await s.remove();
    },
    SPAWN_TIMEOUT_MS * 4,
  );

  it(
    'two different attacks stay two canonical events',
    async () => {
      const s = await backend.fresh();
      const input = file('ac.jsonl', [line('wire-a', A, '2023-01-11'), line('wire-c', C, '2023-01-12')]);
      expect((await runCli(['ingest', input, '--json', '--merge'], s.env)).code).toBe(0);
      const out = events((await runCli(['export', '--format', 'jsonl'], s.env)).stdout);
      expect(out.map(sourcesOf).sort()).toEqual([['wire-a'], ['wire-c']]);
      await s.remove();
    },
    SPAWN_TIMEOUT_MS * 2,
  );

  it(
    'by default and with --no-merge two reports of one attack stay apart; --merge joins them',
    async () => {
      const s = await backend.fresh();
      const input = file('ab.jsonl', [line('wire-a', A, '2023-01-11'), line('wire-b', B, '2023-01-12')]);
      expect((await runCli(['ingest', input, '--json'], s.env)).code).toBe(0);
      expect(events((await runCli(['export', '--format', 'jsonl'], s.env)).stdout).map(sourcesOf).sort()).toEqual([['wire-a'], ['wire-b']]);
      const apart = await backend.fresh();
      expect((await runCli(['ingest', input, '--json', '--no-merge'], apart.env)).code).toBe(0);
      expect(events((await runCli(['export', '--format', 'jsonl'], apart.env)).stdout).map(sourcesOf).sort()).toEqual([['wire-a'], ['wire-b']]);
      await apart.remove();
      const merged = await backend.fresh();
      expect((await runCli(['ingest', input, '--json', '--merge'], merged.env)).code).toBe(0);
      expect(events((await runCli(['export', '--format', 'jsonl'], merged.env)).stdout).map(sourcesOf)).toEqual([['wire-a', 'wire-b']]);
      await s.remove();
      await merged.remove();
    },
    SPAWN_TIMEOUT_MS * 4,
  );
});
