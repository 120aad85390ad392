/**
 * `sitrep extract FILE|-` and `sitrep extract --jsonl FILE|-` (see ../shared/event-schema.md).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import { readJsonlLine } from '../ingest/json.js';
import { byteLines, decodeLine } from '../ingest/lines.js';
import { readArticleBuffer, readArticleFile, readStdin } from '../ingest/read.js';
import { extractArticle, extractFromArticle, type PipelineOptions } from '../pipeline/extract.js';
import { fail, writeLine } from './io.js';

interface ExtractOptions {
  jsonl?: boolean;
  published?: string;
  url?: string;
  title?: string;
  pretty?: boolean;
  explain?: boolean;
  /** false with --no-geo. */
  geo?: boolean;
}

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('extract ACLED-style events from one article (text, HTML or JSON), or from JSONL with --jsonl')
    .argument('<file>', 'the article file, or - for standard input')
    .option('--jsonl', 'read one JSON article per line and print one result line per input line')
    .option('--published <date>', 'publication date (YYYY-MM-DD) that anchors relative dates')
    .option('--url <url>', 'the article URL')
    .option('--title <title>', 'the article title')
    .option('--pretty', 'indent the JSON output')
    .option('--explain', 'add "explain": the country focus and, for each place mention, its candidates with their named features and scores')
    .option('--no-geo', 'skip the geoparser: no gazetteer is loaded and events carry no place (for measuring its cost)')
    .action(async (file: string, opts: ExtractOptions) => {
      if (opts.jsonl) process.exitCode = await extractJsonl(file, { geoparse: opts.geo !== false });
      else process.exitCode = await extractOne(file, opts);
    });
}

async function extractOne(file: string, opts: ExtractOptions): Promise<number> {
  const readOpts = { published: opts.published, url: opts.url, title: opts.title };
  try {
    const article = file === '-' ? readArticleBuffer(await readStdin(), 'standard input', readOpts) : readArticleFile(file, readOpts);
    const result = extractFromArticle(article, { explain: opts.explain, geoparse: opts.geo !== false });
    await writeLine(opts.pretty ? JSON.stringify(result, null, 2) : JSON.stringify(result));
    return 0;
  } catch (err) {
    return fail(err);
  }
}

/** One output line per input line, in input order; exit 2 when any line failed. */
export async function extractJsonl(file: string, pipeline: PipelineOptions = {}): Promise<number> {
  const name = file === '-' ? 'standard input' : file;
  if (file !== '-') {
    try {
      const st = await stat(file);
      if (st.isDirectory()) throw new InputError(file, 'is a directory');
    } catch (err) {
      if (err instanceof InputError) return fail(err);
      return fail(new InputError(file, 'file not found'));
    }
  }
  const stream = file === '-' ? process.stdin : createReadStream(file);
  let lineNo = 0;
  let failed = 0;
  for await (const bytes of byteLines(stream)) {
    lineNo++;
    const { text, badByte } = decodeLine(bytes);
    if (text.trim() === '') continue;
    const parsed = readJsonlLine(text, lineNo, name);
    if (badByte >= 0) {
      // The same refusal as for a single article that is not UTF-8 (see ingest/read.ts decodeText).
      parsed.input = undefined;
      parsed.error = `line ${lineNo}: is not valid UTF-8 text (first bad byte at offset ${badByte})`;
    }
    let out: string;
    if (parsed.error || !parsed.input) {
      failed++;
      out = JSON.stringify({ id: parsed.id, error: parsed.error ?? `line ${lineNo}: unreadable` });
    } else {
      try {
        const result = extractArticle({ ...parsed.input, id: parsed.id }, parsed.input.source, pipeline);
        out = JSON.stringify({ id: parsed.id, events: result.events });
      } catch (err) {
        failed++;
        const reason = err instanceof InputError ? err.reason : `internal error: ${(err as Error).message}`;
        out = JSON.stringify({ id: parsed.id, error: `line ${lineNo}: ${reason}` });
      }
    }
    await writeLine(out);
  }
  return failed ? 2 : 0;
}

