/**
 * `sitrep demo`: what `npm start` runs. Ingests the bundled sample articles into the store (PGlite in
 * the data directory, `./sitrep-data` unless SITREP_DATA says otherwise; ingest is idempotent, so a
 * second start adds nothing) and serves the API and the dashboard on 127.0.0.1:8080 (`--port`), by
 * running `sitrep ingest` and then `sitrep serve` as they are. `--print` (or `--json`) only extracts
 * the samples and prints a summary of each event (or the full results), storing nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { SitrepEvent } from '../core/types.js';
import { readArticleFile } from '../ingest/read.js';
import { extractFromArticle } from '../pipeline/extract.js';
import { fail, writeLine } from './io.js';

interface SampleIndexEntry {
  file: string;
  published?: string | null;
  title?: string | null;
  url?: string | null;
}

export const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));

/** The `sitrep` executable, to run `ingest` and `serve` exactly as a user would. */
const BIN = fileURLToPath(new URL('../../bin/sitrep.js', import.meta.url));

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('ingest the bundled sample articles into the store and serve the dashboard (--print: only print what they hold)')
    .option('--dir <dir>', 'folder of articles (with an optional index.json)', SAMPLES_DIR)
    .option('--port <n>', 'port for the dashboard and API on 127.0.0.1', process.env['PORT'] ?? '8080')
    .option('--print', 'extract the articles and print a summary of their events; store and serve nothing')
    .option('--json', 'with --print: the full JSON results instead of the summary')
    .action(async (opts: { dir: string; port: string; print?: boolean; json?: boolean }) => {
      process.exitCode = opts.print || opts.json ? await runDemo(opts.dir, Boolean(opts.json)) : await serveDemo(opts.dir, opts.port);
    });
}

/** `sitrep ingest DIR`, then `sitrep serve --port PORT` until a signal; the exit code of whichever ends it. */
async function serveDemo(dir: string, port: string): Promise<number> {
  const ingest = spawnSync(process.execPath, [BIN, 'ingest', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (ingest.status !== 0) {
    process.stderr.write(`sitrep: demo: ingesting ${dir} failed (exit ${ingest.status ?? ingest.signal}); nothing is served\n`);
    return ingest.status ?? 1;
  }
  const serve = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', port], { stdio: ['ignore', 'inherit', 'inherit'] });
  const forward = (signal: NodeJS.Signals): void => {
    serve.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => serve.on('close', (code) => resolve(code ?? 0)));
}

export function sampleFiles(dir: string): SampleIndexEntry[] {
  const files = readdirSync(dir).filter((f) => ['.txt', '.html', '.htm', '.json'].includes(extname(f)) && f !== 'index.json').sort();
  let index: SampleIndexEntry[] = [];
  try {
    index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as SampleIndexEntry[];
  } catch {
    index = [];
  }
  const byFile = new Map(index.map((e) => [e.file, e]));
  return files.map((file) => byFile.get(file) ?? { file });
}

async function runDemo(dir: string, json: boolean): Promise<number> {
  let entries: SampleIndexEntry[];
  try {
    entries = sampleFiles(dir);
  } catch (err) {
    return fail(err);
  }
  let events = 0;
  let failed = 0;
  const started = performance.now();
  for (const entry of entries) {
    try {
      const article = readArticleFile(join(dir, entry.file), {
        published: entry.published ?? undefined,
        url: entry.url ?? undefined,
        title: entry.title ?? undefined,
      });
      const result = extractFromArticle(article);
      events += result.events.length;
      if (json) await writeLine(JSON.stringify(result));
      else await writeLine(summarise(entry.file, result.article.title, result.events));
    } catch (err) {
      failed++;
      fail(err);
    }
  }
  const ms = performance.now() - started;
  if (!json) await writeLine(`\n${entries.length - failed} articles, ${events} events, ${failed} unreadable, in ${ms.toFixed(0)} ms.`);
  return failed ? 1 : 0;
}

function summarise(file: string, title: string | null, events: SitrepEvent[]): string {
  const lines = [`■ ${file}${title ? ` — ${title}` : ''}`];
  if (!events.length) lines.push('    (no event)');
  for (const e of events) {
    const where = [e.location, e.admin1, e.country].filter(Boolean).join(', ') || 'unknown place';
    const actors = [e.actor1, e.actor2].filter(Boolean).join(' vs ') || 'unknown actors';
    lines.push(`    ${e.event_date ?? '????-??-??'}  ${e.event_type} / ${e.sub_event_type}  @ ${where}`);
    lines.push(`      ${actors}; fatalities ${e.fatalities} (best ${e.fatalities_best}, high ${e.fatalities_high}); claims ${e.claims.length}`);
    lines.push(`      ${e.notes}`);
  }
  return lines.join('\n');
}
