/**
 * The in-process ingest runner: each article is extracted with the pipeline and stored with its
 * events and canonical events, several articles per transaction (group commit), so that an
 * interrupted run (kill -9 included) leaves every article it stored whole and none half-written; a
 * re-run finds those unchanged.
 *
 * Per article:
 * 1. its id: the one the input gave, else derived from its URL (`url-…`, stable while the text
 *    changes) or, without a URL, from its text (the reader's `a-…`);
 * 2. a preview (`store.previewPuts`, one read for many articles): an article whose normalised text is
 *    stored already (by id, URL or content hash) is `unchanged` and not extracted at all; a changed
 *    one is extracted under the id it is stored under, so that its event ids are that article's;
 * 3. extraction (extractor.ts: worker threads), then, in input order, `putArticle` and the merge step
 *    (merge-step.ts) as one unit (`store.unit`: whole or absent) inside the batch's transaction.
 *
 * Steps 1–2 and extraction run ahead of step 3: the runner keeps a window of `batchSize` +
 * `extractor.capacity` articles read, previewed and extracting, and stores, in one transaction, the
 * leading articles whose extraction is done: at most `batchSize` of them, taken for at most
 * `batchMs`. When storing is the slower part, batches grow (and extraction waits, the window being
 * full); when extraction is, they shrink to what is ready, so that no transaction waits for a worker.
 * Outcomes are reported once their transaction has committed: what `onProgress` counted is stored.
 *
 * An article whose preview an article stored meanwhile could have changed (the same id, URL or text,
 * stored earlier in the run, in its batch too) ends the batch before it, and is previewed and
 * extracted again before it is stored, so the outcome is the one of a strictly sequential run.
 *
 * Bad input (unreadable, refused by the pipeline or the store) is reported through `onError` and the
 * run goes on (a refused article's unit is rolled back, the rest of its batch is kept); a failing
 * database stops it, with every committed batch whole.
 */
import type { Article, SitrepEvent } from '../core/types.js';
import { InputError } from '../core/types.js';
import type { PipelineOptions } from '../pipeline/extract.js';
import { isConnectionError } from '../store/driver.js';
import { deriveArticleId, StoreInputError } from '../store/index.js';
import type { PutPreview, PutStatus, Store } from '../store/index.js';
import { inProcessExtractor, type Extractor } from './extractor.js';
import type { IngestInput } from './inputs.js';
import { mergeLocksFor } from './merge-locks.js';
import { DEFAULT_MERGE_STEP, singletonCanonicals, type MergeStep } from './merge-step.js';

export interface IngestCounts {
  /** Inputs seen: articles read plus inputs that could not be read. */
  done: number;
  new: number;
  replaced: number;
  unchanged: number;
  failed: number;
  /** Articles that went through extraction (unchanged ones do not). */
  extracted: number;
  /** Article events written. */
  events: number;
  /** Canonical events created or rewritten by the merge step. */
  canonical: number;
}

/** Where the run's time went, in seconds of the main thread (extraction: summed over its threads). */
export interface IngestTiming {
  /** Reading and cleaning inputs. */
  readSeconds: number;
  /** The previews (one read per refill of the window). */
  previewSeconds: number;
  /** Handing articles to the extractor (with extraction on the main thread: the extraction itself). */
  dispatchSeconds: number;
  /** Waiting for the next article's extraction, with nothing ready to store. */
  waitSeconds: number;
  /** Inside the batches' transactions (SQL, validation, the merge step, commit). */
  storeSeconds: number;
  /** Of which in the merge step. */
  mergeSeconds: number;
  /** Extraction time reported by the extractor, summed over its threads. */
  extractSeconds: number;
  /** Transactions committed. */
  batches: number;
}

export interface IngestSummary extends IngestCounts {
  seconds: number;
  /** True when `signal` stopped the run before its inputs ran out. */
  interrupted: boolean;
  timing: IngestTiming;
}

/** What happened to one input. */
export interface IngestOutcome {
  label: string;
  status: PutStatus | 'failed';
  articleId?: string;
  events?: number;
  reason?: string;
  /**
   * Set on a failure that is not the input's fault (an internal error, e.g. an extraction thread
   * that died): trying the same input again may succeed. Refused inputs (InputError,
   * StoreInputError) never carry it.
   */
  retryable?: boolean;
}

export interface IngestOptions {
  /** After each input, in input order, once what it stored is committed. */
  onProgress?: (counts: Readonly<IngestCounts>, outcome: IngestOutcome) => void;
  /** For each input that failed: `message` names the input and the reason ("a.txt: file is empty"). */
  onError?: (message: string, outcome: IngestOutcome) => void;
  /** Default: one canonical event per article event (merge-step.ts). */
  merge?: MergeStep;
  /** Default: extraction on this thread, one article at a time. */
  extractor?: Extractor;
  /** Stops the run before the next batch is stored (the batch in hand is finished). */
  signal?: AbortSignal;
  pipeline?: PipelineOptions;
  /** At most this many articles per transaction (default 64). 1: one transaction per article. */
  batchSize?: number;
  /** A transaction takes no further article after this many milliseconds (default 250). */
  batchMs?: number;
  /**
   * Inputs arrive over time (a queue worker's jobs): store what is ready instead of waiting for
   * the read-ahead window to fill; wait for the next input only when nothing is in hand.
   */
  live?: boolean;
  /**
   * Take the merge locks of each batch's events (merge-locks.ts; PostgreSQL), so that concurrent
   * writers merge reports of one incident one after the other. Default: on, unless `merge` is
   * `singletonCanonicals` (which reads no other canonical event).
   */
  mergeLocks?: boolean;
}

export const DEFAULT_BATCH_SIZE = 64;
export const DEFAULT_BATCH_MS = 250;
/** How many batches a run stores again after their transaction lost its connection, before it stops. */
export const MAX_CONNECTION_RETRIES = 10;

/** The id an article is stored under when the input gave none: from its URL, else the reader's text-derived id. */
export function articleIdFor(input: IngestInput & { article: Article }): string {
  if (input.idGiven) return input.article.id;
  const url = input.article.url?.trim();
  return url ? deriveArticleId({ url, text: input.article.text }) : input.article.id;
}

/** "a.txt: file is empty" from an InputError; other errors named after the input. */
function describeError(err: unknown, label: string): string {
  if (err instanceof InputError) return err.message;
  return `${label}: internal error: ${(err as Error)?.message ?? String(err)}`;
}

/** An error that is not the input's fault. */
const isInternal = (err: unknown): boolean => !(err instanceof InputError) && !(err instanceof StoreInputError);

/** Thrown inside an article's unit to undo a put that landed under another id than the events were extracted under. */
class StoredElsewhere extends Error {}

/** An input on its way: read, previewed and (unless unchanged) being extracted. */
interface Job {
  label: string;
  /** Set when the input could not be read, or the preview refused it. */
  error?: string;
  article?: Article;
  /** What the store would do, as seen when the job was prepared. */
  preview?: PutPreview;
  /** The article under the id it is to be stored under. */
  toStore?: Article;
  events?: Promise<SitrepEvent[]>;
  /** The events, once extraction has succeeded. */
  extracted?: SitrepEvent[];
  /** False while its extraction runs. */
  ready: boolean;
  /** How many articles had been stored when the preview was taken. */
  storedBefore: number;
  /** The id, URL and content hash: what a stored article can share with it. */
  keys: string[];
  /** To be previewed and extracted again before it is stored (see StoredElsewhere). */
  again?: boolean;
  /** Stored once under another id than previewed: accept the stored id this time. */
  retried?: boolean;
}

/** One article's result inside a batch, applied to the counts once the batch has committed. */
interface Stored {
  outcome: IngestOutcome;
  extracted: boolean;
  canonical: number;
}

const keysOf = (a: Article, preview: PutPreview): string[] => [`id:${a.id}`, `id:${preview.id}`, `hash:${preview.contentHash}`, ...(a.url?.trim() ? [`url:${a.url.trim()}`] : [])];

export async function ingestArticles(store: Store, inputs: Iterable<IngestInput> | AsyncIterable<IngestInput>, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const merge = opts.merge ?? DEFAULT_MERGE_STEP;
  const extractor = opts.extractor ?? inProcessExtractor();
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const batchMs = opts.batchMs ?? DEFAULT_BATCH_MS;
  const mergeLocks = opts.mergeLocks ?? merge !== singletonCanonicals;
  /** Jobs read ahead: a batch to store, and the extractor's fill beyond it. */
  const lookahead = batchSize + Math.max(1, extractor.capacity);
  const counts: IngestCounts = { done: 0, new: 0, replaced: 0, unchanged: 0, failed: 0, extracted: 0, events: 0, canonical: 0 };
  const timing: IngestTiming = { readSeconds: 0, previewSeconds: 0, dispatchSeconds: 0, waitSeconds: 0, storeSeconds: 0, mergeSeconds: 0, extractSeconds: 0, batches: 0 };
  const busyAtStart = extractor.busyMs ?? 0;
  /**
   * Keys of the articles this run stored lately: `recent[i]` is the (storedCount − recent.length + i)-th.
   * A job is stored at most about `lookahead` stores after its preview; twice that many are kept.
   */
  let storedCount = 0;
  const recent: string[][] = [];
  let interrupted = false;

  const report = (outcome: IngestOutcome) => {
    counts.done++;
    if (outcome.status === 'failed') {
      counts.failed++;
      opts.onError?.(outcome.reason ?? `${outcome.label}: failed`, outcome);
    } else counts[outcome.status]++;
    opts.onProgress?.(counts, outcome);
  };

  const since = (t0: number) => (performance.now() - t0) / 1000;

  /** Starts a job's extraction (unless its article is unchanged). */
  function dispatch(job: Job): void {
    if (!job.preview || job.preview.status === 'unchanged') return;
    job.toStore = { ...job.article!, id: job.preview.id };
    job.ready = false;
    const t0 = performance.now();
    job.events = extractor.extract(job.toStore, opts.pipeline);
    timing.dispatchSeconds += since(t0);
    job.events.then(
      (events) => {
        job.extracted = events;
        job.ready = true;
      },
      () => (job.ready = true), // handled when stored; not an unhandled rejection meanwhile
    );
  }

  /** Steps 1–2 for several inputs (one read), and their extraction started. */
  async function prepare(list: IngestInput[], flags: { retried?: boolean } = {}): Promise<Job[]> {
    const storedBefore = storedCount;
    const jobs: Job[] = list.map((input) => {
      if (input.error || !input.article) {
        return { label: input.label, error: describeError(input.error ?? new InputError(input.label, 'unreadable'), input.label), ready: true, storedBefore, keys: [] };
      }
      const article: Article = { ...input.article, id: articleIdFor({ ...input, article: input.article }) };
      return { label: input.label, article, ready: true, storedBefore, keys: [], ...(flags.retried ? { retried: true } : {}) };
    });
    const readable = jobs.filter((j) => j.article);
    const t0 = performance.now();
    const previews = await store.previewPuts(readable.map((j) => j.article!));
    timing.previewSeconds += since(t0);
    readable.forEach((job, i) => {
      const p = previews[i]!;
      if (p instanceof StoreInputError) {
        job.error = `${job.label}: ${p.message}`;
        return;
      }
      job.preview = p;
      job.keys = keysOf(job.article!, p);
      dispatch(job);
    });
    return jobs;
  }

  /** True when an article stored since the job's preview shares its id, URL or text. */
  const outdated = (job: Job): boolean => {
    if (job.storedBefore === storedCount || !job.keys.length) return false;
    const first = storedCount - recent.length;
    if (job.storedBefore < first) return true; // cannot tell: play safe
    const mine = new Set(job.keys);
    for (let i = job.storedBefore - first; i < recent.length; i++) if (recent[i]!.some((k) => mine.has(k))) return true;
    return false;
  };

  /** Step 3 for one job, inside the batch's transaction; 'again' when it is to be prepared again first. */
  async function storeOne(tx: Store, job: Job): Promise<Stored | 'again'> {
    if (job.error !== undefined) return { outcome: { label: job.label, status: 'failed', reason: job.error }, extracted: false, canonical: 0 };
    const preview = job.preview!;
    if (preview.status === 'unchanged') return { outcome: { label: job.label, status: 'unchanged', articleId: preview.id, events: 0 }, extracted: false, canonical: 0 };
    const toStore = job.toStore!;
    let events: SitrepEvent[];
    try {
      events = await job.events!;
    } catch (err) {
      return { outcome: { label: job.label, status: 'failed', articleId: toStore.id, reason: describeError(err, job.label), ...(isInternal(err) ? { retryable: true } : {}) }, extracted: false, canonical: 0 };
    }
    let result: { put: Awaited<ReturnType<Store['putArticle']>>; canonical: number };
    try {
      result = await tx.unit(async (u) => {
        const put = await u.putArticle(toStore, events);
        // Another writer stored the article under another id since the preview: its events would
        // carry the wrong id. Undo, and extract again under the stored id.
        if (put.status !== 'unchanged' && put.id !== toStore.id && !job.retried) throw new StoredElsewhere();
        if (put.status === 'unchanged') return { put, canonical: 0 };
        const t0 = performance.now();
        try {
          return { put, canonical: await merge(u, { article: toStore, put, events }) };
        } finally {
          timing.mergeSeconds += since(t0);
        }
      });
    } catch (err) {
      if (err instanceof StoredElsewhere) return 'again';
      if (err instanceof StoreInputError) return { outcome: { label: job.label, status: 'failed', articleId: toStore.id, reason: `${job.label}: ${err.message}` }, extracted: true, canonical: 0 };
      throw err;
    }
    const { put } = result;
    if (put.status !== 'unchanged') {
      recent.push([...job.keys, `id:${put.id}`]);
      storedCount++;
      if (recent.length > 2 * lookahead) recent.shift();
    }
    return { outcome: { label: job.label, status: put.status, articleId: put.id, events: put.events }, extracted: true, canonical: result.canonical };
  }

  /** Prepared jobs waiting to be stored, in input order; their extraction is under way. */
  const window: Job[] = [];
  const source = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : inputs[Symbol.iterator]();
  let exhausted = false;
  /** Live mode: a `source.next()` not answered yet, kept for the next refill. */
  let pending: Promise<IteratorResult<IngestInput>> | null = null;
  const NOT_YET = Symbol('not yet');

  /** Reads and prepares inputs until the window is full again (live: until no input is at hand). */
  async function refill(): Promise<void> {
    const fresh: IngestInput[] = [];
    const t0 = performance.now();
    while (!exhausted && window.length + fresh.length < lookahead) {
      let next: IteratorResult<IngestInput>;
      if (opts.live) {
        pending ??= Promise.resolve(source.next());
        const busy = window.length + fresh.length > 0;
        // With work in hand, take only inputs that are there already (settled before a macrotask).
        const got = busy ? await Promise.race([pending, new Promise<typeof NOT_YET>((r) => setImmediate(() => r(NOT_YET)))]) : await pending;
        if (got === NOT_YET) break;
        pending = null;
        next = got;
      } else next = await source.next();
      if (next.done) exhausted = true;
      else fresh.push(next.value);
    }
    timing.readSeconds += since(t0);
    if (fresh.length) window.push(...(await prepare(fresh)));
  }

  /**
   * Stores the leading ready jobs of the window in one transaction (the first one is ready), then
   * reports them. Stops before a job whose preview is outdated, or that must be prepared again.
   */
  /** Batches whose transaction lost its connection, run again (at most MAX_CONNECTION_RETRIES in a run). */
  let connectionRetries = 0;
  async function storeBatch(): Promise<void> {
    const lead: Job[] = [];
    for (const job of window) {
      if (lead.length >= batchSize || !job.ready || (lead.length > 0 && job.again)) break;
      lead.push(job);
    }
    const results: Stored[] = [];
    /** An error that stops the run (not the input's fault): the articles before it are committed first. */
    let stop: { err: unknown } | null = null;
    const t0 = performance.now();
    const take = async (tx: Store) => {
      for (const job of lead) {
        if (results.length > 0 && (job.again || outdated(job) || performance.now() - t0 > batchMs)) break;
        let r: Stored | 'again';
        try {
          r = await storeOne(tx, job);
        } catch (err) {
          stop = { err }; // its unit is rolled back; the units before it are whole
          break;
        }
        if (r === 'again') {
          job.again = true;
          break;
        }
        results.push(r);
      }
    };
    // No transaction when nothing in the batch writes (all unreadable or unchanged).
    if (lead.some((j) => j.toStore)) {
      const writing = lead.filter((j) => j.toStore);
      const extra = mergeLocks ? mergeLocksFor(writing.flatMap((j) => j.extracted ?? [])) : [];
      try {
        await store.transaction(async (tx) => {
          await tx.lockForPut(writing.map((j) => j.toStore!), extra);
          await take(tx);
        });
      } catch (err) {
        // The connection died inside the batch's transaction (PostgreSQL restarting): whether it
        // committed is unknown, so its articles are previewed and extracted again, the next
        // transaction waiting for the database (the driver reconnects before BEGIN). A preview
        // finds an article the lost transaction did store unchanged: nothing is lost or doubled.
        if (!isConnectionError(err) || ++connectionRetries > MAX_CONNECTION_RETRIES) throw err;
        for (const job of lead) if (job.article && job.error === undefined) job.again = true;
        timing.storeSeconds += since(t0);
        return;
      }
      timing.batches++;
      // The planner's statistics of a growing store (Store.refreshStatistics: a counter check when none is due).
      await store.refreshStatistics();
    } else await take(store);
    timing.storeSeconds += since(t0);
    window.splice(0, results.length);
    for (const r of results) {
      if (r.extracted) counts.extracted++;
      counts.events += r.outcome.events ?? 0;
      counts.canonical += r.canonical;
      report(r.outcome);
    }
    if (stop) throw (stop as { err: unknown }).err;
  }

  try {
    for (;;) {
      if (opts.signal?.aborted) {
        interrupted = window.length > 0 || !exhausted;
        break;
      }
      await refill();
      if (window.length === 0) break;
      const head = window[0]!;
      if (head.error === undefined && head.article && (head.again || outdated(head))) {
        // Prepared again: previewed under what is stored now, and extracted again.
        const [job] = await prepare([{ label: head.label, article: head.article, idGiven: true }], { retried: head.again === true || head.retried === true });
        window[0] = job!;
      }
      const first = window[0]!;
      if (!first.ready) {
        const t0 = performance.now();
        await first.events!.catch(() => undefined);
        timing.waitSeconds += since(t0);
      }
      await storeBatch();
    }
  } finally {
    // Jobs not stored (interrupted, or the store failed): let their extraction end quietly.
    for (const job of window) job.events?.catch(() => {});
    if (!exhausted && !pending) await source.return?.();
    else if (!exhausted) void source.return?.();
  }
  timing.extractSeconds = ((extractor.busyMs ?? 0) - busyAtStart) / 1000;
  return { ...counts, seconds: (performance.now() - started) / 1000, interrupted, timing };
}
