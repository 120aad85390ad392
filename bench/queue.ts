/**
 * Benchmark: the queue (issue 6). The real CLI, spawned, on PostgreSQL and Redis, each scenario
 * with a fresh schema and a queue of its own:
 *
 * 1. **in-process**: `sitrep ingest FILE --no-queue` (extract + store, the CLI's default extraction
 *    threads) — articles/s after start-up (the CLI's `seconds`) and by the wall clock;
 * 2. **1 worker** and **2 workers**: the articles enqueued first (`sitrep ingest` with REDIS_URL:
 *    enqueue rate), then `sitrep worker --drain --threads 0` processes (extraction on each worker's
 *    main thread, so that a worker is one process's worth of CPU) — articles/s from the first job
 *    taken to the last one done (BullMQ's processedOn/finishedOn), and by the wall clock from the
 *    workers' start; peak RSS per worker;
 * 3. **1 worker, default threads** (one extraction thread per spare core), for reference;
 * 4. **latency**: one worker while articles arrive at a steady rate below its capacity (a third of
 *    what one worker did): enqueue → stored (finishedOn − timestamp) p50/p95, and waiting time
 *    before a worker took the job (processedOn − timestamp).
 *
 * Floors (issue 6): in-process ≥ 150 articles/s into PostgreSQL; 2 workers ≥ 1.6 × one worker.
 * The machine is shared: the load average is printed with each figure.
 *
 * Corpus: the MUC-4 dev texts (../shared/eval/muc4.dev.jsonl, 1,003 wire stories) or, with
 * SITREP_BENCH_QUEUE_CORPUS=acled, the ACLED global dev notes (2,375 short texts); else the
 * bundled samples, copies made distinct. SITREP_BENCH_RUNS (default 2; medians), DATABASE_URL or
 * SITREP_TEST_DATABASE_URL, REDIS_URL (default redis://127.0.0.1:6379).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { enqueueInputs } from '../src/queue/enqueue.js';
import { deleteQueueKeys } from '../test/queue/helpers.js';
import type { IngestInput } from '../src/jobs/inputs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'bin', 'sitrep.js');
const PG_URL = process.env['SITREP_TEST_DATABASE_URL'] || process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const RUNS = Math.max(1, Number(process.env['SITREP_BENCH_RUNS'] ?? 2) || 2);
const PREFIX = 'sitrep-bench';

function corpus(): { lines: string[]; source: string } {
  const which = process.env['SITREP_BENCH_QUEUE_CORPUS'] === 'acled' ? 'acled-global' : 'muc4';
  const path = join(root, `../shared/eval/${which}.dev.jsonl`);
  if (existsSync(path)) {
    const lines: string[] = [];
    let i = 0;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { message_id?: string; id?: string; text: string; published?: string };
      lines.push(JSON.stringify({ id: `${which}-${row.message_id ?? row.id ?? i}-${i}`, text: row.text, ...(row.published ? { published: row.published } : {}) }));
      i++;
    }
    return { lines, source: which === 'muc4' ? 'MUC-4 dev texts' : 'ACLED global dev notes' };
  }
  const samples = join(root, 'samples');
  const texts = readdirSync(samples).filter((f) => extname(f) === '.txt').sort().map((f) => readFileSync(join(samples, f), 'utf8'));
  const lines: string[] = [];
  for (let i = 0; lines.length < 1000 && texts.length; i++) lines.push(JSON.stringify({ id: `sample-copy-${i}`, text: `${texts[i % texts.length]}\n\nCopy ${i + 1} of the bundled samples.` }));
  return { lines, source: 'bundled samples, copies made distinct' };
}

const { lines, source } = corpus();
const N = lines.length;
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'queue-corpus.jsonl');
writeFileSync(file, `${lines.join('\n')}\n`);

let serial = 0;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();

async function freshSchema(): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
  const schema = `sitrep_bench_queue_${process.pid}_${++serial}`;
  await admin.query(`drop schema if exists "${schema}" cascade; create schema "${schema}"`);
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { env: { DATABASE_URL: url.toString() }, drop: async () => void (await admin.query(`drop schema if exists "${schema}" cascade`)) };
}

function freshQueue(): { name: string; env: NodeJS.ProcessEnv; queue: () => { q: Queue; close: () => Promise<void> }; drop: () => Promise<void> } {
  const name = `bench-${process.pid}-${++serial}`;
  return {
    name,
    env: { REDIS_URL, SITREP_QUEUE: name, SITREP_QUEUE_PREFIX: PREFIX },
    queue: () => {
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      const q = new Queue(name, { connection, prefix: PREFIX });
      return { q, close: async () => (await q.close(), connection.disconnect()) };
    },
    drop: () => deleteQueueKeys(REDIS_URL, PREFIX, name),
  };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssMb: number | null;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return launch(args, env).done;
}

function launch(args: string[], env: NodeJS.ProcessEnv): { child: import('node:child_process').ChildProcess; done: Promise<Ran> } {
  const t0 = performance.now();
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, SITREP_REPORT_RESOURCES: '1', SITREP_LOG_LEVEL: 'info' };
  delete baseEnv['DATABASE_URL'];
  delete baseEnv['REDIS_URL'];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env: { ...baseEnv, ...env } });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const done = new Promise<Ran>((resolve) =>
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = /maxRSS=(\d+)/.exec(stderr);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr, ms: performance.now() - t0, rssMb: rss ? Number(rss[1]) / 1024 : null });
    }),
  );
  return { child, done };
}

const load = () => loadavg()[0]!.toFixed(1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

function check(r: Ran, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stderr.slice(-2000)}`);
}

async function inProcess(): Promise<{ rate: number; wallRate: number; load: string; rssMb: number[] }> {
  const s = await freshSchema();
  try {
    const r = await run(['ingest', file, '--no-queue', '--json'], s.env);
    check(r, 'ingest --no-queue');
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { articles: number; seconds: number };
    return { rate: summary.articles / summary.seconds, wallRate: summary.articles / (r.ms / 1000), load: load(), rssMb: r.rssMb === null ? [] : [r.rssMb] };
  } finally {
    await s.drop();
  }
}

/** CPU seconds of a worker process (user + system, all its threads), from its "worker stopped" log line. */
function workerCpu(r: Ran): number {
  for (const line of r.stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const l = JSON.parse(line) as { msg?: string; cpuSeconds?: number };
    if (l.msg === 'worker stopped' && typeof l.cpuSeconds === 'number') return l.cpuSeconds;
  }
  return NaN;
}

async function workers(count: number, threads: number | null): Promise<{ rate: number; wallRate: number; enqueueRate: number; rssMb: number[]; cpuMsPerArticle: number; load: string }> {
  const s = await freshSchema();
  const q = freshQueue();
  try {
    const env = { ...s.env, ...q.env };
    const enq = await run(['ingest', file, '--json'], env);
    check(enq, 'ingest (enqueue)');
    const e = JSON.parse(enq.stdout.trim()) as { enqueued: number; seconds: number };
    if (e.enqueued !== N) throw new Error(`enqueued ${e.enqueued} of ${N}`);
    const args = ['worker', '--drain', '--concurrency', '32', ...(threads === null ? [] : ['--threads', String(threads)])];
    const t0 = performance.now();
    const done = await Promise.all(Array.from({ length: count }, () => run(args, env)));
    const wallMs = performance.now() - t0;
    done.forEach((r) => check(r, 'worker'));
    const { q: queue, close } = q.queue();
    try {
      const jobs = await queue.getJobs(['completed'], 0, -1);
      if (jobs.length !== N) throw new Error(`${jobs.length} of ${N} jobs completed`);
      const first = Math.min(...jobs.map((j) => j.processedOn ?? Infinity));
      const last = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
      const cpu = done.reduce((a, r) => a + workerCpu(r), 0);
      return { rate: N / ((last - first) / 1000), wallRate: N / (wallMs / 1000), enqueueRate: N / e.seconds, rssMb: done.map((r) => r.rssMb ?? NaN), cpuMsPerArticle: (cpu * 1000) / N, load: load() };
    } finally {
      await close();
    }
  } finally {
    await q.drop();
    await s.drop();
  }
}

async function latency(ratePerSecond: number, total: number): Promise<{ p50: number; p95: number; wait50: number; wait95: number; load: string }> {
  const s = await freshSchema();
  const q = freshQueue();
  try {
    const env = { ...s.env, ...q.env };
    const worker = launch(['worker', '--concurrency', '32', '--threads', '0'], env);
    // Let it start (the gazetteer loads) before the first article arrives.
    await new Promise((r) => setTimeout(r, 3000));
    async function* paced(): AsyncGenerator<IngestInput> {
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / ratePerSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const row = JSON.parse(lines[i % N]!) as { id: string; text: string; published?: string };
        yield { label: `latency ${i}`, idGiven: true, article: { id: `lat-${i}-${row.id}`, title: null, url: null, published: row.published ?? null, text: `${row.text}\n\nLatency copy ${i}.`, removed: [] } };
      }
    }
    const { queueConfig } = await import('../src/queue/config.js');
    await enqueueInputs(paced(), { config: queueConfig(env)!, chunk: 1 });
    const { q: queue, close } = q.queue();
    try {
      for (let t = 0; (await queue.getCompletedCount()) < total; t++) {
        if (t > 1200) throw new Error('latency: the worker did not finish in 10 minutes');
        await new Promise((r) => setTimeout(r, 500));
      }
      worker.child.kill('SIGTERM');
      check(await worker.done, 'worker (latency)');
      const jobs = await queue.getJobs(['completed'], 0, -1);
      const total_ = jobs.map((j) => (j.finishedOn ?? 0) - j.timestamp);
      const waits = jobs.map((j) => (j.processedOn ?? 0) - j.timestamp);
      return { p50: pct(total_, 0.5), p95: pct(total_, 0.95), wait50: pct(waits, 0.5), wait95: pct(waits, 0.95), load: load() };
    } finally {
      await close();
    }
  } finally {
    await q.drop();
    await s.drop();
  }
}

console.log(`corpus: ${source}, ${N} articles; PostgreSQL ${PG_URL.replace(/:[^:@/]*@/, ':***@')}, Redis ${REDIS_URL}; ${RUNS} run(s), load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const rows: Record<string, Array<{ rate: number; wallRate: number; load: string; rssMb?: number[]; enqueueRate?: number; cpuMsPerArticle?: number }>> = { 'in-process': [], '1 worker': [], '2 workers': [], '1 worker, default threads': [] };
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so that a change in the machine's load touches every scenario alike.
  rows['in-process']!.push(await inProcess());
  rows['1 worker']!.push(await workers(1, 0));
  rows['2 workers']!.push(await workers(2, 0));
  rows['1 worker, default threads']!.push(await workers(1, null));
  const line = Object.entries(rows).map(([k, v]) => `${k} ${v.at(-1)!.rate.toFixed(0)}/s (load ${v.at(-1)!.load})`).join('; ');
  console.log(`run ${i + 1}: ${line}`);
}
console.log('\nscenario                    | articles/s (processing) | articles/s (wall, start-up incl.) | RSS per process MB | worker CPU ms/article | load avg (1 min)');
for (const [k, v] of Object.entries(rows)) {
  const rss = v.flatMap((x) => x.rssMb ?? []);
  const cpu = v.map((x) => x.cpuMsPerArticle ?? NaN).filter((x) => Number.isFinite(x));
  console.log(
    `${k.padEnd(27)} | ${median(v.map((x) => x.rate)).toFixed(1).padStart(23)} | ${median(v.map((x) => x.wallRate)).toFixed(1).padStart(33)} | ${(rss.length ? `${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)}` : '—').padStart(18)} | ${(cpu.length ? median(cpu).toFixed(2) : '—').padStart(21)} | ${v.map((x) => x.load).join(', ')}`,
  );
}
const enq = rows['1 worker']!.map((x) => x.enqueueRate ?? NaN);
console.log(`enqueue (sitrep ingest with REDIS_URL): ${median(enq).toFixed(0)} articles/s`);
const one = median(rows['1 worker']!.map((x) => x.rate));
const two = median(rows['2 workers']!.map((x) => x.rate));
const local = median(rows['in-process']!.map((x) => x.rate));
const lat = await latency(Math.max(5, Math.round(one / 3)), Math.min(N, 400));
console.log(`latency at ${Math.max(5, Math.round(one / 3))} articles/s arriving, 1 worker: enqueue → stored p50 ${lat.p50} ms, p95 ${lat.p95} ms; waiting for a worker p50 ${lat.wait50} ms, p95 ${lat.wait95} ms (load ${lat.load})`);
console.log(`floor: in-process ≥ 150 articles/s: ${local.toFixed(1)} — ${local >= 150 ? 'ok' : 'missed'}`);
console.log(`floor: 2 workers ≥ 1.6 × 1 worker: ${(two / one).toFixed(2)}× — ${two / one >= 1.6 ? 'ok' : 'missed'}`);
await admin.end();
