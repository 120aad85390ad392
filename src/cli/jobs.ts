/**
 * `sitrep jobs failed` lists the queue's failed jobs (the dead-letter list: inputs the pipeline or
 * the store refused, and jobs whose retries ran out), newest first; `sitrep jobs retry ID...` or
 * `sitrep jobs retry --all` puts them back on the waiting list with their attempts reset. Both need
 * REDIS_URL. `--json`: one JSON object per line instead of a table.
 */
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import { fail, writeLine } from './io.js';

const require = createRequire(import.meta.url);

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('the job queue (REDIS_URL): failed jobs and their replay');
  jobs
    .command('failed')
    .description('list failed jobs (the dead-letter list), newest first')
    .option('--limit <n>', 'at most this many', '100')
    .option('--offset <n>', 'skip this many first', '0')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { limit: string; offset: string; json?: boolean }) => {
      process.exitCode = await runFailed(opts);
    });
  jobs
    .command('retry')
    .description('put failed jobs back on the waiting list, their attempts reset')
    .argument('[ids...]', 'job ids (from sitrep jobs failed)')
    .option('--all', 'every failed job')
    .option('--json', 'print the result as one JSON line')
    .action(async (ids: string[], opts: { all?: boolean; json?: boolean }) => {
      process.exitCode = await runRetry(ids, opts);
    });
}

function count(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 1_000_000) throw new InputError(flag, `must be a whole number from 0 to 1000000, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function open() {
  const { requireQueueConfig } = await import('../queue/config.js');
  const { openQueue } = await import('../queue/admin.js');
  const cfg = requireQueueConfig('sitrep jobs');
  return { cfg, h: await openQueue(cfg) };
}

async function runFailed(opts: { limit: string; offset: string; json?: boolean }): Promise<number> {
  let limit: number, offset: number;
  try {
    limit = count(opts.limit, '--limit');
    offset = count(opts.offset, '--offset');
  } catch (err) {
    return fail(err);
  }
  let handle;
  try {
    handle = await open();
  } catch (err) {
    return fail(err);
  }
  const { listFailed } = await import('../queue/admin.js');
  try {
    const { total, jobs } = await listFailed(handle.h, offset, limit);
    if (opts.json) {
      for (const j of jobs) await writeLine(JSON.stringify(j));
    } else {
      await writeLine(`${total} failed job${total === 1 ? '' : 's'} in queue ${handle.cfg.name}${jobs.length < total ? ` (showing ${jobs.length} from ${offset + 1})` : ''}`);
      for (const j of jobs) await writeLine(`${j.id}  ${j.failedAt ?? '-'}  attempts ${j.attempts}  ${j.label}  article ${j.articleId}\n    ${j.reason.replace(/\n/g, ' ')}`);
    }
    return 0;
  } catch (err) {
    return fail(err);
  } finally {
    await handle.h.close();
  }
}

async function runRetry(ids: string[], opts: { all?: boolean; json?: boolean }): Promise<number> {
  if (!opts.all && ids.length === 0) return fail(new InputError('sitrep jobs retry', 'name the job ids to retry (sitrep jobs failed lists them), or --all'));
  if (opts.all && ids.length) return fail(new InputError('sitrep jobs retry', '--all takes no job ids'));
  let handle;
  try {
    handle = await open();
  } catch (err) {
    return fail(err);
  }
  const { retryFailed } = await import('../queue/admin.js');
  let bar: import('cli-progress').SingleBar | null = null;
  try {
    const onProgress = (done: number, total: number) => {
      if (!process.stderr.isTTY || total < 50) return;
      if (!bar) {
        const cliProgress = require('cli-progress') as typeof import('cli-progress');
        bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'retry [{bar}] {value}/{total} jobs', hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    };
    const r = await retryFailed(handle.h, opts.all ? undefined : ids, onProgress);
    (bar as import('cli-progress').SingleBar | null)?.stop();
    for (const x of r.refused) process.stderr.write(`sitrep: job ${x.id}: ${x.reason}\n`);
    if (opts.json) await writeLine(JSON.stringify(r));
    process.stderr.write(`jobs: ${r.retried.length} job${r.retried.length === 1 ? '' : 's'} back on the waiting list${r.refused.length ? `, ${r.refused.length} refused` : ''}\n`);
    return r.refused.length ? 2 : 0;
  } catch (err) {
    return fail(err);
  } finally {
    await handle.h.close();
  }
}
