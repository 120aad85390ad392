/** The `sitrep` command line: one file per command, registered here. */
import { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerEval } from './eval.js';
import { registerExtract } from './extract.js';
import { registerGazetteer } from './gazetteer.js';
import { exitQuietlyWhenOutputCloses, fail } from './io.js';

exitQuietlyWhenOutputCloses();

const program = new Command();
program.name('sitrep').description('Turn news about armed conflict into sourced, ACLED-style event data').version('0.1.0');
registerExtract(program);
registerEval(program);
registerDemo(program);
registerGazetteer(program);
(await import('./ingest.js')).registerIngest(program);
(await import('./export.js')).registerExport(program);
(await import('./merge.js')).registerMerge(program);
(await import('./serve.js')).registerServe(program);
(await import('./check.js')).registerCheck(program);
(await import('./worker.js')).registerWorker(program);
(await import('./jobs.js')).registerJobs(program);
(await import('./status.js')).registerStatus(program);
(await import('./watch.js')).registerWatch(program);

if (process.env.SITREP_REPORT_RESOURCES) {
  // For benchmarks: peak resident memory of this process, in KB, on standard error at exit.
  process.on('exit', () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\n`));
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.exitCode = fail(err);
});
