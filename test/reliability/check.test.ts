/**
 * `sitrep check` through the real CLI on both back ends: a healthy store (ingested with --merge, an
 * unmerge undone through the CLI, an article with characters outside the BMP before its claims)
 * passes with exit 0; the same store corrupted on purpose with SQL, one fault per rule, fails with
 * exit 3 and names every fault.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { generatedJsonl } from '../ingest-store/generate.js';
import { CLI_BACKENDS, runCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild, type CliStore } from '../ingest-store/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-check-'));
const input = join(tmp, 'articles.jsonl');

beforeAll(() => {
  warnIfStaleBuild();
  // Two reports of one attack (merged), and an article whose text has emoji and an astral-plane
  // letter before its claims: JavaScript offsets (UTF-16) differ from PostgreSQL's character offsets there.
  const same = [
    { id: 'twin-1', published: '2021-05-04', text: 'Gunmen killed 12 civilians in an attack on a market in Mopti on 3 May 2021, local officials said.\n\nThe army said 4 people were wounded.' },
    { id: 'twin-2', published: '2021-05-04', text: 'At least 12 civilians were killed when gunmen attacked a market in Mopti on 3 May 2021, residents said.' },
    { id: 'astral', published: '2022-02-10', text: '😀😀 𝒜 breaking 🔥: Gunmen killed 7 villagers near Gao on 9 February 2022, a security source said.' },
  ];
  writeFileSync(input, generatedJsonl(24) + same.map((a) => JSON.stringify(a)).join('\n') + '\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function sql(s: CliStore, fn: (q: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<void>): Promise<void> {
  const store: Store = await s.open();
  try {
    await store.runRead((c) => fn((text, params) => c.query<Record<string, unknown>>(text, params)));
  } finally {
    await store.close();
  }
}

for (const backend of CLI_BACKENDS) {
  describe(`sitrep check on ${backend.name}`, { timeout: SPAWN_TIMEOUT_MS * 2 }, () => {
    let s: CliStore;
    beforeAll(async () => {
      await backend.setup();
      s = await backend.fresh();
      const r = await runCli(['ingest', '--merge', input], s.env);
      expect(r.code, r.stderr).toBe(0);
    }, SPAWN_TIMEOUT_MS * 2);
    afterAll(async () => {
      await s?.remove();
      await backend.teardown();
    });

    it('passes a healthy store, also after an unmerge', async () => {
      let merged = '';
      await sql(s, async (q) => {
        const rows = await q(`select m.event_id from canonical_members m where m.decision_id is not null order by m.event_id limit 1`);
        merged = String(rows[0]?.event_id ?? '');
      });
      expect(merged, 'the two reports of one attack were merged').not.toBe('');
      const un = await runCli(['unmerge', merged, '--reason', 'test'], s.env);
      expect(un.code, un.stderr).toBe(0);
      const r = await runCli(['check'], s.env);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^check: \w+ store at .*: 27 articles, \d+ article events, \d+ claims, \d+ evidence spans, \d+ canonical events, \d+ memberships, [1-9]\d* merge decisions: no problems\n$/);
      expect(r.code).toBe(0);
      const j = await runCli(['check', '--json'], s.env);
      expect(j.code).toBe(0);
      const report = JSON.parse(j.stdout) as { problems: unknown[]; checked: { articles: number; claims: number } };
      expect(report.problems).toEqual([]);
      expect(report.checked.articles).toBe(27);
      expect(report.checked.claims).toBeGreaterThan(27);
    });

    it('names every fault put in with SQL, and exits 3', async () => {
      const faults: Record<string, string> = {};
      await sql(s, async (q) => {
        const one = async (text: string) => String((await q(text))[0]?.['x'] ?? '');
        // span: a claim's text changed; an evidence span moved past the end; a claim in the JSON moved before the start.
        const claim = await one(`select id::text as x from claims order by id limit 1`);
        await q(`update claims set span_text = 'tampered' where id = $1::bigint`, [claim]);
        faults['claim text'] = `problem (span): claim ${claim} of event`;
        const ev = await one(`select id::text as x from evidence order by id desc limit 1`);
        await q(`update evidence set span_end = 999999 where id = $1::bigint`, [ev]);
        faults['evidence past the end'] = `problem (span): evidence ${ev} of event`;
        const jsonClaim = await one(`select event_id as x from article_events where article_id = 'astral' order by ordinal limit 1`);
        await q(`update article_events set data = jsonb_set(data, '{claims,0,start}', '-5') where event_id = $1`, [jsonClaim]);
        faults['JSON claim offsets'] = `problem (span): claim 0 in the JSON of event ${jsonClaim} (article astral): offsets -5–`;
        // source: an event with its sources emptied.
        const noSource = await one(`select event_id as x from article_events where article_id = 'gen-0003' order by ordinal limit 1`);
        await q(`update article_events set data = jsonb_set(data, '{sources}', '[]') where event_id = $1`, [noSource]);
        faults['no source'] = `problem (source): event ${noSource} (article gen-0003): has no source`;
        // merge: a membership removed; a decision about an event that never existed; an undone decision still in effect.
        const orphan = await one(`select event_id as x from article_events where article_id = 'gen-0005' order by ordinal limit 1`);
        await q(`delete from canonical_members where event_id = $1`, [orphan]);
        faults['orphan event'] = `problem (merge): event ${orphan} (article gen-0005): belongs to no canonical event`;
        await q(`insert into merge_decisions (kind, event_a, score) values ('member', 'ghost:0', 0.9)`);
        faults['ghost decision'] = 'refers to event ghost:0, which does not exist and never did in a stored version';
        const [undone] = await q(`insert into merge_decisions (kind, event_a, score, undone, undone_at) values ('member', $1, 0.5, true, now()) returning id::text as id`, [noSource]);
        await q(`update canonical_members set decision_id = $1::bigint where event_id = $2`, [undone!['id'], noSource]);
        faults['undone in effect'] = `problem (merge): event ${noSource}: is in canonical event`;
        // count: a claims row deleted; a canonical fatalities column that disagrees with its JSON.
        const gone = await one(`select event_id as x from claims where article_id = 'gen-0007' order by id limit 1`);
        await q(`delete from claims where id = (select min(id) from claims where event_id = $1)`, [gone]);
        faults['claims row missing'] = `problem (count): event ${gone} (article gen-0007): its JSON lists`;
        const canon = await one(`select c.id as x from canonical_events c join canonical_members m on m.canonical_id = c.id join article_events e on e.event_id = m.event_id where e.article_id = 'gen-0009' limit 1`);
        await q(`update canonical_events set fatalities = fatalities + 1000 where id = $1`, [canon]);
        faults['fatalities column'] = `problem (count): canonical event ${canon}: fatalities column`;
      });
      const r = await runCli(['check'], s.env);
      expect(r.code, r.stdout + r.stderr).toBe(3);
      for (const [name, line] of Object.entries(faults)) expect(r.stdout, name).toContain(line);
      expect(r.stdout).toMatch(/undone: the undone merge is still in effect/);
      expect(r.stdout).toMatch(/: \d+ problems\n$/);
      const j = await runCli(['check', '--json', '--limit', '2'], s.env);
      expect(j.code).toBe(3);
      const report = JSON.parse(j.stdout) as { problems: unknown[]; truncated: boolean };
      expect(report.problems.length).toBe(2);
      expect(report.truncated).toBe(true);
      const bad = await runCli(['check', '--limit', 'x'], s.env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe('sitrep: --limit: "x" is not a positive whole number\n');
    });
  });
}
