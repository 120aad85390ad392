/**
 * `sitrep serve [--host 127.0.0.1] [--port 8080]`: the HTTP API and the dashboard over the store
 * (PGlite in the data directory, or PostgreSQL with DATABASE_URL). See src/server/README.md.
 *
 * - Off loopback (`--host 0.0.0.0`, a LAN address) it refuses to start without SITREP_API_TOKEN
 *   (exit 2), since POST /articles would be open to the network.
 * - POST /articles extracts in one worker thread (`--workers N`; 0: on the main thread), made on the
 *   first request, so that a batch does not hold up the other requests.
 * - Prints `sitrep serve: listening on http://HOST:PORT ...` on standard error once it listens;
 *   SIGINT/SIGTERM close the server and the store (a PGlite directory is then free again).
 */
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import type { Extractor } from '../jobs/extractor.js';
import { fail } from './io.js';

interface ServeCliOptions {
  host: string;
  port: string;
  workers?: string;
  merge?: boolean;
  web?: string;
  rateLimit?: string;
  bodyLimit?: string;
  log?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (docs at /docs, OpenAPI at /openapi.json) and the dashboard over the store')
    .option('--host <address>', 'address to listen on (anything but loopback needs SITREP_API_TOKEN)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free one)', '8080')
    .option('--workers <n>', 'extraction worker threads for POST /articles (0: on the main thread)', '1')
    .option('--merge', 'merge posted articles\' events across articles (as sitrep ingest --merge)')
    .option('--web <dir>', 'the dashboard build to serve (default: web/dist)')
    .option('--rate-limit <n>', 'requests per minute per client address, every route (0: none)', '1200')
    .option('--body-limit <mb>', 'largest request body, MB', '10')
    .option('--log', 'log every request (JSON lines on standard error)')
    .action(async (opts: ServeCliOptions) => {
      const code = await runServe(opts);
      if (code !== null) process.exitCode = code;
    });
}

function wholeNumber(flag: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > max) throw new InputError(flag, `must be a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

/** Worker threads made on the first extraction: a server that is only read never loads the pipeline. */
async function lazyWorkers(count: number): Promise<Extractor> {
  const { inProcessExtractor, workerExtractor } = await import('../jobs/extractor.js');
  if (count === 0) return inProcessExtractor();
  let inner: Extractor | null = null;
  return {
    capacity: count * 2 + 1,
    threads: count,
    extract: (article, pipeline) => (inner ??= workerExtractor(count)).extract(article, pipeline),
    close: async () => {
      await inner?.close();
    },
  };
}

/** Runs until a signal; returns an exit code when it could not start (null once it served). */
async function runServe(opts: ServeCliOptions): Promise<number | null> {
  let port: number;
  let workers: number;
  let rateLimit: number;
  let bodyLimit: number;
  const token = process.env['SITREP_API_TOKEN'] || null;
  const { checkListen, ServeRefusal } = await import('../server/index.js');
  try {
    port = wholeNumber('--port', opts.port, 65535);
    workers = wholeNumber('--workers', opts.workers ?? '1', 16);
    rateLimit = wholeNumber('--rate-limit', opts.rateLimit ?? '1200', 1_000_000);
    const mb = Number(opts.bodyLimit ?? '10');
    if (!Number.isFinite(mb) || mb <= 0 || mb > 1024) throw new InputError('--body-limit', `must be a number of MB above 0 and at most 1024, got ${JSON.stringify(opts.bodyLimit)}`);
    bodyLimit = Math.round(mb * 1024 * 1024);
    if (!opts.host.trim()) throw new InputError('--host', 'is empty');
    checkListen(opts.host, token);
  } catch (err) {
    if (err instanceof ServeRefusal) {
      process.stderr.write(`sitrep: serve: ${err.message}\n`);
      return 2;
    }
    return fail(err);
  }

  const { openStore } = await import('../store/index.js');
  const { createServer } = await import('../server/index.js');
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore();
  } catch (err) {
    return fail(err);
  }
  const merge = opts.merge ? (await import('../jobs/merge-step.js')).mergeCanonicals : undefined;
  let app: Awaited<ReturnType<typeof createServer>>;
  let address: string;
  try {
    app = await createServer({
      store,
      host: opts.host,
      token,
      ...(opts.web !== undefined ? { webRoot: opts.web } : {}),
      bodyLimit,
      rateLimit: rateLimit > 0 ? { max: rateLimit, writeMax: Math.min(rateLimit, 60) } : false,
      extractor: await lazyWorkers(workers),
      ...(merge ? { merge } : {}),
      logger: { level: opts.log ? 'info' : 'error', stream: process.stderr },
    });
    address = await app.listen({ host: opts.host, port });
  } catch (err) {
    await store.close().catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return fail(new InputError('--port', `${port} is in use on ${opts.host} (another server?); pick another with --port`));
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return fail(new InputError('--host', `${opts.host} is not an address of this machine`));
    return fail(err);
  }

  const counts = await store.counts().catch(() => null);
  process.stderr.write(
    `sitrep serve: listening on ${address} (API docs at ${address}/docs; store: ${store.kind}${counts ? `, ${counts.canonical_events} events, ${counts.articles} articles` : ''}; ` +
      `dashboard: ${app.dashboardBuilt ? 'built' : 'not built'}; writes ${token ? 'need the bearer token' : 'open to loopback clients'})\n`,
  );

  let closing = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (closing) process.exit(signal === 'SIGTERM' ? 143 : 130);
    closing = true;
    try {
      await app.close();
    } finally {
      await store.close().catch(() => {});
    }
    process.stderr.write(`sitrep serve: stopped (${signal})\n`);
    process.exit(0);
  };
  process.on('SIGINT', (s) => void stop(s));
  process.on('SIGTERM', (s) => void stop(s));
  return null;
}
