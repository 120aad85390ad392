/**
 * An extraction worker thread (see extractor.ts): receives articles, sends back their events and how
 * long extracting them took. Pure extraction, no store: the main thread stores what comes back, in order.
 */
import { parentPort } from 'node:worker_threads';
import { InputError, type Article } from '../core/types.js';
import { extractFromArticle, type PipelineOptions } from '../pipeline/extract.js';

export interface ExtractRequest {
  seq: number;
  article: Article;
  pipeline?: PipelineOptions;
}

export type ExtractReply =
  | { seq: number; ms: number; events: ReturnType<typeof extractFromArticle>['events'] }
  | { seq: number; ms: number; error: { message: string; input?: string; reason?: string } };

parentPort?.on('message', (req: ExtractRequest) => {
  let reply: ExtractReply;
  const t0 = performance.now();
  try {
    const events = extractFromArticle(req.article, req.pipeline).events;
    reply = { seq: req.seq, ms: performance.now() - t0, events };
  } catch (err) {
    const e = err as Error;
    reply = { seq: req.seq, ms: performance.now() - t0, error: err instanceof InputError ? { message: e.message, input: err.input, reason: err.reason } : { message: e?.message ?? String(err) } };
  }
  parentPort!.postMessage(reply);
});
