/** `sitrep eval --merge`'s measuring: messages ingested into a fresh store, pairs scored against MUC-4 gold pairs. */
import { describe, expect, it } from 'vitest';
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
