/**
 * Benchmark: `sitrep extract --jsonl` over at least 1,000 articles in one process.
 * Prints articles per second (wall clock, start-up included and excluded) and peak RSS.
 *
 * Corpus: the MUC-4 dev texts when ../shared/eval is there (1,000+ wire stories), topped up with the
 * bundled samples; otherwise the bundled samples repeated with their ids changed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const { lines, source } = corpus();
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'corpus.jsonl');
writeFileSync(file, lines.join('\n') + '\n');
const bytes = Buffer.byteLength(lines.join('\n'));

function run(args: string[]): { ms: number; stdout: string; stderr: string; status: number | null } {
  const t0 = performance.now();
  const r = spawnSync('node', [join(root, 'bin/sitrep.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, SITREP_REPORT_RESOURCES: '1' },
  });
  return { ms: performance.now() - t0, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// Start-up alone (loading gazetteer and lexicons on a one-line input).
const one = join(dir, 'one.jsonl');
writeFileSync(one, lines[0]! + '\n');
const startup = run(['extract', '--jsonl', one]);
const full = run(['extract', '--jsonl', file]);
const out = full.stdout.trim().split('\n');
const events = out.reduce((n, l) => n + ((JSON.parse(l) as { events?: unknown[] }).events?.length ?? 0), 0);
const errors = out.filter((l) => l.includes('"error"')).length;
const rss = /maxRSS=(\d+)/.exec(full.stderr)?.[1];
const rssMb = rss ? Number(rss) / 1024 : NaN;
const perSec = lines.length / (full.ms / 1000);
const perSecWarm = lines.length / ((full.ms - startup.ms) / 1000);

console.log(`sitrep extract --jsonl benchmark (${source})`);
console.log(`  articles           ${lines.length} (${(bytes / 1e6).toFixed(1)} MB), ${events} events, ${errors} error lines, exit ${full.status}`);
console.log(`  wall time          ${(full.ms / 1000).toFixed(2)} s (start-up ${(startup.ms / 1000).toFixed(2)} s)`);
console.log(`  throughput         ${perSec.toFixed(0)} articles/s (${perSecWarm.toFixed(0)} articles/s after start-up)`);
console.log(`  peak RSS           ${rssMb.toFixed(0)} MB`);
if (full.status !== 0 && full.status !== 2) {
  console.error(full.stderr);
  process.exit(1);
}
