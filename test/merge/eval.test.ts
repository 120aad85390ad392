/** `sitrep eval --merge`'s measuring: messages ingested into a fresh store, pairs scored against MUC-4 gold pairs. */
import { describe, expect, it } from 'vitest';
import { parseMuc4Row } from '../../src/eval/gold.js';
import { formatMergeResult, measureMerges } from '../../src/eval/merge-run.js';

const A = 'BAMAKO, Jan 11 (Reuters) - Islamist militants from JNIM ambushed a Malian army convoy near Tenenkou in the Mopti region on Tuesday 10 January 2023, killing at least 14 soldiers, the army said in a statement.';
const B = 'MOPTI, Mali, Jan 12 (AFP) - At least 20 Malian soldiers were killed when JNIM fighters attacked a military convoy near Tenenkou on 10 January 2023, local officials said. JNIM claimed the attack.';
const C = 'GAO, Mali, Jan 12 - Gunmen killed five civilians in an attack on the village of Marsi in the Gao region on 11 January 2023, residents said.';
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
