/**
 * The in-process ingest runner: each article is extracted with the pipeline and stored with its
 * events and canonical events in one transaction, so that an interrupted run (kill -9 included)
 * leaves every article it finished whole and none half-written; a re-run finds those unchanged.
 *
 * Per article:
 * 1. its id: the one the input gave, else derived from its URL (`url-…`, stable while the text
 *    changes) or, without a URL, from its text (the reader's `a-…`);
 * 2. `store.previewPut` (one read): an article whose normalised text is stored already (by id, URL
 *    or content hash) is `unchanged` and not extracted at all; a changed one is extracted under the
 *    id it is stored under, so that its event ids are that article's;
 * 3. extraction, then in one transaction `putArticle` and the merge step (merge-step.ts: one
 *    canonical event per article event until the merger exists).
 *
 * Steps 1–2 run a few articles ahead of step 3 while an extractor (extractor.ts: worker threads)
 * extracts them, so that extraction and storing overlap; articles are still stored one at a time, in
 * input order. An article whose preview an article stored meanwhile could have changed (the same id,
 * URL or text) is previewed and extracted again before it is stored, so the outcome is the one of a
 * strictly sequential run.
 *
 * Bad input (unreadable, refused by the pipeline or the store) is reported through `onError` and the
 * run goes on; a failing database stops it.
 */
import type { Article, SitrepEvent } from '../core/types.js';
import { InputError } from '../core/types.js';
import type { PipelineOptions } from '../pipeline/extract.js';
import { deriveArticleId, StoreInputError } from '../store/index.js';
import type { PutPreview, PutStatus, Store } from '../store/index.js';
import { inProcessExtractor, type Extractor } from './extractor.js';
import type { IngestInput } from './inputs.js';
import { DEFAULT_MERGE_STEP, type MergeStep } from './merge-step.js';

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

export interface IngestSummary extends IngestCounts {
  seconds: number;
  /** True when `signal` stopped the run before its inputs ran out. */
  interrupted: boolean;
}

/** What happened to one input. */
export interface IngestOutcome {
  label: string;
  status: PutStatus | 'failed';
  articleId?: string;
  events?: number;
  reason?: string;
}

export interface IngestOptions {
  /** After each input, in input order. */
  onProgress?: (counts: Readonly<IngestCounts>, outcome: IngestOutcome) => void;
  /** For each input that failed: `message` names the input and the reason ("a.txt: file is empty"). */
  onError?: (message: string, outcome: IngestOutcome) => void;
  /** Default: one canonical event per article event (merge-step.ts). */
  merge?: MergeStep;
  /** Default: extraction on this thread, one article at a time. */
  extractor?: Extractor;
  /** Stops the run before the next article is stored (the one in hand is finished). */
  signal?: AbortSignal;
  pipeline?: PipelineOptions;
}

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

/** Thrown inside a transaction to undo a put that landed under another id than the events were extracted under. */
class StoredElsewhere extends Error {}

/** An input on its way: read, previewed and (unless unchanged) being extracted. */
interface Job {
  label: string;
  /** Set when the input could not be read. */
  error?: string;
  article?: Article;
  /** What the store would do, as seen when the job was prepared. */
  preview?: PutPreview;
  /** The article under the id it is to be stored under. */
  toStore?: Article;
  events?: Promise<SitrepEvent[]>;
  /** How many articles had been stored when the preview was taken. */
  storedBefore: number;
  /** The id, URL and content hash: what a stored article can share with it. */
  keys: string[];
}

const keysOf = (a: Article, preview: PutPreview): string[] => [`id:${a.id}`, `id:${preview.id}`, `hash:${preview.contentHash}`, ...(a.url?.trim() ? [`url:${a.url.trim()}`] : [])];

export async function ingestArticles(store: Store, inputs: Iterable<IngestInput> | AsyncIterable<IngestInput>, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const merge = opts.merge ?? DEFAULT_MERGE_STEP;
  const extractor = opts.extractor ?? inProcessExtractor();
  const counts: IngestCounts = { done: 0, new: 0, replaced: 0, unchanged: 0, failed: 0, extracted: 0, events: 0, canonical: 0 };
  /**
   * Keys of the articles this run stored lately: `recent[i]` is the (storedCount − recent.length + i)-th.
   * A job is stored at most `capacity` stores after its preview, so that many are kept.
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

  /** Steps 1–2, and extraction started: runs ahead of storing. */
  async function prepare(input: IngestInput): Promise<Job> {
    if (input.error || !input.article) {
      return { label: input.label, error: describeError(input.error ?? new InputError(input.label, 'unreadable'), input.label), storedBefore: storedCount, keys: [] };
    }
    const article: Article = { ...input.article, id: articleIdFor({ ...input, article: input.article }) };
    const storedBefore = storedCount;
    let preview: PutPreview;
    try {
      preview = await store.previewPut(article);
    } catch (err) {
      if (err instanceof StoreInputError) return { label: input.label, error: `${input.label}: ${err.message}`, storedBefore, keys: [] };
      throw err;
    }
    const job: Job = { label: input.label, article, preview, storedBefore, keys: keysOf(article, preview) };
    if (preview.status !== 'unchanged') {
      job.toStore = { ...article, id: preview.id };
      job.events = extractor.extract(job.toStore, opts.pipeline);
      job.events.catch(() => {}); // handled when stored; not an unhandled rejection meanwhile
    }
    return job;
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

  /** Step 3: store the job's article and events in one transaction, and report the outcome. */
  async function commit(pending: Job, retried = false): Promise<void> {
    let job = pending;
    if (job.error !== undefined) return report({ label: job.label, status: 'failed', reason: job.error });
    if (outdated(job) || retried) job = await prepare({ label: job.label, article: job.article!, idGiven: true });
    if (job.error !== undefined) return report({ label: job.label, status: 'failed', reason: job.error });
    if (job.preview!.status === 'unchanged') return report({ label: job.label, status: 'unchanged', articleId: job.preview!.id, events: 0 });
    const toStore = job.toStore!;
    let events: SitrepEvent[];
    try {
      events = await job.events!;
    } catch (err) {
      return report({ label: job.label, status: 'failed', articleId: toStore.id, reason: describeError(err, job.label) });
    }
    counts.extracted++;
    let result: { put: Awaited<ReturnType<Store['putArticle']>>; canonical: number };
    try {
      result = await store.transaction(async (tx) => {
        const put = await tx.putArticle(toStore, events);
        // Another writer stored the article under another id since the preview: its events would
        // carry the wrong id. Undo, and extract again under the stored id.
        if (put.status !== 'unchanged' && put.id !== toStore.id && !retried) throw new StoredElsewhere();
        const canonical = put.status === 'unchanged' ? 0 : await merge(tx, { article: toStore, put, events });
        return { put, canonical };
      });
    } catch (err) {
      if (err instanceof StoredElsewhere) return commit(job, true);
      if (err instanceof StoreInputError) return report({ label: job.label, status: 'failed', articleId: toStore.id, reason: `${job.label}: ${err.message}` });
      throw err;
    }
    const { put } = result;
    if (put.status !== 'unchanged') {
      recent.push([...job.keys, `id:${put.id}`]);
      storedCount++;
      if (recent.length > extractor.capacity + 1) recent.shift();
    }
    counts.events += put.events;
    counts.canonical += result.canonical;
    report({ label: job.label, status: put.status, articleId: put.id, events: put.events });
  }

  /** Prepared jobs waiting to be stored, oldest first; their extraction is under way. */
  const window: Job[] = [];
  try {
    for await (const input of inputs) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      // Previews are sequential (one read each); only extraction runs ahead.
      window.push(await prepare(input));
      while (window.length >= extractor.capacity) {
        await commit(window.shift()!);
        if (opts.signal?.aborted) break;
      }
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
    while (window.length && !interrupted) {
      await commit(window.shift()!);
      if (opts.signal?.aborted && window.length) interrupted = true;
    }
  } finally {
    // Jobs not stored (interrupted, or the store failed): let their extraction end quietly.
    for (const job of window) job.events?.catch(() => {});
  }
  return { ...counts, seconds: (performance.now() - started) / 1000, interrupted };
}

