/**
 * Where ingest extracts events: in this thread, or in worker threads so that extraction (CPU in
 * JavaScript) and storing (CPU in PGlite, or PostgreSQL's process) overlap. Either way the runner
 * stores the articles one by one, in input order, one transaction each.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError, type Article, type SitrepEvent } from '../core/types.js';
import { extractFromArticle, type PipelineOptions } from '../pipeline/extract.js';
import type { ExtractReply, ExtractRequest } from './extract-worker.js';

export interface Extractor {
  /** The article's events; rejects with InputError for an article the pipeline refuses. */
  extract(article: Article, pipeline?: PipelineOptions): Promise<SitrepEvent[]>;
  /** How many articles it can usefully hold at once (the runner reads that far ahead). */
  readonly capacity: number;
  close(): Promise<void>;
}

/** Extraction on the calling thread. */
export function inProcessExtractor(): Extractor {
  return {
    capacity: 1,
    extract: async (article, pipeline) => extractFromArticle(article, pipeline).events,
    close: async () => {},
  };
}

/** Worker threads: one by default on a machine with more than one core (the main thread stores). */
export function defaultWorkerCount(): number {
  return availableParallelism() > 1 ? Math.min(4, availableParallelism() - 1) : 0;
}

/**
 * `count` worker threads, each loading the pipeline (gazetteer included) once. Articles go to the
 * least busy worker. A worker that dies fails its articles with an internal error, and the
 * articles after them go to the others or, when none is left, to this thread.
 */
export function workerExtractor(count: number): Extractor {
  const url = new URL('./extract-worker.js', import.meta.url);
  interface Slot {
    worker: Worker;
    pending: Map<number, { resolve: (e: SitrepEvent[]) => void; reject: (err: Error) => void }>;
    dead: boolean;
  }
  let seq = 0;
  const fallback = inProcessExtractor();
  const slots: Slot[] = [];
  for (let i = 0; i < count; i++) {
    const slot: Slot = { worker: new Worker(url), pending: new Map(), dead: false };
    slot.worker.on('message', (reply: ExtractReply) => {
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
  }
  return {
    capacity: Math.max(1, count) * 2 + 1,
    extract(article, pipeline) {
      const live = slots.filter((s) => !s.dead);
      if (live.length === 0) return fallback.extract(article, pipeline);
      const slot = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = ++seq;
      return new Promise<SitrepEvent[]>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ seq: id, article, ...(pipeline ? { pipeline } : {}) } satisfies ExtractRequest);
      });
    },
    async close() {
      await Promise.all(slots.map((s) => (s.dead ? Promise.resolve() : s.worker.terminate().then(() => undefined))));
    },
  };
}
