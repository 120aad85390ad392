/**
 * The feed watcher: polls RSS/Atom feeds, fetches each new item's page, hands the articles to a
 * sink (store or queue), and remembers in the store (state.ts) what it has handled.
 *
 * One poll of a feed:
 * 1. A feed in backoff (its last polls failed, `retry_at` is ahead) is skipped.
 * 2. GET with If-None-Match / If-Modified-Since from the last complete poll; 304 ends the poll.
 * 3. The body is decoded by its declared charset (decode.ts) and parsed (src/ingest/feed.ts).
 * 4. Each item has a key: its link, else a hash of its title and text. Items whose key the feed
 *    has handled are skipped (also after a restart); items whose page failed for now are tried
 *    again, up to `maxItemAttempts` polls.
 * 5. The new items, oldest first: the page is fetched (`pageConcurrency` at a time, each with the
 *    timeout, size limit and User-Agent), decoded, read by the HTML reader with the feed's title and
 *    date; an item without a link is read from the feed's own text. The articles go to the sink.
 * 6. What became of each item is recorded (done, failed, retry), the feed's items are bounded to
 *    `maxSeen` (plus whatever the feed lists now), and the validators are saved, only when every
 *    new item got an outcome: a poll stopped half-way, or leaving items to retry, makes the next
 *    poll fetch the feed whole.
 *
 * An item is marked done after the sink made it durable, so a crash in between hands it over again
 * on restart, where the store finds it unchanged (ingest is idempotent by URL and content hash):
 * at least once to the sink, exactly once in the store.
 *
 * Errors: a failed poll (network, timeout, HTTP status, too large, not a feed) counts one failure
 * more; the next try waits `interval × 2^(failures−1)`, at most `backoffMax` (a Retry-After header
 * longer than that wait is honoured up to the cap). Every bad feed or page gets a line naming its
 * URL and what is wrong; the other feeds and items go on.
 */
import { createHash } from 'node:crypto';
import { InputError, type Article } from '../core/types.js';
import { readFeed, type FeedItem } from '../ingest/feed.js';
import { toArticle } from '../ingest/read.js';
import type { IngestInput } from '../jobs/inputs.js';
import type { Store } from '../store/index.js';
import { decodeBody } from './decode.js';
import { FetchError, fetchUrl, StoppedError, type FetchOptions } from './http.js';
import type { Sink, SinkOutcome } from './sink.js';
import { FeedStateStore, type FeedState, type ItemUpdate } from './state.js';

export interface FeedSpec {
  url: string;
  /** Seconds between polls of this feed (default: the watcher's). */
  interval?: number;
}

export interface WatchOptions {
  /** Seconds between polls of a feed (default 300). */
  intervalSeconds: number;
  /** The longest wait after failures, in seconds (default max(3600, interval)). */
  backoffMaxSeconds: number;
  /** Per request: headers and body (default 20). */
  timeoutSeconds: number;
  maxFeedBytes: number;
  maxPageBytes: number;
  userAgent: string;
  /** Pages fetched at once, per feed (default 4). */
  pageConcurrency: number;
  /** Feeds polled at once (default 4). */
  feedConcurrency: number;
  /** Items remembered per feed besides those it lists now (default 10,000). */
  maxSeen: number;
  /** Polls in which an item's page may fail for now (timeouts, 5xx) before it is given up (default 3). */
  maxItemAttempts: number;
  /** Fetch each item's page (default true); false: read the feed's own text of each item. */
  fetchPages: boolean;
  /** Stops the watcher after the item in hand. */
  signal?: AbortSignal;
  /** Error and progress lines (no trailing newline). */
  log: (line: string) => void;
  /** The clock (ms), for tests. */
  now: () => number;
}

export const DEFAULT_WATCH_OPTIONS: Omit<WatchOptions, 'log' | 'now' | 'signal'> = {
  intervalSeconds: 300,
  backoffMaxSeconds: 3600,
  timeoutSeconds: 20,
  maxFeedBytes: 16 * 1024 * 1024,
  maxPageBytes: 10 * 1024 * 1024,
  userAgent: 'sitrep/0.1.0 (feed watcher)',
  pageConcurrency: 4,
  feedConcurrency: 4,
  maxSeen: 10_000,
  maxItemAttempts: 3,
  fetchPages: true,
};

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** What one poll of one feed did. */
export interface PollReport {
  feed: string;
  status: 'changed' | 'not-modified' | 'failed' | 'skipped' | 'stopped';
  /** Items the feed lists. */
  items: number;
  /** Items not handled before (or to retry), taken this poll. */
  fresh: number;
  /** Articles the sink took: new, replaced, unchanged or queued. */
  stored: number;
  /** Of which already in the store. */
  unchanged: number;
  /** Items given up this poll (bad page, refused article, out of attempts). */
  failed: number;
  /** Items whose page failed for now, tried again at the next poll. */
  retry: number;
  error?: string;
  /** Consecutive failed polls. */
  failures?: number;
  /** When the feed is polled again after failures (ISO). */
  retryAt?: string;
}

/** Whether an error is the watcher stopping (not worth a line). */
const isStop = (err: unknown): boolean => err instanceof StoppedError;

function wait(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The key an item is remembered by: its link, else a hash of its title and text. */
export function itemKey(item: FeedItem): string {
  if (item.url) return item.url;
  // Neither link nor text: its title (the label without its position) is all there is.
  if (!item.input) return `sha256:${createHash('sha256').update(item.label.replace(/^item \d+/, '')).digest('hex').slice(0, 32)}`;
  const body = item.input.html ?? item.input.text ?? '';
  return `sha256:${createHash('sha256')
    .update(`${item.input.title ?? ''}\n${body}`)
    .digest('hex')
    .slice(0, 32)}`;
}

/** The wait after `failures` consecutive failed polls: base × 2^(failures−1), at most the cap; a longer Retry-After up to the cap. */
export function backoffMs(failures: number, baseMs: number, capMs: number, retryAfterMs: number | null = null): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return retryAfterMs !== null ? Math.min(capMs, Math.max(exp, retryAfterMs)) : exp;
}

/** One new item on its way to the sink. */
interface Work {
  item: FeedItem;
  key: string;
  /** The input label the sink reports it by. */
  label: string;
  /** Attempts before this one. */
  attempts: number;
}

export class FeedWatcher {
  readonly opts: WatchOptions;
  readonly state: FeedStateStore;

  constructor(
    store: Store,
    private readonly sink: Sink,
    opts: Partial<WatchOptions> = {},
  ) {
    const merged = { ...DEFAULT_WATCH_OPTIONS, log: () => {}, now: () => Date.now(), ...opts };
    if (opts.backoffMaxSeconds === undefined) merged.backoffMaxSeconds = Math.max(DEFAULT_WATCH_OPTIONS.backoffMaxSeconds, merged.intervalSeconds);
    this.opts = merged;
    this.state = new FeedStateStore(store);
  }

  /** Fired when a poll threw: the other polls stop as for the signal. */
  private readonly halt = new AbortController();

  private get stopped(): boolean {
    return this.halt.signal.aborted || this.opts.signal?.aborted === true;
  }

  private fetchOptions(kind: 'feed' | 'page'): FetchOptions {
    return {
      timeoutMs: Math.max(1, Math.round(this.opts.timeoutSeconds * 1000)),
      maxBytes: kind === 'feed' ? this.opts.maxFeedBytes : this.opts.maxPageBytes,
      userAgent: this.opts.userAgent,
      accept: kind === 'feed' ? FEED_ACCEPT : PAGE_ACCEPT,
      ...(this.opts.signal ? { signal: this.opts.signal } : {}),
    };
  }

  private intervalMs(spec: FeedSpec): number {
    return Math.max(1, (spec.interval ?? this.opts.intervalSeconds) * 1000);
  }

  /** Polls one feed (unless it is in backoff): see the file's comment. Throws only when the sink or the store fails. */
  async poll(spec: FeedSpec): Promise<PollReport> {
    const url = spec.url;
    const report: PollReport = { feed: url, status: 'changed', items: 0, fresh: 0, stored: 0, unchanged: 0, failed: 0, retry: 0 };
    const state = await this.state.open(url);
    const started = this.opts.now();
    if (state.retryAt !== null && state.retryAt > started) {
      this.opts.log(
        `watch: ${url}: skipped, backing off after ${state.failures} failed poll${state.failures === 1 ? '' : 's'} (last: ${state.lastError ?? 'unknown'}); next try in ${wait(state.retryAt - started)}`,
      );
      return { ...report, status: 'skipped', failures: state.failures, retryAt: new Date(state.retryAt).toISOString() };
    }
    if (this.stopped) return { ...report, status: 'stopped' };

    let res: Awaited<ReturnType<typeof fetchUrl>>;
    try {
      res = await fetchUrl(url, { ...this.fetchOptions('feed'), etag: state.etag, lastModified: state.lastModified });
    } catch (err) {
      if (isStop(err)) return { ...report, status: 'stopped' };
      return this.failed(spec, state, report, err);
    }
    if (res.status === 'not-modified') {
      await this.state.notModified(url, this.opts.now());
      this.opts.log(`watch: ${url}: not modified`);
      return { ...report, status: 'not-modified' };
    }

    let items: FeedItem[];
    let title: string | null;
    try {
      const feed = readFeed(decodeBody(res.body, res.contentType, url, 'xml').text, url);
      items = feed.items;
      title = feed.title;
    } catch (err) {
      return this.failed(spec, state, report, err);
    }
    report.items = items.length;

    // Each key once (a feed may list an item twice), the oldest item first (feeds list the newest first).
    const byKey = new Map<string, FeedItem>();
    for (const item of items) if (!byKey.has(itemKey(item))) byKey.set(itemKey(item), item);
    const keys = [...byKey.keys()];
    const known = await this.state.items(url, keys);
    const work: Work[] = [];
    for (const [key, item] of byKey) {
      const rec = known.get(key);
      if (rec && (rec.status !== 'retry' || rec.attempts >= this.opts.maxItemAttempts)) continue;
      work.push({ item, key, label: item.url ?? item.label, attempts: rec?.attempts ?? 0 });
    }
    work.reverse();
    report.fresh = work.length;

    const updates = new Map<string, ItemUpdate>();
    const byLabel = new Map(work.map((w) => [w.label, w] as const));
    const onOutcome = (label: string, o: SinkOutcome) => {
      const w = byLabel.get(label);
      if (!w) return;
      if (o.ok) {
        report.stored++;
        if (o.status === 'unchanged') report.unchanged++;
        updates.set(w.key, { key: w.key, status: 'done', articleId: o.articleId ?? null });
      } else {
        report.failed++;
        const reason = o.reason ?? `${w.label}: refused`;
        this.opts.log(`sitrep: ${reason}`);
        updates.set(w.key, { key: w.key, status: 'failed', error: reason });
      }
    };
    const itemFailed = (w: Work, err: unknown) => {
      const transient = err instanceof FetchError && err.transient;
      const attempt = w.attempts + 1;
      const again = transient && attempt < this.opts.maxItemAttempts;
      const message = err instanceof Error ? err.message : String(err);
      const where = err instanceof FetchError ? ` (${w.item.label})` : '';
      const then = again ? `; tried again at the next poll (attempt ${attempt} of ${this.opts.maxItemAttempts})` : transient ? `; given up after ${attempt} attempts` : '';
      this.opts.log(`sitrep: ${message}${where}${then}`);
      if (again) report.retry++;
      else report.failed++;
      updates.set(w.key, { key: w.key, status: again ? 'retry' : 'failed', error: message });
    };

    try {
      // Nothing new: the sink is not even opened (a queue sink connects to Redis).
      if (work.length) await this.sink(this.inputs(work, itemFailed), { ...(this.opts.signal ? { signal: this.opts.signal } : {}), onOutcome });
    } finally {
      // What the sink made durable is recorded even when it failed half-way.
      await this.state.recordItems(url, [...updates.values()], { keep: this.opts.maxSeen, protect: keys });
    }
    const complete = work.every((w) => updates.get(w.key)?.status === 'done' || updates.get(w.key)?.status === 'failed');
    await this.state.pollSucceeded(url, { etag: complete ? res.etag : null, lastModified: complete ? res.lastModified : null, title, at: this.opts.now() });
    if (this.stopped && work.some((w) => !updates.has(w.key))) report.status = 'stopped';
    this.opts.log(
      `watch: ${url}: ${report.items} item${report.items === 1 ? '' : 's'}, ${report.fresh} new: ${report.stored} stored` +
        `${report.unchanged ? ` (${report.unchanged} already in the store)` : ''}, ${report.failed} failed${report.retry ? `, ${report.retry} to retry` : ''}` +
        `${report.status === 'stopped' ? '; stopped' : ''}`,
    );
    return report;
  }

  /** The articles of the new items, in order: pages fetched `pageConcurrency` ahead; failures reported and left out. */
  private async *inputs(work: Work[], itemFailed: (w: Work, err: unknown) => void): AsyncGenerator<IngestInput> {
    const ahead: Array<Promise<IngestInput | null>> = [];
    let next = 0;
    const start = () => {
      const w = work[next++]!;
      ahead.push(
        this.prepare(w).catch((err: unknown) => {
          if (!isStop(err)) itemFailed(w, err);
          return null;
        }),
      );
    };
    while (next < work.length && ahead.length < Math.max(1, this.opts.pageConcurrency)) start();
    while (ahead.length) {
      const input = await ahead.shift()!;
      if (this.stopped) return;
      if (next < work.length) start();
      if (input) yield input;
    }
  }

  /** One item's article: its page (or the feed's text when it has no link, or pages are not fetched). */
  private async prepare(w: Work): Promise<IngestInput> {
    const { item } = w;
    const fromFeed = item.input;
    if (!item.url || !this.opts.fetchPages) {
      if (!fromFeed) throw item.error ?? new InputError(item.label, 'has no text and no link');
      return { label: w.label, article: toArticle(fromFeed, item.label), idGiven: false };
    }
    const res = await fetchUrl(item.url, this.fetchOptions('page'));
    if (res.status !== 'ok') throw new FetchError(item.url, 'answered 304 Not Modified to a request without validators', false);
    const name = `${item.url} (${item.label})`;
    const html = decodeBody(res.body, res.contentType, name, 'html').text;
    const input = { html, url: item.url, source: item.label, ...(item.title ? { title: item.title } : {}), ...(item.published ? { published: item.published } : {}) };
    const article: Article = toArticle(input, name);
    return { label: w.label, article, idGiven: false };
  }

  private async failed(spec: FeedSpec, state: FeedState, report: PollReport, err: unknown): Promise<PollReport> {
    const at = this.opts.now();
    const failures = state.failures + 1;
    const retryAfter = err instanceof FetchError ? err.retryAfterMs : null;
    const delay = backoffMs(failures, this.intervalMs(spec), Math.max(1, this.opts.backoffMaxSeconds * 1000), retryAfter);
    const message = err instanceof Error ? err.message : String(err);
    const reason = message.startsWith(`${spec.url}: `) ? message.slice(spec.url.length + 2) : message;
    await this.state.pollFailed(spec.url, { error: reason, failures, retryAt: at + delay, at });
    this.opts.log(`sitrep: feed ${spec.url}: ${reason} (failure ${failures} in a row; next try in ${wait(delay)})`);
    return { ...report, status: 'failed', error: reason, failures, retryAt: new Date(at + delay).toISOString() };
  }

  /**
   * One poll of each feed (feeds in backoff are skipped), `feedConcurrency` at a time; the reports
   * in feed order. `onReport` sees each as it ends.
   */
  async pollAll(feeds: readonly FeedSpec[], onReport: (r: PollReport) => void = () => {}): Promise<PollReport[]> {
    const out: Array<PollReport | undefined> = new Array(feeds.length);
    await this.lanes(
      feeds.map((f, i) => [f, i] as const),
      this.opts.feedConcurrency,
      async ([f, i]) => {
        if (this.stopped) return;
        const r = await this.poll(f);
        out[i] = r;
        onReport(r);
      },
    );
    return out.filter((r): r is PollReport => r !== undefined);
  }

  /**
   * Polls the feeds until the signal stops it: each feed every `interval` seconds after its last
   * poll, or when its backoff ends; `feedConcurrency` polls at a time, so that a slow feed holds up
   * no other. `onReport` sees each poll's report. When a poll throws (the store or the sink failed)
   * no poll starts any more, and the error is thrown once the polls under way have ended.
   */
  async run(feeds: readonly FeedSpec[], onReport: (r: PollReport) => void = () => {}): Promise<void> {
    const slot = slots(this.opts.feedConcurrency);
    const wake = this.opts.signal ? AbortSignal.any([this.halt.signal, this.opts.signal]) : this.halt.signal;
    await this.lanes(feeds, feeds.length, async (f) => {
      while (!this.stopped) {
        const r = await slot(() => (this.stopped ? Promise.resolve(null) : this.poll(f)));
        if (!r) break;
        onReport(r);
        const retryAt = r.retryAt ? Date.parse(r.retryAt) : null;
        const next = (r.status === 'failed' || r.status === 'skipped') && retryAt !== null ? retryAt : this.opts.now() + this.intervalMs(f);
        await sleep(Math.max(0, next - this.opts.now()), wake);
      }
    });
  }

  /** Runs fn over the items, at most `limit` at a time; after a throw none starts, and the first error is thrown when the others have ended. */
  private async lanes<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    let failure: { err: unknown } | null = null;
    const lane = async () => {
      while (next < items.length && !failure) {
        const item = items[next++]!;
        try {
          await fn(item);
        } catch (err) {
          failure ??= { err };
          this.halt.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
    if (failure) throw (failure as { err: unknown }).err;
  }
}

/** At most n calls at a time; a freed slot goes to the longest waiting call. */
function slots(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (active >= Math.max(1, n)) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const handOver = waiting.shift();
      if (handOver) handOver();
      else active--;
    }
  };
}

/** Waits, or less when the signal fires. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
