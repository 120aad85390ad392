/**
 * `sitrep watch FEED_URL...`: polls RSS/Atom feeds (conditional requests, per-feed error backoff),
 * fetches each new item's page, extracts and stores it, and remembers per feed what it handled, in
 * the store, so that no item is processed twice across restarts (src/feeds/).
 *
 * Feeds come from the arguments and from the `feeds` list of a JSON config file (`--config FILE`,
 * else SITREP_CONFIG, else ./sitrep.json when it exists; src/feeds/config.ts). Options on the
 * command line win over the file's.
 *
 * `--once`: one poll of each feed (feeds in backoff are skipped), then exit: 0, or 2 when a feed
 * or an item failed. Without it: polls until SIGINT/SIGTERM, which stop after the item in hand
 * (exit 0; a second signal quits at once). 1 when the store fails.
 *
 * Standard error: one line per feed polled, one per bad feed or page naming its URL and the reason.
 * `--json`: each poll's report as a JSON line on standard output.
 *
 * With REDIS_URL set (and no `--no-queue`) each new item's article is put on the job queue
 * (src/queue/) for `sitrep worker`s instead of being extracted here; an item counts as handled
 * once its job is in Redis.
 */
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import type { Sink } from '../feeds/sink.js';
import type { QueueConfig } from '../queue/config.js';
import type { FeedSpec, PollReport, WatchOptions } from '../feeds/watcher.js';
import type { Store } from '../store/index.js';
import { fail, writeLine } from './io.js';

interface WatchCliOptions {
  config?: string;
  interval?: string;
  once?: boolean;
  timeout?: string;
  backoffMax?: string;
  userAgent?: string;
  json?: boolean;
  /** false with --no-pages. */
  pages?: boolean;
  /** false with --no-geo. */
  geo?: boolean;
  /** true with --merge (the merger is opt-in, as for `sitrep ingest`). */
  merge?: boolean;
  /** false with --no-queue. */
  queue?: boolean;
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('poll RSS/Atom feeds, fetch each new item, extract and store it (each item once, across restarts)')
    .argument('[feeds...]', 'feed URLs (http or https); more in the config file')
    .option('--config <file>', 'JSON config file with a "feeds" list (default: $SITREP_CONFIG, else ./sitrep.json if present)')
    .option('--interval <seconds>', 'seconds between polls of a feed (default 300)')
    .option('--once', 'poll each feed once, then exit (for cron and tests)')
    .option('--timeout <seconds>', 'timeout of each request, headers and body (default 20)')
    .option('--backoff-max <seconds>', 'longest wait after failed polls of a feed (default: max(3600, interval))')
    .option('--user-agent <string>', 'the User-Agent header')
    .option('--no-pages', "do not fetch items' pages: read the text the feed itself carries")
    .option('--no-geo', 'skip the geoparser (no gazetteer loaded; events carry no place)')
    .option('--merge', 'merge reports of one event across articles into one canonical event (opt-in; src/merge/)')
    .option('--no-merge', 'keep every article event its own canonical event (the default)')
    .option('--no-queue', 'extract and store in this process even when REDIS_URL is set')
    .option('--json', "print each poll's report as one JSON line on standard output")
    .action(async (feeds: string[], opts: WatchCliOptions) => {
      process.exitCode = await runWatch(feeds, opts);
    });
}

/**
 * Where the articles go: the one place that chooses. With REDIS_URL (and no --no-queue) each
 * becomes a job on the queue for `sitrep worker`s (src/queue/); else they are extracted and stored
 * in this process (`ingestArticles`, through `storeSink`). The feed state is in the store either way.
 */
async function openSink(store: Store, opts: WatchCliOptions, queue: QueueConfig | null): Promise<{ sink: Sink; where: string; close: () => Promise<void> }> {
  if (queue) {
    const { queueSink } = await import('../feeds/sink.js');
    const { enqueueInputs } = await import('../queue/enqueue.js');
    const { redactRedisUrl } = await import('../queue/config.js');
    return { sink: queueSink((inputs, o) => enqueueInputs(inputs, { ...o, config: queue })), where: `queue ${queue.name} at ${redactRedisUrl(queue.url)}`, close: async () => {} };
  }
  const { storeSink } = await import('../feeds/sink.js');
  const { inProcessExtractor } = await import('../jobs/extractor.js');
  const { mergeCanonicals, singletonCanonicals } = await import('../jobs/merge-step.js');
  const extractor = inProcessExtractor();
  const sink = storeSink(store, { extractor, pipeline: { geoparse: opts.geo !== false }, merge: opts.merge === true ? mergeCanonicals : singletonCanonicals });
  return { sink, where: `store ${store.where}`, close: () => extractor.close() };
}

/** The options given on the command line and in the config file, checked. */
async function settings(args: string[], opts: WatchCliOptions): Promise<{ feeds: FeedSpec[]; options: Partial<WatchOptions>; queue: QueueConfig | null }> {
  const { checkFeedUrl, configPath, positive, readConfig } = await import('../feeds/config.js');
  const path = configPath(opts.config);
  const config = path ? readConfig(path) : { feeds: [], options: {} };
  const options: Partial<WatchOptions> = { ...config.options };
  if (opts.interval !== undefined) options.intervalSeconds = positive(opts.interval, '--interval', false);
  if (opts.timeout !== undefined) options.timeoutSeconds = positive(opts.timeout, '--timeout', false);
  if (opts.backoffMax !== undefined) options.backoffMaxSeconds = positive(opts.backoffMax, '--backoff-max', false);
  if (opts.userAgent !== undefined) {
    if (!opts.userAgent.trim()) throw new InputError('--user-agent', 'must not be empty');
    options.userAgent = opts.userAgent.trim();
  }
  if (opts.pages === false) options.fetchPages = false;
  const { queueConfig } = await import('../queue/config.js');
  const queue = opts.queue === false ? null : queueConfig();
  if (queue) {
    // The workers extract, store and merge: their options are theirs (as for `sitrep ingest`).
    for (const [given, flag] of [[opts.geo === false, '--no-geo'], [opts.merge !== undefined, opts.merge ? '--merge' : '--no-merge']] as const) {
      if (given) throw new InputError(flag, 'with REDIS_URL set the workers extract and store: give it to sitrep worker (or watch with --no-queue)');
    }
  }
  const feeds: FeedSpec[] = [];
  const seen = new Set<string>();
  for (const f of [...args.map((a) => ({ url: checkFeedUrl(a, 'sitrep watch') })), ...config.feeds]) {
    if (seen.has(f.url)) continue;
    seen.add(f.url);
    feeds.push(f);
  }
  if (feeds.length === 0) {
    throw new InputError('sitrep watch', path ? `no feeds: ${path} has no "feeds" and no FEED_URL was given` : 'no feeds: give FEED_URL... or a config file with a "feeds" list (--config FILE, or ./sitrep.json)');
  }
  return { feeds, options, queue };
}

async function runWatch(args: string[], opts: WatchCliOptions): Promise<number> {
  let feeds: FeedSpec[];
  let options: Partial<WatchOptions>;
  let queue: QueueConfig | null;
  try {
    ({ feeds, options, queue } = await settings(args, opts));
  } catch (err) {
    return fail(err);
  }
  const { openStore } = await import('../store/index.js');
  const { FeedWatcher } = await import('../feeds/watcher.js');
  let store: Store;
  try {
    store = await openStore();
  } catch (err) {
    return fail(err);
  }
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(signal === 'SIGTERM' ? 143 : 130);
    stoppedBy = signal;
    process.stderr.write(`watch: ${signal}: stopping after the item in hand (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let out: Awaited<ReturnType<typeof openSink>> | null = null;
  let failed = 0;
  const print = async (r: PollReport) => {
    if (opts.json) await writeLine(JSON.stringify(r));
  };
  const onReport = (r: PollReport, now = true) => {
    if (r.status === 'failed' || r.failed > 0) failed++;
    if (now) void print(r);
  };
  try {
    out = await openSink(store, opts, queue);
    const watcher = new FeedWatcher(store, out.sink, { ...options, signal: controller.signal, log: (line) => process.stderr.write(`${line}\n`) });
    if (opts.once) {
      // The JSON reports in feed order, once all are in.
      const all = await watcher.pollAll(feeds, (r) => onReport(r, false));
      for (const r of all) await print(r);
    } else {
      process.stderr.write(
        `watch: ${feeds.length} feed${feeds.length === 1 ? '' : 's'} every ${watcher.opts.intervalSeconds} s into the ${out.where}; Ctrl-C stops\n`,
      );
      await watcher.run(feeds, (r) => onReport(r));
    }
  } catch (err) {
    process.stderr.write(`sitrep: watch stopped: ${(err as Error)?.message ?? String(err)} (store: ${store.where}); what was stored is whole and recorded, run it again to go on\n`);
    if (process.env['SITREP_DEBUG']) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    await out?.close().catch(() => {});
    await store.close().catch(() => {});
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await out.close();
  await store.close();
  if (stoppedBy) {
    process.stderr.write(`watch: stopped by ${stoppedBy}\n`);
    return opts.once ? (stoppedBy === 'SIGTERM' ? 143 : 130) : 0;
  }
  return failed ? 2 : 0;
}
