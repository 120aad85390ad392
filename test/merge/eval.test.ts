/**
 * `sitrep eval --merge`'s measuring: messages ingested into a fresh store, pairs scored against MUC-4
 * gold pairs; and, through the spawned CLI, its floors (`--floors`, `--ratchet` on the `muc4-merge` set).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SPAWN_TIMEOUT_MS } from '../ingest-store/helpers.js';
import { parseMuc4Row } from '../../src/eval/gold.js';
import { formatMergeResult, measureMerges } from '../../src/eval/merge-run.js';

// MUC-4 style: all capitals, a dated dateline, no publication date given.
const A = 'BAMAKO, 11 JAN 23 (REUTERS) -- ISLAMIST MILITANTS FROM JNIM AMBUSHED A MALIAN ARMY CONVOY ESCORTING GOVERNOR ABDOULAYE KASSOGUE NEAR TENENKOU IN THE MOPTI REGION ON 10 JANUARY, KILLING 14 SOLDIERS, THE ARMY SAID.';
const B = 'MOPTI, 12 JAN 23 (AFP) -- AT LEAST 20 MALIAN SOLDIERS WERE KILLED WHEN JNIM FIGHTERS AMBUSHED THE CONVOY OF GOVERNOR ABDOULAYE KASSOGUE NEAR TENENKOU ON 10 JANUARY, LOCAL OFFICIALS SAID.';
const C = 'GAO, 12 JAN 23 -- GUNMEN KILLED FIVE CIVILIANS IN AN ATTACK ON THE VILLAGE OF MARSI IN THE GAO REGION ON 11 JANUARY, RESIDENTS SAID.';
const template = (date: string, location: string, name: string) => ({ 'INCIDENT: DATE': date, 'INCIDENT: LOCATION': location, 'INCIDENT: TYPE': 'ATTACK', 'HUM TGT: DESCRIPTION': `"${name}"` });

describe('measureMerges', () => {
  it('scores the store\'s merges against the gold pairs', async () => {
    const records = [
      parseMuc4Row({ message_id: 'M-1', text: A, templates: [template('10 JAN 23', 'MALI: TENENKOU', 'SOLDIERS')] }),
      parseMuc4Row({ message_id: 'M-2', text: B, templates: [template('10 JAN 23', 'MALI: TENENKOU', 'SOLDIERS')] }),
      parseMuc4Row({ message_id: 'M-3', text: C, templates: [template('11 JAN 23', 'MALI: MARSI', 'CIVILIANS')] }),
    ];
    const r = await measureMerges(records, 0);
    expect(r.merge_precision).toEqual({ value: 1, n: 1 });
    expect(r.merge_recall).toEqual({ value: 1, n: 1 });
    expect(r).toMatchObject({ messages: 3, canonical_events: 2, merged_canonical_events: 1 });
    expect(formatMergeResult(r)).toMatch(/merge_precision\s+1\.000 \(n=1\)/);
  }, 60_000);
});

describe('sitrep eval --merge --floors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sitrep-merge-floors-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  // M-3 is gold-linked to M-1 too (the same date, place and target), which the merger rightly keeps apart: recall 1/3.
  const rows = [
    { message_id: 'M-1', text: A, templates: [template('10 JAN 23', 'MALI: TENENKOU', 'SOLDIERS')] },
    { message_id: 'M-2', text: B, templates: [template('10 JAN 23', 'MALI: TENENKOU', 'SOLDIERS')] },
    { message_id: 'M-3', text: C, templates: [template('10 JAN 23', 'MALI: TENENKOU', 'SOLDIERS')] },
  ];
  const gold = join(tmp, 'muc4.small.jsonl');
  writeFileSync(gold, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const env = { ...process.env, SITREP_DATA: join(tmp, 'data') };

  it(
    'holds the muc4-merge floors it reaches, fails the ones it does not, and ratchets best figures',
    async () => {
      const floors = join(tmp, 'floors.json');
      writeFileSync(floors, JSON.stringify({ 'muc4-merge': { merge_precision: { floor: 0.85, best: 0.5 }, merge_recall: { floor: 0.6, best: 0.2 } }, gtd: { detected: 0.99 } }));
      const ok = await runCli(['eval', '--merge', gold, '--floors', floors, '--ratchet'], env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/merge_precision\s+1\.000 \(n=1\)/);
      expect(ok.stdout).toMatch(/merge_recall\s+0\.333 \(n=3\)/);
      expect(ok.stderr).toContain('muc4-merge merge_precision 0.500 -> 1.000');
      const raised = JSON.parse(readFileSync(floors, 'utf8')) as Record<string, Record<string, { floor: number; best: number }>>;
      expect(raised['muc4-merge']).toEqual({ merge_precision: { floor: 0.85, best: 1 }, merge_recall: { floor: 0.6, best: 0.333 } });

      writeFileSync(floors, JSON.stringify({ 'muc4-merge': { merge_recall: 0.6 } }));
      const low = await runCli(['eval', '--merge', gold, '--floors', floors], env);
      expect(low.code).toBe(1);
      expect(low.stderr).toContain('FLOOR FAILED muc4-merge merge_recall 0.333 < 0.600');

      const bad = await runCli(['eval', '--merge', gold, '--floors', join(tmp, 'none.json')], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--floors');
    },
    SPAWN_TIMEOUT_MS * 4,
  );
});
