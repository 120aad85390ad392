/**
 * `sitrep export` through the real CLI, on a store the test fills through the store API
 * (events made to be awkward: commas, quotes and line breaks in values, an event without
 * coordinates, a canonical event merged from two articles): the ACLED CSV's header and values
 * (read back with an RFC 4180 parser), GeoJSON that parses with valid Points, JSONL with sources and
 * claims' article ids, the filters, --out, and bad options.
 *
 * The store is PostgreSQL's (a schema of its own): the export code is the same on both back ends
 * (`listCanonical`, tested on both in test/store/), and a PGlite process costs a second or more to
 * start, which over twenty runs adds up. test/ingest-store/ingest.test.ts exports from PGlite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article, SitrepEvent } from '../../src/core/types.js';
import { ACLED_COLUMNS } from '../../src/export/index.js';
import { singletonRecord } from '../../src/jobs/merge-step.js';
import { makeArticle, makeEvents } from '../store/backends.js';
import { tempDir } from '../cli/run.js';
import { expectNoStackTrace, parseCsv, postgresBackend, runCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild, type CliStore } from '../ingest-store/helpers.js';

const backend = postgresBackend();
const tmp = tempDir('export');
let store: CliStore;

const AWKWARD_NOTES = 'On 3 March 2023, gunmen, "the Kidal group", attacked.\nA second line, with a comma;\r\nand a CRLF.';
const AWKWARD_ACTOR = 'Unidentified Armed Group (Mali), "Kidal" faction';

/** Articles and events: Mali 2023 (2 events), Burkina Faso 2022 (one without coordinates), Niger 2021 and 2020 (merged). */
function fixtures(): Array<{ article: Article; events: SitrepEvent[] }> {
  const mali = makeArticle('exp-mali', { url: 'https://mali.example.org/a', published: '2023-03-05' });
  const maliEvents = makeEvents(mali, [{ notes: AWKWARD_NOTES, actor1: AWKWARD_ACTOR, location: 'Kidal, "north"' }, { event_date: '2023-03-04' }]);
  const bf = makeArticle('exp-bf', { url: 'https://www.burkina.example.com/b', published: '2022-06-02', sentences: ['Protesters marched in Ouagadougou on 1 June 2022 (exp-bf).', 'Soldiers clashed with 7 gunmen near Djibo on 30 May 2022 (exp-bf).'] });
  const bfEvents = makeEvents(bf, [
    { event_date: '2022-06-01', event_type: 'Protests', sub_event_type: 'Peaceful protest', disorder_type: 'Demonstrations', actor1: 'Protesters (Burkina Faso)', assoc_actor_1: null, actor2: null, inter1: 6, inter2: null, interaction: 60, civilian_targeting: false, country: 'Burkina Faso', iso3: 'BFA', admin1: 'Centre', location: 'Ouagadougou', latitude: 12.3657, longitude: -1.5339 },
    { event_date: '2022-05-30', country: 'Burkina Faso', iso3: 'BFA', admin1: 'Sahel', location: null, latitude: null, longitude: null, geo_precision: null, geo_basis: null },
  ]);
  const n1 = makeArticle('exp-ne-1', { url: 'https://niger.example.net/1', published: '2021-01-03', sentences: ['Gunmen killed 100 villagers in Tchoma Bangou on 2 January 2021 (exp-ne-1).'] });
  const n2 = makeArticle('exp-ne-2', { url: 'https://other.example.org/2', published: '2021-01-04', sentences: ['At least 105 people were killed in Tchoma Bangou on 2 January 2021 (exp-ne-2).'] });
  const niger = { event_date: '2021-01-02', country: 'Niger', iso3: 'NER', admin1: 'Tillaberi', location: 'Tchoma Bangou', latitude: 14.3, longitude: 1.2 };
  const old = makeArticle('exp-ne-old', { published: '2020-05-01', sentences: ['Gunmen killed 4 people in Diffa on 30 April 2020 (exp-ne-old).'] });
  return [
    { article: mali, events: maliEvents },
    { article: bf, events: bfEvents },
    { article: n1, events: makeEvents(n1, [niger]) },
    { article: n2, events: makeEvents(n2, [niger]) },
    { article: old, events: makeEvents(old, [{ event_date: '2020-04-30', country: 'Niger', iso3: 'NER', location: 'Diffa', latitude: 13.3154, longitude: 12.6113 }]) },
  ];
}

let all: SitrepEvent[] = [];
const MERGED = 'merged-tchoma-bangou';

beforeAll(async () => {
  warnIfStaleBuild();
  await backend.setup();
  store = await backend.fresh();
  const s = await store.open();
  try {
    const data = fixtures();
    for (const { article, events } of data) await s.putArticle(article, events);
    // Singletons for all but the two Niger 2021 reports, which become one canonical event with both sources and both claims.
    const [n1, n2] = [data[2]!.events[0]!, data[3]!.events[0]!];
    const singles = data.flatMap((d) => d.events.map((e) => ({ e, id: d.article.id }))).filter(({ e }) => e !== n1 && e !== n2);
    await s.putCanonicals(singles.map(({ e, id }) => ({ id: e.event_id, event: singletonRecord(e, id), members: [e.event_id] })));
    const merged: SitrepEvent = {
      ...singletonRecord(n1, 'exp-ne-1'),
      fatalities: 100,
      sources: [...n1.sources, ...n2.sources],
      claims: [...singletonRecord(n1, 'exp-ne-1').claims, ...singletonRecord(n2, 'exp-ne-2').claims],
    };
    await s.putCanonicals([{ id: MERGED, event: merged, members: [n1.event_id, n2.event_id] }]);
    all = (await s.listCanonical({}, null, 100)).items.map((c) => c.event);
  } finally {
    await s.close();
  }
}, SPAWN_TIMEOUT_MS);

afterAll(async () => {
  await store?.remove();
  await backend.teardown();
  tmp.remove();
});

const exportCli = (args: string[]) => runCli(['export', ...args], store.env);
const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as SitrepEvent).event_id).sort();

describe('sitrep export', () => {
  it('ACLED CSV: the 31 columns as header, one row per canonical event, values that round-trip RFC 4180', async () => {
    const r = await exportCli(['--format', 'acled-csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe(ACLED_COLUMNS.join(','));
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual([...ACLED_COLUMNS]);
    expect(rows).toHaveLength(all.length + 1);
    for (const row of rows) expect(row).toHaveLength(31);
    const byId = new Map(rows.slice(1).map((row) => [row[0]!, Object.fromEntries(ACLED_COLUMNS.map((c, i) => [c, row[i]!]))]));
    expect([...byId.keys()].sort()).toEqual(all.map((e) => e.event_id).sort());

    const awkward = byId.get('exp-mali:1:x')!;
    expect(awkward).toMatchObject({
      event_date: '2023-03-03',
      year: '2023',
      notes: AWKWARD_NOTES,
      actor1: AWKWARD_ACTOR,
      location: 'Kidal, "north"',
      inter1: 'Political militia',
      inter2: 'Civilians',
      interaction: 'Political militia-Civilians',
      civilian_targeting: 'Civilian targeting',
      iso: '466',
      region: 'Western Africa',
      country: 'Mali',
      admin3: '',
      latitude: '18.44',
      longitude: '1.41',
      source: 'mali.example.org',
      source_scale: '',
      tags: '',
      fatalities: '5',
    });
    expect(Number(awkward['timestamp'])).toBeGreaterThan(1_600_000_000);
    expect(awkward['timestamp']).toMatch(/^\d+$/);
    expect(byId.get('exp-mali:2:x')).toMatchObject({ inter1: 'State forces', inter2: 'Rebel group', interaction: 'State forces-Rebel group', civilian_targeting: '', assoc_actor_1: 'Wagner Group' });
    expect(byId.get('exp-bf:1:x')).toMatchObject({ interaction: 'Protesters only', inter2: '', actor2: '', iso: '854', source: 'burkina.example.com' });
    expect(byId.get('exp-bf:2:x')).toMatchObject({ latitude: '', longitude: '', location: '', geo_precision: '' });
    expect(byId.get(MERGED)).toMatchObject({ source: 'niger.example.net; other.example.org', iso: '562', fatalities: '100' });
  }, SPAWN_TIMEOUT_MS);

  it('GeoJSON: a FeatureCollection that parses back, valid Points at [lon, lat], events without coordinates left out and counted', async () => {
    const r = await exportCli(['--format', 'geojson']);
    expect(r.code, r.stderr).toBe(0);
    const fc = JSON.parse(r.stdout) as { type: string; features: Array<{ type: string; id: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }> };
    expect(fc.type).toBe('FeatureCollection');
    const located = all.filter((e) => e.latitude !== null);
    expect(located.length).toBe(all.length - 1);
    expect(fc.features).toHaveLength(located.length);
    expect(r.stderr).toMatch(/1 without coordinates left out/);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      const c = f.geometry.coordinates as number[];
      expect(Array.isArray(c) && c.length === 2 && c.every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
      const [lon, lat] = c as [number, number];
      expect(lon).toBeGreaterThanOrEqual(-180);
      expect(lon).toBeLessThanOrEqual(180);
      expect(lat).toBeGreaterThanOrEqual(-90);
      expect(lat).toBeLessThanOrEqual(90);
      const e = all.find((x) => x.event_id === f.id)!;
      expect([lon, lat]).toEqual([e.longitude, e.latitude]);
      expect(f.properties['event_id']).toBe(f.id);
      expect(f.properties).not.toHaveProperty('claims');
      expect(f.properties).not.toHaveProperty('evidence');
    }
    const merged = fc.features.find((f) => f.id === MERGED)!;
    expect(merged.properties['article_ids']).toEqual(['exp-ne-1', 'exp-ne-2']);
    expect(merged.properties['source']).toBe('niger.example.net; other.example.org');
  }, SPAWN_TIMEOUT_MS);

  it('JSONL: one canonical event per line with every reporting article in sources and each claim’s article_id', async () => {
    const r = await exportCli(['--format', 'jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as SitrepEvent);
    expect(lines.map((e) => e.event_id).sort()).toEqual(all.map((e) => e.event_id).sort());
    // Newest first, as the API lists them.
    const dates = lines.map((e) => e.event_date ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const e of lines) {
      expect(e.sources.length).toBeGreaterThan(0);
      for (const c of e.claims) expect(e.sources.map((s) => s.article_id)).toContain(c.article_id);
      expect(Object.keys(e).slice(0, 3)).toEqual(['event_id', 'event_date', 'time_precision']);
    }
    const merged = lines.find((e) => e.event_id === MERGED)!;
    expect(merged.sources.map((s) => s.article_id)).toEqual(['exp-ne-1', 'exp-ne-2']);
    expect(merged.claims.map((c) => [c.article_id, c.count])).toEqual([
      ['exp-ne-1', 100],
      ['exp-ne-2', 105],
    ]);
    expect(lines.find((e) => e.event_id === 'exp-mali:1:x')!.notes).toBe(AWKWARD_NOTES);
  }, SPAWN_TIMEOUT_MS);

  it('narrows by --from, --to, --country (name, ISO3, ISO2, any case) and --type, and writes --out', async () => {
    const expectIds = async (args: string[], want: (e: SitrepEvent) => boolean) => {
      const r = await exportCli(['--format', 'jsonl', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const expected = all.filter(want).map((e) => e.event_id).sort();
      expect(expected.length, `filter ${args.join(' ')} selects something`).toBeGreaterThan(0);
      expect(expected.length, `filter ${args.join(' ')} leaves something out`).toBeLessThan(all.length);
      expect(ids(r.stdout)).toEqual(expected);
    };
    await expectIds(['--from', '2022-01-01'], (e) => (e.event_date ?? '') >= '2022-01-01');
    await expectIds(['--from', '2021-01-01', '--to', '2022-12-31'], (e) => e.event_date !== null && e.event_date >= '2021-01-01' && e.event_date <= '2022-12-31');
    await expectIds(['--country', 'niger'], (e) => e.iso3 === 'NER');
    await expectIds(['--country', 'BFA', '--country', 'ml'], (e) => e.iso3 === 'BFA' || e.iso3 === 'MLI');
    await expectIds(['--type', 'battles'], (e) => e.event_type === 'Battles');
    await expectIds(['--type', 'Protests', '--country', 'Burkina Faso', '--from', '2022-01-01'], (e) => e.event_type === 'Protests' && e.iso3 === 'BFA');

    const out = join(tmp.dir, 'mali.csv');
    const r = await exportCli(['--format', 'acled-csv', '--country', 'Mali', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^export: 2 events \\(acled-csv\\) to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows.slice(1).map((row) => row[0]).sort()).toEqual(['exp-mali:1:x', 'exp-mali:2:x']);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, SPAWN_TIMEOUT_MS);

  it('refuses a bad format, date, type or output file with one line naming the option, exit 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--format', 'xlsx'], /^sitrep: --format: "xlsx" is not one of acled-csv, geojson, jsonl$/],
      [['--format', 'jsonl', '--from', '2023-02-30'], /^sitrep: --from: "2023-02-30" is not a date \(YYYY-MM-DD\)$/],
      [['--format', 'jsonl', '--from', '2023-02-03', '--to', '2023-01-01'], /^sitrep: --from: 2023-02-03 is after --to 2023-01-01$/],
      [['--format', 'jsonl', '--type', 'Skirmish'], /^sitrep: --type: "Skirmish" is not an ACLED event type/],
      [['--format', 'jsonl', '--out', join(tmp.dir, 'no', 'such', 'dir', 'x.jsonl')], /^sitrep: .*x\.jsonl.*: cannot be written/],
    ];
    for (const [args, message] of cases) {
      const r = await exportCli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expectNoStackTrace(r.stderr);
    }
  }, SPAWN_TIMEOUT_MS);
});
