/**
 * POST /articles: the request body → articles → `ingestArticles` (src/jobs/pipeline.ts), the same
 * runner `sitrep ingest` uses (extraction, storing, the merge step, ids, idempotence), then each
 * stored article's canonical events as the API shows them.
 *
 * Bodies: one JSON article `{ "text" | "html", "published"?, "url"?, "title"?, "id"? }`, a JSON array
 * of them, or JSONL (`application/x-ndjson`: one such object per line, blank lines skipped). Each
 * bad article becomes an error naming it ("line 3: missing \"text\" or \"html\"") and the others go
 * on. Requests are ingested one at a time (a queue), so two requests never race for one article.
 */
import { InputError, type ArticleInput } from '../core/types.js';
import { jsonlRecord } from '../export/records.js';
import { parseArticleJson, readJsonlLine } from '../ingest/json.js';
import { toArticle } from '../ingest/read.js';
import type { IngestInput } from '../jobs/inputs.js';
import { ingestArticles, type IngestOptions } from '../jobs/pipeline.js';
import { articleCanonicalEvents } from '../store/queries.js';
import type { Store } from '../store/index.js';
import type { SitrepEvent } from '../core/types.js';
import { HttpError } from './errors.js';

export interface IngestedArticle {
  id: string;
  status: 'new' | 'changed' | 'unchanged';
  events: SitrepEvent[];
}

export interface IngestAnswer {
  articles: IngestedArticle[];
  errors: Array<{ input: string; message: string }>;
}

/** Where an article posted to the API says it came from (stored in `articles.source`). */
const sourceLabel = (label: string) => `POST /articles (${label})`;

function inputFrom(value: unknown, label: string): IngestInput {
  try {
    const input: ArticleInput = parseArticleJson(value, label);
    const article = toArticle(input, label);
    article.source = sourceLabel(label);
    return { label, article, idGiven: input.id !== undefined };
  } catch (err) {
    if (err instanceof InputError) return { label, error: err };
    throw err;
  }
}

/** The articles of a request body (already parsed when JSON; the raw text when JSONL). */
export function bodyInputs(body: unknown, kind: 'json' | 'jsonl'): IngestInput[] {
  if (kind === 'jsonl') {
    if (typeof body !== 'string' || body.trim() === '') throw new HttpError(400, 'body: empty; send one JSON article per line');
    const out: IngestInput[] = [];
    const lines = body.replace(/^\ufeff/, '').split('\n');
    lines.forEach((raw, i) => {
      const text = raw.replace(/\r$/, '');
      if (text.trim() === '') return;
      const label = `line ${i + 1}`;
      const parsed = readJsonlLine(text, i + 1, 'the request body');
      if (parsed.error || !parsed.input) {
        out.push({ label, error: new InputError(label, parsed.error?.replace(/^line \d+: /, '') ?? 'unreadable') });
        return;
      }
      out.push(inputFrom(parsed.input, label));
    });
    if (out.length === 0) throw new HttpError(400, 'body: only blank lines; send one JSON article per line');
    return out;
  }
  if (Array.isArray(body)) {
    if (body.length === 0) throw new HttpError(400, 'body: an empty array; send at least one article');
    return body.map((v, i) => inputFrom(v, `item ${i + 1}`));
  }
  return [inputFrom(body, 'body')];
}

/** One request at a time through the runner. */
export class IngestQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly options: Pick<IngestOptions, 'extractor' | 'merge' | 'pipeline'>,
  ) {}

  run(inputs: IngestInput[]): Promise<IngestAnswer> {
    const next = this.tail.then(() => this.ingest(inputs));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async ingest(inputs: IngestInput[]): Promise<IngestAnswer> {
    const answer: IngestAnswer = { articles: [], errors: [] };
    const stored: Array<{ id: string; status: IngestedArticle['status'] }> = [];
    await ingestArticles(this.store, inputs, {
      ...this.options,
      onProgress: (_counts, outcome) => {
        if (outcome.status === 'failed') {
          answer.errors.push({ input: outcome.label, message: outcome.reason ?? `${outcome.label}: failed` });
        } else if (outcome.articleId) {
          stored.push({ id: outcome.articleId, status: outcome.status === 'replaced' ? 'changed' : outcome.status });
        }
      },
    });
    for (const s of stored) {
      const events = (await articleCanonicalEvents(this.store, s.id)).map(jsonlRecord);
      answer.articles.push({ id: s.id, status: s.status, events });
    }
    return answer;
  }
}
