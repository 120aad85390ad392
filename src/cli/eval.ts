/**
 * `sitrep eval`: measure extraction against the gold sets (../shared/eval/README.md).
 *
 *   sitrep eval [FILES...] [--all] [--json] [--limit N] [--set NAME]
 *                          [--show FIELD] [--errors N] [--floors FILE]
 *   sitrep eval --merge [FILE] [--limit N] [--json] [--floors FILE [--ratchet]]   (merging, MUC-4: src/eval/merge-run.ts)
 *
 * The work is in src/eval/command.ts; this file only declares the arguments.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { evalDir, runEval, type EvalCliOptions } from '../eval/command.js';
import { extractArticle } from '../pipeline/extract.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('score extraction against gold data (ACLED, GTD, MUC-4); see ../shared/eval/README.md')
    .argument('[files...]', 'gold JSONL files (the set is told by the name: acled-*, gtd*, muc4*)')
    .option('--all', 'score the four dev sets in ../shared/eval (or $SITREP_EVAL_DIR)')
    .option('--json', 'print { "sets": { "<set>": { "<metric>": { value, n } } } }')
    .option('--limit <n>', 'score only the first N records of each file', wholeNumber)
    .option('--set <name>', 'the gold set the FILES hold when their names do not say (acled-mali, gtd, muc4, ...)')
    .option('--show <field>', 'list wrong records for this metric (terminal only)')
    .option('--errors <n>', 'how many wrong records to list per metric (default 20)', wholeNumber)
    .option('--floors <file>', 'JSON { "<set>": { "<metric>": minimum | { floor, best } } }: exit 1 when a score falls below')
    .option('--merge', 'measure merging: ingest the MUC-4 dev messages (or the one FILE) into a fresh store, score merge_precision/merge_recall')
    .option('--ratchet', 'with --floors: record this run\'s figures as the new best where they are higher')
    .action(async (files: string[], opts: EvalCliOptions & { merge?: boolean }) => {
      if (opts.merge) {
        const { runMergeEval } = await import('../eval/merge-run.js');
        const io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) };
        process.exitCode = await runMergeEval(
          { ...(files[0] ? { file: files[0] } : {}), ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.floors ? { floors: opts.floors, ratchet: !!opts.ratchet } : {}), json: !!opts.json },
          io,
          evalDir(),
        );
        return;
      }
      process.exitCode = runEval(files, opts, {
        out: (s) => process.stdout.write(s),
        err: (s) => process.stderr.write(s),
        extract: extractArticle,
      });
    });
}
