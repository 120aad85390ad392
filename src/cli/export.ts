/**
 * `sitrep export --format acled-csv|geojson|jsonl [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 * [--country NAME|ISO3|ISO2] [--type EVENT_TYPE] [--out FILE]`: the store's canonical (merged) events.
 *
 * - acled-csv: ACLED's 31 columns in ACLED's order, RFC 4180 (src/export/acled.ts says how each is filled);
 * - geojson: a FeatureCollection of Points; events without coordinates are left out and counted on
 *   standard error;
 * - jsonl: one canonical event per line in the Event shape, with every reporting article in
 *   `sources` and each claim's `article_id`.
 *
 * The output goes to standard output, or with --out to FILE (written whole or not at all: a
 * temporary file renamed at the end). Filters: --from/--to inclusive on event_date (undated events
 * are then left out), --country by name (any of the names sitrep knows, "DRC", "Ivory Coast"), ISO3
 * or ISO2 code, --type one of ACLED's six event types (any case); each may be given several times.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import { exportEvents, EXPORT_FORMATS, type ChunkWriter, type ExportFormat } from '../export/index.js';
import { countryByIso2, countryByIso3, countryByName } from '../geo/countries.js';
import type { EventFilter, Store } from '../store/index.js';
import { isIsoDate } from '../store/validate.js';
import { fail } from './io.js';

const EVENT_TYPES = ['Battles', 'Explosions/Remote violence', 'Violence against civilians', 'Protests', 'Riots', 'Strategic developments'] as const;

interface ExportCliOptions {
  format?: string;
  from?: string;
  to?: string;
  country?: string[];
  type?: string[];
  out?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write the stored (canonical) events as ACLED CSV, GeoJSON or JSONL')
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`)
    .option('--from <date>', 'events on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'events on or before this date (YYYY-MM-DD)')
    .option('--country <name>', 'country name, ISO3 or ISO2 code (repeatable)', collect)
    .option('--type <event_type>', `ACLED event type (repeatable): ${EVENT_TYPES.join(', ')}`, collect)
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: ExportCliOptions) => {
      process.exitCode = await runExport(opts);
    });
}

/** The filter the options ask for; throws InputError naming the bad option. */
export function exportFilter(opts: ExportCliOptions): EventFilter {
  const filter: EventFilter = {};
  for (const [flag, key] of [['--from', 'dateFrom'], ['--to', 'dateTo']] as const) {
    const v = flag === '--from' ? opts.from : opts.to;
    if (v === undefined) continue;
    if (!isIsoDate(v.trim())) throw new InputError(flag, `${JSON.stringify(v)} is not a date (YYYY-MM-DD)`);
    filter[key] = v.trim();
  }
  if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) {
    throw new InputError('--from', `${filter.dateFrom} is after --to ${filter.dateTo}`);
  }
  if (opts.country?.length) {
    const values = new Set<string>();
    for (const raw of opts.country) {
      const v = raw.trim();
      if (!v) throw new InputError('--country', 'is empty');
      const c = (/^[A-Za-z]{3}$/.test(v) ? countryByIso3(v) : /^[A-Za-z]{2}$/.test(v) ? countryByIso2(v) : undefined) ?? countryByName(v);
      // The stored events name countries as sitrep writes them; matching the ISO3 code covers every spelling.
      if (c) values.add(c.iso3).add(c.name);
      else values.add(v);
    }
    filter.country = [...values];
  }
  if (opts.type?.length) {
    filter.eventType = opts.type.map((t) => {
      const found = EVENT_TYPES.find((e) => e.toLowerCase() === t.trim().toLowerCase());
      if (!found) throw new InputError('--type', `${JSON.stringify(t)} is not an ACLED event type (${EVENT_TYPES.join(', ')})`);
      return found;
    });
  }
  return filter;
}

/** Writes to a stream, waiting for it to drain when its buffer is full. */
function streamWriter(stream: NodeJS.WritableStream): ChunkWriter {
  return (chunk) =>
    new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      stream.once('error', onError);
      const ok = stream.write(chunk, () => stream.off('error', onError));
      if (ok) resolve();
      else stream.once('drain', () => resolve());
    });
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function runExport(opts: ExportCliOptions): Promise<number> {
  let format: ExportFormat;
  let filter: EventFilter;
  try {
    const f = (opts.format ?? '').trim().toLowerCase();
    if (!(EXPORT_FORMATS as readonly string[]).includes(f)) {
      throw new InputError('--format', `${JSON.stringify(opts.format)} is not one of ${EXPORT_FORMATS.join(', ')}`);
    }
    format = f as ExportFormat;
    filter = exportFilter(opts);
  } catch (err) {
    return fail(err);
  }

  // Loaded here, not at start-up: the store drivers cost every other command time.
  const { openStore } = await import('../store/index.js');
  let store: Store;
  try {
    store = await openStore();
  } catch (err) {
    return fail(err);
  }

  const temp = opts.out ? `${opts.out}.partial-${process.pid}` : null;
  let file: WriteStream | null = null;
  try {
    if (temp) {
      file = createWriteStream(temp);
      await new Promise<void>((resolve, reject) => {
        file!.once('open', () => resolve());
        file!.once('error', (err) => reject(new InputError(opts.out!, `cannot be written (${err.message})`)));
      });
    }
    const result = await exportEvents(store, format, filter, streamWriter(file ?? process.stdout));
    if (file && temp) {
      await closeStream(file);
      renameSync(temp, opts.out!);
    }
    const left = format === 'geojson' && result.withoutCoordinates ? `; ${result.withoutCoordinates} without coordinates left out` : '';
    process.stderr.write(`export: ${result.written} event${result.written === 1 ? '' : 's'} (${format})${opts.out ? ` to ${opts.out}` : ''}${left}\n`);
    return 0;
  } catch (err) {
    if (file) file.destroy();
    if (temp) rmSync(temp, { force: true });
    return fail(err);
  } finally {
    await store.close().catch(() => {});
  }
}
