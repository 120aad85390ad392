/**
 * `sitrep check [--json] [--limit N]`: verifies the store (PGlite in the data directory, or
 * PostgreSQL with DATABASE_URL), read only: sources, spans, merge history, counts (src/check/).
 * Prints one line per problem and a summary; exits 0 when the store is sound, 3 when it found
 * problems, 1 when the store cannot be opened or read.
 */
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import { fail, writeLine } from './io.js';

/** The exit code for a store with problems (1 stays "could not check"). */
export const PROBLEMS_EXIT = 3;

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('verify the store: every event has a source, every span lies in its article and names its slice, merge history is consistent, counts agree')
    .option('--json', 'print the report as one JSON object')
    .option('--limit <n>', 'list at most this many problems (default 1000)')
    .action(async (opts: { json?: boolean; limit?: string }) => {
      process.exitCode = await runCheck(opts);
    });
}

async function runCheck(opts: { json?: boolean; limit?: string }): Promise<number> {
  try {
    const limit = opts.limit === undefined ? 1000 : Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new InputError('--limit', `${JSON.stringify(opts.limit)} is not a positive whole number`);
    const { openStore } = await import('../store/index.js');
    const { checkStore, formatReport } = await import('../check/index.js');
    const store = await openStore();
    try {
      const report = await checkStore(store, limit);
      await writeLine(opts.json ? JSON.stringify(report) : formatReport(report));
      return report.problems.length ? PROBLEMS_EXIT : 0;
    } finally {
      await store.close();
    }
  } catch (err) {
    return fail(err);
  }
}
