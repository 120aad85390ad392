/**
 * Benchmark: `sitrep extract --jsonl` over at least 1,000 articles in one process, with the geoparser
 * and without it (`--no-geo`), and the geoparser's own costs: gazetteer load (built in, and with one
 * country imported from ../shared/gazetteer when it is there), the admin-1 polygons' load and lookups.
 * Prints articles per second (wall clock, start-up included and excluded) and peak RSS.
 *
 * Corpora: the MUC-4 dev texts when ../shared/eval is there (1,000+ wire stories in capitals, the
 * geoparser's worst case: every word is looked up), topped up with the bundled samples, or the bundled
 * samples repeated with their ids changed; when there, the ACLED global dev notes (mixed case,
 * as news is written; the text only is read); and one shuffled stream of every dev text (MUC-4, ACLED
 * Mali and global, GTD), where one-off costs are spread as in a long ingest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamCorpus } from './lib/corpora.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MIN_ARTICLES = 1000;
const muc = join(root, '../shared/eval/muc4.dev.jsonl');

function corpus(): { lines: string[]; source: string } {
  const lines: string[] = [];
  let source = 'bundled samples';
  if (existsSync(muc)) {
    for (const line of readFileSync(muc, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { message_id: string; text: string };
      lines.push(JSON.stringify({ id: row.message_id, text: row.text }));
    }
    source = 'MUC-4 dev texts';
  }
  const samples = join(root, 'samples');
  const sampleTexts: string[] = [];
  for (const f of readdirSync(samples)) {
    if (extname(f) === '.txt') sampleTexts.push(JSON.stringify({ text: readFileSync(join(samples, f), 'utf8') }));
    if (extname(f) === '.html') sampleTexts.push(JSON.stringify({ html: readFileSync(join(samples, f), 'utf8') }));
  }
  for (let i = 0; lines.length < MIN_ARTICLES && sampleTexts.length; i++) {
    const obj = JSON.parse(sampleTexts[i % sampleTexts.length]!) as Record<string, string>;
    lines.push(JSON.stringify({ id: `sample-${i}`, ...obj }));
    if (source === 'MUC-4 dev texts' && i === 0) source += ' + bundled samples';
  }
  return { lines, source };
}

/** The ACLED global dev notes as articles (mixed case), or null when ../shared/eval is not there. */
function mixedCaseCorpus(): string[] | null {
  const acled = join(root, '../shared/eval/acled-global.dev.jsonl');
  if (!existsSync(acled)) return null;
  return readFileSync(acled, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const row = JSON.parse(l) as { event_id_cnty: string; notes: string; year: string };
      return JSON.stringify({ id: row.event_id_cnty || `acled-${i}`, text: row.notes, published: `${row.year}-12-31` });
    });
}

const { lines, source } = corpus();
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'corpus.jsonl');
writeFileSync(file, lines.join('\n') + '\n');
const bytes = Buffer.byteLength(lines.join('\n'));
const mixed = mixedCaseCorpus();
const mixedFile = join(dir, 'corpus-mixed.jsonl');
if (mixed) writeFileSync(mixedFile, mixed.join('\n') + '\n');

// The built-in gazetteer only, whatever the developer imported into ./sitrep-data.
const emptyData = join(dir, 'data-empty');
mkdirSync(emptyData, { recursive: true });

function run(args: string[], data = emptyData): { ms: number; stdout: string; stderr: string; status: number | null } {
  const t0 = performance.now();
  const r = spawnSync('node', [join(root, 'bin/sitrep.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, SITREP_REPORT_RESOURCES: '1', SITREP_DATA: data },
  });
  return { ms: performance.now() - t0, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

interface Run {
  ms: number;
  startup: number;
  events: number;
  errors: number;
  rssMb: number;
  status: number | null;
  stderr: string;
}

function measure(extra: string[], corpusFile = file, first = lines[0]!): Run {
  // Start-up alone (loading gazetteer and lexicons on a one-line input).
  const one = join(dir, 'one.jsonl');
  writeFileSync(one, first + '\n');
  const startup = run(['extract', '--jsonl', one, ...extra]);
  const full = run(['extract', '--jsonl', corpusFile, ...extra]);
  const out = full.stdout.trim().split('\n');
  const events = out.reduce((n, l) => n + ((JSON.parse(l) as { events?: unknown[] }).events?.length ?? 0), 0);
  const errors = out.filter((l) => l.includes('"error"')).length;
  const rss = /maxRSS=(\d+)/.exec(full.stderr)?.[1];
  return { ms: full.ms, startup: startup.ms, events, errors, rssMb: rss ? Number(rss) / 1024 : NaN, status: full.status, stderr: full.stderr };
}

/** Milliseconds a fresh process takes to load the gazetteer of data directory `data` (median of 3). */
function gazetteerLoad(data: string): { ms: number; size: number } {
  const script = `const t0 = performance.now(); const { loadGazetteer } = await import(${JSON.stringify(join(root, 'dist/geo/gazetteer.js'))}); const g = loadGazetteer(); console.log(JSON.stringify({ ms: performance.now() - t0, size: g.size }));`;
  const runs = [0, 1, 2].map(() => JSON.parse(spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, SITREP_DATA: data } }).stdout) as { ms: number; size: number });
  runs.sort((a, b) => a.ms - b.ms);
  return runs[1]!;
}

/** The admin-1 polygons: load time in a fresh process, and microseconds per point-in-polygon lookup. */
function shapesCost(): { loadMs: number; usPerLookup: number; units: number } {
  const script = `const { loadAdmin1Shapes } = await import(${JSON.stringify(join(root, 'dist/geo/admin1-shapes.js'))}); const s = loadAdmin1Shapes(); let seed = 7; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647; const n = 100000; const pts = []; for (let i = 0; i < n; i++) pts.push([(Math.asin(2 * rnd() - 1) * 180) / Math.PI, rnd() * 360 - 180]); const t0 = performance.now(); let hits = 0; for (const [a, b] of pts) if (s.at(a, b)) hits++; console.log(JSON.stringify({ loadMs: s.loadMs, usPerLookup: ((performance.now() - t0) * 1000) / n, units: s.shapes.length }));`;
  return JSON.parse(spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout) as { loadMs: number; usPerLookup: number; units: number };
}


// Three runs of each, interleaved, so that a change in the machine's load touches both alike; the median counts.
const median = (runs: Run[]): Run => [...runs].sort((a, b) => a.ms - b.ms)[1]!;
const geoRuns: Run[] = [];
const noGeoRuns: Run[] = [];
for (let k = 0; k < 3; k++) {
  geoRuns.push(measure([]));
  noGeoRuns.push(measure(['--no-geo']));
}
const geo = median(geoRuns);
const noGeo = median(noGeoRuns);
const perSec = (r: Run): number => lines.length / (r.ms / 1000);
const perSecWarm = (r: Run): number => lines.length / ((r.ms - r.startup) / 1000);

console.log(`sitrep extract --jsonl benchmark (${source})`);
console.log(`  articles           ${lines.length} (${(bytes / 1e6).toFixed(1)} MB), ${geo.events} events, ${geo.errors} error lines, exit ${geo.status}`);
for (const [name, r] of [['with geoparser', geo], ['without (--no-geo)', noGeo]] as const) {
  console.log(`  ${name.padEnd(19)}${(r.ms / 1000).toFixed(2)} s (start-up ${(r.startup / 1000).toFixed(2)} s): ${perSec(r).toFixed(0)} articles/s, ${perSecWarm(r).toFixed(0)} after start-up, peak RSS ${r.rssMb.toFixed(0)} MB`);
}
console.log(`  geoparser ratio    ${((100 * perSec(geo)) / perSec(noGeo)).toFixed(0)}% of the throughput without it (${((100 * perSecWarm(geo)) / perSecWarm(noGeo)).toFixed(0)}% after start-up; medians of 3 interleaved runs)`);

/** Both modes over another corpus (3 interleaved runs each, medians), printed under `title`. */
function compare(title: (events: number) => string, corpusLines: string[], corpusFile: string): void {
  const g: Run[] = [];
  const n: Run[] = [];
  for (let k = 0; k < 3; k++) {
    g.push(measure([], corpusFile, corpusLines[0]!));
    n.push(measure(['--no-geo'], corpusFile, corpusLines[0]!));
  }
  const [mg, mn] = [median(g), median(n)];
  const rate = (r: Run): number => corpusLines.length / (r.ms / 1000);
  const warm = (r: Run): number => corpusLines.length / ((r.ms - r.startup) / 1000);
  console.log(`sitrep extract --jsonl benchmark (${title(mg.events)})`);
  for (const [name, r] of [['with geoparser', mg], ['without (--no-geo)', mn]] as const) {
    console.log(`  ${name.padEnd(19)}${(r.ms / 1000).toFixed(2)} s (start-up ${(r.startup / 1000).toFixed(2)} s): ${rate(r).toFixed(0)} articles/s, ${warm(r).toFixed(0)} after start-up, peak RSS ${r.rssMb.toFixed(0)} MB`);
  }
  console.log(`  geoparser ratio    ${((100 * rate(mg)) / rate(mn)).toFixed(0)}% of the throughput without it (${((100 * warm(mg)) / warm(mn)).toFixed(0)}% after start-up)`);
}

if (mixed) compare((events) => `ACLED global dev notes, mixed case: ${mixed.length} short articles, ${events} events`, mixed, mixedFile);

const stream = streamCorpus(join(root, '../shared/eval'));
if (stream) {
  const streamFile = join(dir, 'corpus-stream.jsonl');
  writeFileSync(streamFile, stream.join('\n') + '\n');
  compare((events) => `one stream of every dev text, shuffled: ${stream.length} articles, ${events} events`, stream, streamFile);
}

const builtIn = gazetteerLoad(emptyData);
console.log(`  gazetteer load     ${builtIn.ms.toFixed(0)} ms built in (${builtIn.size} names)`);
const ml = join(root, '../shared/gazetteer/geonames/ML.txt');
if (existsSync(ml)) {
  const data = join(dir, 'data-ml');
  const names = ['admin1CodesASCII.txt', 'admin2Codes.txt'].map((f) => join(root, '../shared/gazetteer/geonames', f)).filter(existsSync);
  const imp = run(['gazetteer', 'import', ml, ...names], data);
  if (imp.status !== 0) console.error(imp.stderr);
  const withMl = gazetteerLoad(data);
  console.log(`                     ${withMl.ms.toFixed(0)} ms with Mali imported (${withMl.size} names)`);
}
const shapes = shapesCost();
console.log(`  admin-1 polygons   ${shapes.units} units, load ${shapes.loadMs.toFixed(0)} ms, ${shapes.usPerLookup.toFixed(1)} µs per point lookup`);
if ((geo.status !== 0 && geo.status !== 2) || (noGeo.status !== 0 && noGeo.status !== 2)) {
  console.error(geo.stderr || noGeo.stderr);
  process.exit(1);
}
