/**
 * Where ingest extracts events: in this thread, or in worker threads so that extraction (CPU in
 * JavaScript) and storing (CPU in PGlite, or PostgreSQL's process) overlap. Either way the runner
 * stores the articles in input order (pipeline.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError, type Article, type SitrepEvent } from '../core/types.js';
import { extractFromArticle, type PipelineOptions } from '../pipeline/extract.js';
import type { BackendKind } from '../store/index.js';
import type { ExtractReply, ExtractRequest } from './extract-worker.js';

export interface Extractor {
  /** The article's events; rejects with InputError for an article the pipeline refuses. */
  extract(article: Article, pipeline?: PipelineOptions): Promise<SitrepEvent[]>;
  /** How many articles it can usefully hold at once (the runner keeps that many extracting, beyond a batch being stored). */
  readonly capacity: number;
  /** Worker threads (0: extraction on the calling thread). */
  readonly threads?: number;
  /** Milliseconds spent extracting so far, summed over the threads that extract (for the summary's timing). */
  readonly busyMs?: number;
  /** Resolves once every thread has loaded the pipeline (and warmed up, when asked to). */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

/** Extraction on the calling thread. */
export function inProcessExtractor(): Extractor {
  let busyMs = 0;
  return {
    capacity: 1,
    threads: 0,
    get busyMs() {
      return busyMs;
    },
    async extract(article, pipeline) {
      const t0 = performance.now();
      try {
        return extractFromArticle(article, pipeline).events;
      } finally {
        busyMs += performance.now() - t0;
      }
    },
    ready: async () => {},
    close: async () => {},
  };
}

/**
 * The worker threads `sitrep ingest` uses by default, for a store of this kind on this machine: one
 * per spare core (the main thread stores: with PGlite it runs the SQL itself, with PostgreSQL it
 * shares the remaining core with the server's process), at most 4; on one core, none with PGlite
 * (a worker would only add messaging) and one with PostgreSQL (extraction goes on while the main
 * thread waits for the server).
 *
 * Measured on the 2-core machine with the MUC-4 dev texts (bench/ingest.ts, src/jobs/README.md): a
 * second worker made ingest no faster on either back end (PostgreSQL 145 vs 152 articles/s, PGlite
 * 112 vs 123, quiet machine) and cost 140–170 MB more RSS; its two vCPUs give about 1.1–1.3 times
 * one when both compute (extraction alone: 292–345 articles/s with 2 workers, 302–358 with 1).
 */
export function defaultWorkerCount(kind: BackendKind = 'pglite', cores = availableParallelism()): number {
  if (cores <= 1) return kind === 'postgres' ? 1 : 0;
  return Math.min(4, cores - 1);
}

/** What `workerExtractor` may be told besides the thread count. */
export interface WorkerExtractorOptions {
  /**
   * Extract a short built-in text with these options as soon as each thread starts (so that the
   * gazetteer and the lexicons load while, say, the store opens) instead of on the first article.
   */
  warmUp?: PipelineOptions;
}

/** A few lines that touch the annotators (and the gazetteer, with geoparsing on): warm-up only. */
const WARM_UP_TEXT = 'BAMAKO, 3 March 2023 - Gunmen killed 5 villagers near Mopti on Monday, local officials said. Soldiers clashed with militants in Gao.';

/**
 * `count` worker threads, each loading the pipeline (gazetteer included) once. Articles go to the
 * least busy worker. A worker that dies fails its articles with an internal error, and the
 * articles after them go to the others or, when none is left, to this thread.
 */
export function workerExtractor(count: number, opts: WorkerExtractorOptions = {}): Extractor {
  const url = new URL('./extract-worker.js', import.meta.url);
  interface Slot {
    worker: Worker;
    pending: Map<number, { resolve: (e: SitrepEvent[]) => void; reject: (err: Error) => void }>;
    dead: boolean;
  }
  let seq = 0;
  let busyMs = 0;
  const fallback = inProcessExtractor();
  const slots: Slot[] = [];
  /** Sequence numbers of the warm-up requests: their time is not extraction of an input. */
  const warmUps = new Set<number>();
  const send = (slot: Slot, article: Article, pipeline?: PipelineOptions, warmUp = false): Promise<SitrepEvent[]> => {
    const id = ++seq;
    if (warmUp) warmUps.add(id);
    return new Promise<SitrepEvent[]>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ seq: id, article, ...(pipeline ? { pipeline } : {}) } satisfies ExtractRequest);
    });
  };
  const warmed: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) {
    const slot: Slot = { worker: new Worker(url), pending: new Map(), dead: false };
    slot.worker.on('message', (reply: ExtractReply) => {
      if (!warmUps.delete(reply.seq)) busyMs += reply.ms;
      const p = slot.pending.get(reply.seq);
      if (!p) return;
      slot.pending.delete(reply.seq);
      if ('events' in reply) p.resolve(reply.events);
      else p.reject(reply.error.input !== undefined && reply.error.reason !== undefined ? new InputError(reply.error.input, reply.error.reason) : new Error(reply.error.message));
    });
    const die = (err: Error) => {
      slot.dead = true;
      for (const p of slot.pending.values()) p.reject(new Error(`extraction worker failed: ${err.message}`));
      slot.pending.clear();
    };
    slot.worker.on('error', die);
    slot.worker.on('exit', (code) => {
      if (!slot.dead) die(new Error(`exited with code ${code}`));
    });
    slots.push(slot);
    const article: Article = { id: 'warm-up', title: null, url: null, published: '2023-03-05', text: WARM_UP_TEXT, removed: [] };
    warmed.push(send(slot, article, opts.warmUp ?? { geoparse: false }, true).catch(() => undefined));
  }
  return {
    capacity: Math.max(1, count) * 2 + 1,
    threads: count,
    get busyMs() {
      return busyMs + (fallback.busyMs ?? 0);
    },
    extract(article, pipeline) {
      const live = slots.filter((s) => !s.dead);
      if (live.length === 0) return fallback.extract(article, pipeline);
      const slot = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      return send(slot, article, pipeline);
    },
    ready: async () => {
      await Promise.all(warmed);
    },
    async close() {
      await Promise.all(slots.map((s) => (s.dead ? Promise.resolve() : s.worker.terminate().then(() => undefined))));
    },
  };
}
