/**
 * Benchmark: `sitrep ingest` (the real CLI, spawned) of at least 1,000 articles into a fresh PGlite
 * data directory and into a fresh PostgreSQL schema, then the same input again (everything
 * unchanged: nothing is extracted or written). Prints, per back end, articles/s by the wall clock
 * (start-up included: node, the store's opening — a new PGlite directory is initialised and
 * migrated — and the worker threads) and after start-up (the CLI's own `seconds`), where the main
 * thread's time went (the summary's `timing`: reading inputs, previews, waiting for extraction,
 * storing) and the extraction time summed over the worker threads, the CLI's peak RSS and, for
 * PostgreSQL, the CPU time its server processes spent on the run's connections.
 *
 * Then extraction alone through the same worker threads (no store, no SQL), in a process of its own:
 * the ceiling that ingest cannot pass on this machine, whatever the store costs.
 *
 * Corpus: the MUC-4 dev texts when ../shared/eval is there ({message_id, text} → {id, text}), else the
 * bundled samples' texts, each copy made distinct, up to 1,000 articles.
 *
 * Last, storing alone: the same runner in this process, with the events extracted beforehand and
 * handed back at once (what the store and the merge step cost per article, extraction aside).
 *
 * Environment: SITREP_BENCH_RUNS (default 3: the median counts; runs interleave the back ends, so a
 * change in the machine's load touches both alike), SITREP_BENCH_WORKERS (a comma list of
 * `--workers` values to compare; default: the CLI's own choice), SITREP_BENCH_BACKENDS ("pglite",
 * "postgres" or both, the default), DATABASE_URL or SITREP_TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test; a schema of its own is created and dropped),
 * SITREP_BENCH_MERGE ("merge": `--merge`, the merger; "no-merge": the default merge step, one
 * canonical event per article event; or both, the default), SITREP_BENCH_ALONE=0 (no
 * storing-alone part), SITREP_BENCH_LONG=0 (no long run).
 *
 * Last of all, a long run: every dev text once (about 8,000 articles), in two halves into one new
 * store, whose time per article shows whether storing stays linear as the store grows.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { streamCorpus } from './lib/corpora.js';

const cores = availableParallelism();

const root = fileURLToPath(new URL('..', import.meta.url));
const MIN_ARTICLES = 1000;
const muc = join(root, '../shared/eval/muc4.dev.jsonl');
const PG_URL = process.env['SITREP_TEST_DATABASE_URL'] || process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Math.max(1, Number(process.env['SITREP_BENCH_RUNS'] ?? 3) || 3);
const WORKERS: Array<number | null> = process.env['SITREP_BENCH_WORKERS'] ? process.env['SITREP_BENCH_WORKERS'].split(',').map((w) => Number(w.trim())) : [null];
const BACKENDS = (process.env['SITREP_BENCH_BACKENDS'] ?? 'pglite,postgres').split(',').map((b) => b.trim()) as Array<'pglite' | 'postgres'>;
/** The merge step: the default (one canonical event per article event), and `--merge` (the merger, opt-in). */
const MERGE = (process.env['SITREP_BENCH_MERGE'] ?? 'merge,no-merge').split(',').map((m) => m.trim()) as Array<'merge' | 'no-merge'>;

function corpus(): { lines: string[]; source: string } {
  if (existsSync(muc)) {
    const lines: string[] = [];
    for (const line of readFileSync(muc, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { message_id: string; text: string };
      lines.push(JSON.stringify({ id: row.message_id, text: row.text }));
    }
    return { lines, source: 'MUC-4 dev texts' };
  }
  const samples = join(root, 'samples');
  const texts = readdirSync(samples)
    .filter((f) => extname(f) === '.txt')
    .sort()
    .map((f) => readFileSync(join(samples, f), 'utf8'));
  const lines: string[] = [];
  // Each copy gets a line of its own, so that no two texts share a content hash (a twin would be "unchanged").
  for (let i = 0; lines.length < MIN_ARTICLES && texts.length; i++) lines.push(JSON.stringify({ id: `sample-copy-${i}`, text: `${texts[i % texts.length]}\n\nCopy ${i + 1} of the bundled samples.` }));
  return { lines, source: 'bundled samples, copies made distinct' };
}

const { lines, source } = corpus();
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'ingest-corpus.jsonl');
writeFileSync(file, `${lines.join('\n')}\n`);
const bytes = Buffer.byteLength(lines.join('\n'));

interface Timing {
  readSeconds: number;
  previewSeconds: number;
  waitSeconds: number;
  storeSeconds: number;
  mergeSeconds: number;
  dispatchSeconds: number;
  extractSeconds: number;
  batches: number;
}

interface Summary {
  articles: number;
  new: number;
  unchanged: number;
  failed: number;
  extracted: number;
  events: number;
  canonical: number;
  seconds: number;
  workers?: number;
  timing?: Timing;
}

interface Run {
  wallMs: number;
  summary: Summary;
  rssMb: number;
  /** PostgreSQL server CPU (user + system) of the run's connections, in seconds. */
  serverCpu: number | null;
  /** CPU seconds of the CLI's main thread, and of its other threads (extraction workers, GC, I/O). */
  mainCpu: number;
  otherCpu: number;
  /** CPU seconds the rest of the machine (other processes) used meanwhile: how loaded it was. */
  othersCpu: number;
  status: number | null;
}

/** CPU seconds (user + system) of a process, from /proc; null when it cannot be read. */
function cpuOf(pid: number, path = `/proc/${pid}/stat`): number | null {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has been busy (all cores, /proc/stat), for the load of other processes. */
function machineBusy(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (f.reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0)) / 100; // all but idle and iowait
  } catch {
    return 0;
  }
}

/** CPU seconds of each thread of a process (main thread: tid = pid), from /proc. */
function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const c = cpuOf(Number(tid), `/proc/${pid}/task/${tid}/stat`);
      if (c !== null) out.set(Number(tid), c);
    }
  } catch {
    // exited
  }
  return out;
}

/**
 * Runs the CLI, sampling every 50 ms the CPU time of its threads and, for PostgreSQL, of the server
 * processes serving it (found by application_name). The last sample before exit is what counts, so
 * the figures can fall short by up to 50 ms of CPU each.
 */
async function ingest(env: NodeJS.ProcessEnv, workers: number | null, merge: 'merge' | 'no-merge', admin: pg.Client | null, appName: string, input = file): Promise<Run> {
  const args = [join(root, 'bin/sitrep.js'), 'ingest', input, '--json', ...(merge === 'merge' ? ['--merge'] : []), ...(workers === null ? [] : ['--workers', String(workers)])];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, SITREP_REPORT_RESOURCES: '1' } });
  const t0 = performance.now();
  const busy0 = machineBusy();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const cpu = new Map<number, number>();
  const threads = new Map<number, number>();
  let polling = true;
  const poll = async () => {
    while (polling) {
      // Threads that ended (workers closed at the end) keep their last figure.
      for (const [tid, c] of threadCpu(child.pid!)) threads.set(tid, Math.max(threads.get(tid) ?? 0, c));
      if (admin) {
        const rows = (await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [appName])).rows;
        for (const r of rows) {
          const c = cpuOf(r.pid);
          if (c !== null) cpu.set(r.pid, c);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const poller = poll();
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const wallMs = performance.now() - t0;
  const busy1 = machineBusy();
  polling = false;
  await poller;
  if (status !== 0) throw new Error(`sitrep ingest exited with ${status}:\n${stderr}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as Summary;
  const rss = /maxRSS=(\d+)/.exec(stderr)?.[1];
  const serverCpu = admin ? [...cpu.values()].reduce((a, b) => a + b, 0) : null;
  const mainCpu = threads.get(child.pid!) ?? 0;
  const otherCpu = [...threads].reduce((a, [tid, c]) => a + (tid === child.pid ? 0 : c), 0);
  const othersCpu = Math.max(0, busy1 - busy0 - mainCpu - otherCpu - (serverCpu ?? 0));
  return { wallMs, summary, rssMb: rss ? Number(rss) / 1024 : NaN, serverCpu, mainCpu, otherCpu, othersCpu, status };
}

/** Extraction alone through `workers` worker threads (0: this thread), in a fresh process: articles/s after start-up. */
function extractionOnly(workers: number): { seconds: number; wallMs: number } {
  const script = `
    const { workerExtractor, inProcessExtractor } = await import(${JSON.stringify(join(root, 'dist/jobs/extractor.js'))});
    const { readSources, expandPaths } = await import(${JSON.stringify(join(root, 'dist/jobs/inputs.js'))});
    const n = ${workers};
    const ex = n > 0 ? workerExtractor(n, { warmUp: { geoparse: true } }) : inProcessExtractor();
    await ex.ready?.();
    const t0 = performance.now();
    const inFlight = [];
    for await (const input of readSources(expandPaths([${JSON.stringify(file)}]).sources)) {
      if (!input.article) continue;
      inFlight.push(ex.extract(input.article, { geoparse: true }).catch(() => []));
      if (inFlight.length >= ex.capacity) await inFlight.shift();
    }
    await Promise.all(inFlight);
    console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
    await ex.close();`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, SITREP_DATA: join(dir, 'data-empty') } });
  if (r.status !== 0) throw new Error(`extraction-only run failed:\n${r.stderr}`);
  return { wallMs: performance.now() - t0, seconds: (JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number }).seconds };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

/** A fresh store for one run: a new PGlite directory, or a new PostgreSQL schema reached through DATABASE_URL. */
async function freshStore(kind: 'pglite' | 'postgres', admin: pg.Client | null, tag: string): Promise<{ env: NodeJS.ProcessEnv; appName: string; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const data = join(dir, `ingest-pglite-${tag}`);
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { recursive: true });
    // An empty DATABASE_URL: PGlite, whatever the environment says.
    return { env: { SITREP_DATA: data, DATABASE_URL: '' }, appName: '', drop: async () => rmSync(data, { recursive: true, force: true }) };
  }
  const schema = `sitrep_bench_ingest_${process.pid}_${tag}`;
  await admin!.query(`drop schema if exists "${schema}" cascade`);
  await admin!.query(`create schema "${schema}"`);
  const url = new URL(PG_URL);
  const appName = `sitrep-bench-${process.pid}-${tag}`;
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', appName);
  return { env: { DATABASE_URL: url.toString() }, appName, drop: async () => void (await admin!.query(`drop schema if exists "${schema}" cascade`)) };
}

const admin = BACKENDS.includes('postgres') ? new pg.Client({ connectionString: PG_URL }) : null;
if (admin) {
  try {
    await admin.connect();
  } catch (err) {
    console.error(`bench/ingest: PostgreSQL is not reachable at ${PG_URL}: ${String(err)}`);
    process.exit(1);
  }
}

console.log(`sitrep ingest benchmark (${source}): ${lines.length} articles (${(bytes / 1e6).toFixed(1)} MB), ${RUNS} run(s) each, medians`);
const results = new Map<string, { first: Run[]; again: Run[] }>();
for (let k = 0; k < RUNS; k++) {
  for (const merge of MERGE) for (const workers of WORKERS) {
    for (const kind of BACKENDS) {
      const key = `${kind}|${workers ?? 'default'}|${merge}`;
      const store = await freshStore(kind, admin, `${k}_${workers ?? 'd'}_${merge === 'merge' ? 'm' : 's'}`);
      try {
        const first = await ingest(store.env, workers, merge, kind === 'postgres' ? admin : null, store.appName);
        const again = await ingest(store.env, workers, merge, kind === 'postgres' ? admin : null, store.appName);
        if (first.summary.new !== lines.length - first.summary.failed - first.summary.unchanged || again.summary.new !== 0 || again.summary.extracted !== 0) {
          throw new Error(`unexpected summaries: ${JSON.stringify(first.summary)} / ${JSON.stringify(again.summary)}`);
        }
        const r = results.get(key) ?? { first: [], again: [] };
        r.first.push(first);
        r.again.push(again);
        results.set(key, r);
      } finally {
        await store.drop();
      }
    }
  }
}

const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => x.toFixed(0);
for (const [key, r] of results) {
  const [kind, workers, merge] = key.split('|');
  const pick = (runs: Run[]): Run => {
    const m = median(runs.map((x) => x.wallMs));
    return runs.find((x) => x.wallMs === m)!;
  };
  const first = pick(r.first);
  const again = pick(r.again);
  const n = first.summary.articles;
  const s = first.summary;
  console.log(`\n${kind}, ${merge === 'merge' ? '--merge (the merger)' : 'default merge step (one canonical event per report)'}, --workers ${workers === 'default' ? `default (${s.workers ?? '?'})` : workers}: ${s.new} new, ${s.failed} failed, ${s.events} events, ${s.canonical} canonical writes`);
  console.log(`  first run      ${f1(first.wallMs / 1000)} s: ${f0(n / (first.wallMs / 1000))} articles/s with start-up, ${f0(n / s.seconds)} after start-up (${f1(s.seconds)} s; start-up ${f1(first.wallMs / 1000 - s.seconds)} s); peak RSS ${f0(first.rssMb)} MB`);
  const t = s.timing;
  if (t) {
    const main = t.readSeconds + t.previewSeconds + t.waitSeconds + t.storeSeconds;
    console.log(
      `  main thread    read ${f1(t.readSeconds)} s, previews ${f1(t.previewSeconds)} s, to the workers ${f1(t.dispatchSeconds)} s, waiting for extraction ${f1(t.waitSeconds)} s, ` +
        `storing ${f1(t.storeSeconds)} s (${t.batches} transactions, ${((1000 * t.storeSeconds) / Math.max(1, s.extracted)).toFixed(2)} ms per article, of which the merge step ${((1000 * t.mergeSeconds) / Math.max(1, s.extracted)).toFixed(2)} ms); ` +
        `other ${f1(Math.max(0, s.seconds - main - t.dispatchSeconds))} s`,
    );
    console.log(`  extraction     ${f1(t.extractSeconds)} s summed over the worker threads (${((1000 * t.extractSeconds) / Math.max(1, s.extracted)).toFixed(2)} ms per article)`);
  }
  const perArticle = (sec: number) => `${((1000 * sec) / n).toFixed(2)} ms/article`;
  const total = first.mainCpu + first.otherCpu + (first.serverCpu ?? 0);
  console.log(
    `  CPU            main thread ${f1(first.mainCpu)} s (${perArticle(first.mainCpu)}), other threads ${f1(first.otherCpu)} s (${perArticle(first.otherCpu)})` +
      (first.serverCpu !== null ? `, PostgreSQL server ${f1(first.serverCpu)} s (${perArticle(first.serverCpu)})` : '') +
      `: ${perArticle(total)} in all, start-up included`,
  );
  console.log(`  machine        other processes used ${f1(first.othersCpu)} CPU s meanwhile (${f1(first.othersCpu / (first.wallMs / 1000))} of the ${cores} cores)`);
  console.log(`  again (unchanged) ${f1(again.wallMs / 1000)} s: ${f0(n / (again.wallMs / 1000))} articles/s with start-up, ${f0(n / again.summary.seconds)} after start-up; peak RSS ${f0(again.rssMb)} MB`);
  console.log(`  (first-run walls of the ${r.first.length} runs: ${r.first.map((x) => f1(x.wallMs / 1000)).join(', ')} s)`);
}

// Extraction alone with the worker counts the runs used.
const counts = new Set<number>();
for (const r of results.values()) counts.add(r.first[0]!.summary.workers ?? 1);
for (const w of [...counts].sort()) {
  const runs = Array.from({ length: RUNS }, () => extractionOnly(w));
  const m = median(runs.map((x) => x.seconds));
  console.log(`\nextraction alone, ${w} worker thread(s), no store: ${f0(lines.length / m)} articles/s after start-up (${f1(m)} s; runs ${runs.map((x) => f1(x.seconds)).join(', ')} s)`);
}
// Storing alone: the same runner (batches, previews, units, the merge step) with the events
// extracted beforehand and handed back at once, in this process: what the store costs per article.
// SITREP_BENCH_ALONE=0 skips it.
if (process.env['SITREP_BENCH_ALONE'] !== '0') {
  // The compiled extractor: its worker threads load dist/jobs/extract-worker.js.
  const { workerExtractor } = (await import(join(root, 'dist/jobs/extractor.js'))) as typeof import('../src/jobs/extractor.js');
  const { expandPaths, readSources } = await import('../src/jobs/inputs.js');
  const { ingestArticles } = await import('../src/jobs/pipeline.js');
  const { mergeCanonicals, singletonCanonicals } = await import('../src/jobs/merge-step.js');
  const { openStore } = await import('../src/store/index.js');
  type Article = import('../src/core/types.js').Article;
  type SitrepEvent = import('../src/core/types.js').SitrepEvent;
  const inputs: Array<import('../src/jobs/inputs.js').IngestInput> = [];
  for await (const x of readSources(expandPaths([file]).sources)) inputs.push(x);
  const ex = workerExtractor(Math.max(1, cores), { warmUp: { geoparse: true } });
  const extracted = new Map<string, SitrepEvent[]>();
  await Promise.all(inputs.filter((x) => x.article).map(async (x) => extracted.set(x.article!.id, await ex.extract(x.article!, { geoparse: true }).catch(() => []))));
  await ex.close();
  const eventCount = [...extracted.values()].reduce((n, e) => n + e.length, 0);
  if (eventCount === 0) throw new Error('bench/ingest: extraction gave no events (is dist/ built?)');
  const replay = { capacity: 1, extract: async (a: Article) => extracted.get(a.id) ?? [], close: async () => {} };
  console.log('\nstoring alone (events extracted beforehand; the runner of sitrep ingest, in this process):');
  for (const merge of MERGE) {
    for (const kind of BACKENDS) {
      const tag = `alone_${merge === 'merge' ? 'm' : 's'}`;
      const fresh = await freshStore(kind, admin, tag);
      const appName = fresh.appName || `sitrep-bench-${process.pid}-${tag}`;
      const store = kind === 'pglite' ? await openStore({ dataDir: fresh.env['SITREP_DATA']! }) : await openStore({ url: fresh.env['DATABASE_URL']! });
      const cpu0 = process.cpuUsage();
      const serverCpu = new Map<number, number>();
      let polling = kind === 'postgres';
      const poller = (async () => {
        while (polling) {
          for (const r of (await admin!.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [appName])).rows) {
            const c = cpuOf(r.pid);
            if (c !== null) serverCpu.set(r.pid, c);
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const summary = await ingestArticles(store, inputs, { extractor: replay, merge: merge === 'merge' ? mergeCanonicals : singletonCanonicals });
      polling = false;
      await poller;
      const cpu = process.cpuUsage(cpu0);
      await store.close();
      await fresh.drop();
      const n = summary.done;
      const server = [...serverCpu.values()].reduce((a, b) => a + b, 0);
      console.log(
        `  ${kind.padEnd(8)} ${merge === 'merge' ? '--merge ' : 'default '} ${f0(n / summary.seconds)} articles/s (${f1(summary.seconds)} s, ${summary.events} events, ${summary.timing.batches} transactions; ` +
          `${((1000 * summary.timing.storeSeconds) / n).toFixed(2)} ms per article in transactions, of which the merge step ${((1000 * summary.timing.mergeSeconds) / n).toFixed(2)} ms); ` +
          `CPU of this process ${(((cpu.user + cpu.system) / 1000) / n).toFixed(2)} ms/article${kind === 'postgres' ? `, server ${((1000 * server) / n).toFixed(2)} ms/article` : ''}`,
      );
    }
  }
}
// A long run: every dev text once (MUC-4 wire stories, ACLED and GTD notes: about 8,000 articles,
// shuffled), in two halves into one new store with the default merge step: whether the time per
// article stays flat as the store grows (it did not, before the store refreshed its planner
// statistics: Store.refreshStatistics). SITREP_BENCH_LONG=0 skips it.
if (process.env['SITREP_BENCH_LONG'] !== '0') {
  const stream = streamCorpus(join(root, '../shared/eval'));
  if (stream) {
    const half = Math.ceil(stream.length / 2);
    const parts = [stream.slice(0, half), stream.slice(half)];
    const files = parts.map((part, i) => {
      const f = join(dir, `ingest-long-${i + 1}.jsonl`);
      writeFileSync(f, `${part.join('\n')}\n`);
      return f;
    });
    console.log(`\nlong run: every dev text once (${stream.length} articles, ${(Buffer.byteLength(stream.join('\n')) / 1e6).toFixed(1)} MB, shuffled), in two halves into one new store, default merge step, one run`);
    for (const kind of BACKENDS) {
      const fresh = await freshStore(kind, admin, 'long');
      try {
        const halves: Run[] = [];
        for (const f of files) halves.push(await ingest(fresh.env, null, 'no-merge', kind === 'postgres' ? admin : null, fresh.appName, f));
        const seconds = halves.reduce((a, h) => a + h.summary.seconds, 0);
        const articles = halves.reduce((a, h) => a + h.summary.articles, 0);
        const line = halves.map((h, i) => {
          const s = h.summary;
          const per = (x: number) => ((1000 * x) / Math.max(1, s.extracted)).toFixed(2);
          return `${i ? 'second' : 'first'} half ${s.articles} articles ${f1(s.seconds)} s (${f0(s.articles / s.seconds)}/s), storing ${per(s.timing?.storeSeconds ?? 0)} ms/article` + (h.serverCpu !== null ? `, server CPU ${per(h.serverCpu)} ms/article` : '');
        });
        console.log(`  ${kind.padEnd(8)} ${f0(articles / seconds)} articles/s after start-up (${f1(seconds)} s); ${line.join('; ')}`);
      } finally {
        await fresh.drop();
      }
    }
  }
}
await admin?.end();
