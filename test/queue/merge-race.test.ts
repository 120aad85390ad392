/**
 * Merging under concurrency, on PostgreSQL: two writers (two stores, two pools, as two workers
 * have) store two reports of one incident at the same moment, each with the merger. A merge step
 * that waits for the other writer to reach its own merge step makes them overlap whenever nothing
 * serialises them. With the pipeline's merge locks (src/jobs/merge-locks.ts) the second writer
 * waits for the first to commit, sees its canonical event and joins it: one canonical event with
 * both reports, as a sequential run leaves. Without them (`mergeLocks: false`) both see no
 * candidate and each leaves its own, which shows that the test can tell.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestInput } from '../../src/jobs/inputs.js';
import { mergeCanonicals, type MergeStep } from '../../src/jobs/merge-step.js';
import { ingestArticles } from '../../src/jobs/pipeline.js';
import { mergeLockNames } from '../../src/jobs/merge-locks.js';
import { openStore, type Store } from '../../src/store/index.js';
import { PG_URL } from '../store/backends.js';
import { freshSchema, type TestSchema } from './helpers.js';

const REPORTS: IngestInput[] = [
  {
    label: 'race-a',
    idGiven: true,
    article: {
      id: 'race-a', title: null, url: null, published: '2023-01-12', removed: [],
      text: 'BAMAKO, 12 January 2023 - Gunmen killed 14 soldiers in an ambush near Tenenkou in the Mopti region on Tuesday, the Malian army said. The attackers, suspected JNIM fighters, burned two army trucks on the road to Diafarabe.',
    },
  },
  {
    label: 'race-b',
    idGiven: true,
    article: {
      id: 'race-b', title: null, url: null, published: '2023-01-12', removed: [],
      text: 'BAMAKO, 12 January 2023 - Suspected JNIM fighters ambushed an army convoy near Tenenkou in the Mopti region on Tuesday and killed 14 soldiers, army sources said. Two army trucks were burned on the road to Diafarabe, residents said.',
    },
  },
];

/**
 * A merge step that waits (at most `ms`) until `n` writers are inside it at once, then merges;
 * `met()`: whether they ever were.
 */
function rendezvous(n: number, ms: number): { step: MergeStep; met: () => boolean } {
  let inside = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  let met = false;
  return {
    step: async (tx, stored) => {
      if (++inside === n) {
        met = true;
        release();
      }
      try {
        await Promise.race([all, new Promise((r) => setTimeout(r, ms))]);
        return await mergeCanonicals(tx, stored);
      } finally {
        inside--;
      }
    },
    met: () => met,
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function twoWriters(): Promise<{ s: TestSchema; a: Store; b: Store }> {
  const s = await freshSchema();
  const a = await openStore({ url: PG_URL, schema: s.schema });
  const b = await openStore({ url: PG_URL, schema: s.schema });
  cleanups.push(() => s.remove(), () => a.close(), () => b.close());
  return { s, a, b };
}

const active = (s: TestSchema) =>
  s.sql(`select c.id, array_agg(m.event_id order by m.event_id) as members from canonical_events c join canonical_members m on m.canonical_id = c.id where c.status = 'active' group by c.id`);

describe('concurrent merging (PostgreSQL)', () => {
  it('the two reports lock a block in common', () => {
    const e = { iso3: 'MLI', country: 'Mali', event_date: '2023-01-10', event_type: 'Battles', time_precision: 1 as const };
    const near = { ...e, event_date: '2023-01-16' };
    const far = { ...e, event_date: '2023-03-01' };
    const common = (x: typeof e, y: typeof e) => mergeLockNames(x).some((n) => mergeLockNames(y).includes(n));
    expect(common(e, near)).toBe(true);
    expect(common(e, far)).toBe(false);
    expect(mergeLockNames({ ...e, event_date: null })).toEqual([]);
  });

  it('a sequential run merges the two reports into one canonical event', async () => {
    const { s, a } = await twoWriters();
    const r = await ingestArticles(a, REPORTS, { merge: mergeCanonicals });
    expect(r.new).toBe(2);
    const rows = await active(s);
    expect(rows).toHaveLength(1);
    expect(rows[0]!['members']).toHaveLength(2);
  }, 60_000);

  it('two writers storing them at the same moment merge them into one canonical event', async () => {
    const { s, a, b } = await twoWriters();
    const meet = rendezvous(2, 2000);
    const [ra, rb] = await Promise.all([ingestArticles(a, [REPORTS[0]!], { merge: meet.step }), ingestArticles(b, [REPORTS[1]!], { merge: meet.step })]);
    expect(ra.new + rb.new).toBe(2);
    expect(meet.met()).toBe(false); // the second waited for the first's lock instead
    const rows = await active(s);
    expect(rows).toHaveLength(1);
    expect(rows[0]!['members']).toHaveLength(2);
    expect(await s.sql(`select kind from merge_decisions`)).toEqual([{ kind: 'pair' }]);
  }, 60_000);

  it('without the merge locks they race, and each report stays on its own', async () => {
    const { s, a, b } = await twoWriters();
    const meet = rendezvous(2, 5000);
    await Promise.all([ingestArticles(a, [REPORTS[0]!], { merge: meet.step, mergeLocks: false }), ingestArticles(b, [REPORTS[1]!], { merge: meet.step, mergeLocks: false })]);
    expect(meet.met()).toBe(true);
    expect(await active(s)).toHaveLength(2);
  }, 60_000);
});
