/** Output helpers shared by the commands: back-pressure-aware writes and one way to report errors. */
import { InputError } from '../core/types.js';

export function writeLine(line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = process.stdout.write(line + '\n', (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

/**
 * `sitrep ... | head` closes the pipe before the output ends. Without a listener the EPIPE becomes an
 * uncaught exception with a stack trace; the reader has all it wants, so stop quietly instead.
 */
export function exitQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`sitrep: cannot write the output: ${err.message}\n`);
    process.exit(1);
  });
}

/** Print a clear one-line error (never a stack trace) and return the exit code. */
export function fail(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`sitrep: ${err.message}\n`);
    return 1;
  }
  const e = err as Error;
  process.stderr.write(`sitrep: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.SITREP_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  return 1;
}
