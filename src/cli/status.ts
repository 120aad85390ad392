/**
 * `sitrep status`: what an operator wants at a glance: the queue (REDIS_URL: jobs waiting,
 * running, delayed, done and failed; workers connected; jobs finished per minute, from the workers'
 * metrics) and the store (articles, events, canonical events, merge decisions). `--json` prints one
 * JSON object. Without REDIS_URL, only the store (ingest runs in-process). Exit code 1 when the
 * store or Redis cannot be reached (what could be read is printed first).
 */
import type { Command } from 'commander';
import { fail, writeLine } from './io.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('queue depth, throughput and failures (REDIS_URL), and what the store holds')
    .option('--json', 'one JSON object on standard output')
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await runStatus(opts);
    });
}

async function runStatus(opts: { json?: boolean }): Promise<number> {
  const { queueConfig } = await import('../queue/config.js');
  let cfg;
  try {
    cfg = queueConfig();
  } catch (err) {
    return fail(err);
  }
  const out: Record<string, unknown> = {};
  let code = 0;
  if (cfg) {
    const { openQueue, queueStatus } = await import('../queue/admin.js');
    try {
      const h = await openQueue(cfg);
      try {
        out['queue'] = await queueStatus(h, cfg);
      } finally {
        await h.close();
      }
    } catch (err) {
      code = fail(err);
      out['queue'] = { error: (err as Error).message };
    }
  } else out['queue'] = null;
  const { openStore } = await import('../store/index.js');
  try {
    const store = await openStore();
    try {
      const c = await store.counts();
      const active = await store.runRead((conn) => conn.query<{ n: number }>(`select count(*)::int as n from canonical_events where status = 'active'`));
      out['store'] = { where: store.where, kind: store.kind, ...c, canonical_active: Number(active[0]?.n ?? 0) };
    } finally {
      await store.close();
    }
  } catch (err) {
    code = fail(err);
    out['store'] = { error: (err as Error).message };
  }
  if (opts.json) {
    await writeLine(JSON.stringify(out));
    return code;
  }
  const q = out['queue'] as import('../queue/admin.js').QueueStatus | { error: string } | null;
  if (q === null) await writeLine('queue: none (REDIS_URL is not set: sitrep ingest runs the pipeline in-process)');
  else if ('error' in q) await writeLine(`queue: unreachable (${q.error})`);
  else {
    const c = q.counts;
    await writeLine(`queue ${q.queue} (prefix ${q.prefix}): ${c.waiting + c.prioritized} waiting, ${c.active} active, ${c.delayed} delayed (retries), ${c.failed} failed, ${c.completed} completed (kept)`);
    const t = q.throughput;
    await writeLine(`  throughput: ${t.completedLastMinute} jobs done this minute, ${t.completedPerMinute15.toFixed(1)}/min over the last 15 minutes, ${t.completedTotal} in all`);
    await writeLine(`  failures: ${t.failedLastMinute} this minute, ${t.failedPerMinute15.toFixed(1)}/min over the last 15 minutes, ${t.failedTotal} in all`);
    await writeLine(`  workers: ${q.workers.length}${q.workers.length ? ` (${q.workers.map((w) => w.name).join(', ')})` : ''}`);
  }
  const s = out['store'] as Record<string, unknown> & { error?: string };
  if (s.error) await writeLine(`store: unreachable (${s.error})`);
  else {
    await writeLine(`store (${s['kind']}, ${s['where']}): ${s['articles']} articles, ${s['article_events']} events, ${s['canonical_active']} canonical events (${s['canonical_events']} with retired ones), ${s['merge_decisions']} merge decisions, ${s['article_versions']} replaced texts`);
  }
  return code;
}
