/**
 * Where the watcher hands its articles: one function. In-process it is `ingestArticles`
 * (src/jobs/pipeline.ts: extract, store, merge; idempotent by id, URL and content hash); with a
 * queue it is whatever enqueues them (src/cli/watch.ts picks).
 */
import type { IngestInput } from '../jobs/inputs.js';
import type { IngestOptions } from '../jobs/pipeline.js';
import type { Store } from '../store/index.js';

/** What became of one article handed to the sink. */
export interface SinkOutcome {
  /** True when the article is stored (new, replaced or already there) or durably enqueued. */
  ok: boolean;
  status: 'new' | 'replaced' | 'unchanged' | 'queued' | 'failed';
  articleId?: string;
  /** Why it failed, naming the input. */
  reason?: string;
}

export interface SinkHooks {
  /** Stops taking articles (the ones in hand are finished). */
  signal?: AbortSignal;
  /** Once per article, by its input's label, when what happened to it is durable (committed, enqueued). */
  onOutcome(label: string, outcome: SinkOutcome): void;
}

/**
 * Takes articles until `inputs` ends or `hooks.signal` stops it, and reports each one through
 * `onOutcome`. An article with no outcome when it returns was not taken (the watcher hands it over
 * again later). Throws only when it cannot go on at all (the store or the queue failed).
 */
export type Sink = (inputs: AsyncIterable<IngestInput>, hooks: SinkHooks) => Promise<void>;

/** The in-process sink: `ingestArticles` into `store`, with these options (extractor, merge step, pipeline). */
export function storeSink(store: Store, opts: Pick<IngestOptions, 'extractor' | 'merge' | 'pipeline' | 'batchSize' | 'batchMs'> = {}): Sink {
  return async (inputs, hooks) => {
    const { ingestArticles } = await import('../jobs/pipeline.js');
    await ingestArticles(store, inputs, {
      ...opts,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onProgress: (_counts, outcome) => {
        if (outcome.status === 'failed') hooks.onOutcome(outcome.label, { ok: false, status: 'failed', reason: outcome.reason ?? `${outcome.label}: failed` });
        else hooks.onOutcome(outcome.label, { ok: true, status: outcome.status, ...(outcome.articleId ? { articleId: outcome.articleId } : {}) });
      },
    });
  };
}

/** The shape of `enqueueInputs` (src/queue/enqueue.ts): `done` counts the inputs it has made durable, in input order. */
export type EnqueueFn = (
  inputs: AsyncIterable<IngestInput>,
  opts: { signal?: AbortSignal; onProgress?: (counts: Readonly<{ done: number }>) => void; onError?: (message: string, input: IngestInput) => void },
) => Promise<unknown>;

/**
 * The queue sink: each article becomes a job (REDIS_URL; `sitrep worker`s extract and store it).
 * An article is `queued` once its chunk is in Redis: `enqueueInputs` reports, after each chunk, how
 * many inputs are done, in the order they were given. (It counts an unreadable input at once, ahead
 * of the chunk in hand; the watcher hands over readable articles only, so the order holds.)
 */
export function queueSink(enqueue: EnqueueFn): Sink {
  return async (inputs, hooks) => {
    const given: IngestInput[] = [];
    let reported = 0;
    const failed = new Map<IngestInput, string>();
    async function* tap(): AsyncGenerator<IngestInput> {
      for await (const input of inputs) {
        given.push(input);
        yield input;
      }
    }
    await enqueue(tap(), {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onError: (message, input) => failed.set(input, message),
      onProgress: (counts) => {
        while (reported < counts.done && reported < given.length) {
          const input = given[reported++]!;
          const reason = failed.get(input);
          if (reason !== undefined) hooks.onOutcome(input.label, { ok: false, status: 'failed', reason });
          else hooks.onOutcome(input.label, { ok: true, status: 'queued' });
        }
      },
    });
  };
}
