/**
 * `sitrep gazetteer import FILE...` adds GeoNames country dumps (ML.txt...) and admin-name files
 * (admin1CodesASCII.txt, admin2Codes.txt) to the data directory, so that villages and second-level
 * units resolve; `sitrep gazetteer status` says what is there. The data directory is ./sitrep-data,
 * or SITREP_DATA when set.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import { countryByIso2 } from '../geo/countries.js';
import { dataDir } from '../geo/datadir.js';
import { type FileSummary, importFiles, loadImported, loadManifest } from '../geo/import.js';

/** Where the commands write; tests pass their own. */
export interface GazetteerIO {
  out(line: string): void;
  err(line: string): void;
  /** Called once with the command's exit code. */
  exit(code: number): void;
}

const processIO: GazetteerIO = {
  out: (line) => void process.stdout.write(line + '\n'),
  err: (line) => void process.stderr.write(line + '\n'),
  exit: (code) => {
    process.exitCode = code;
  },
};

export function registerGazetteer(program: Command, io: GazetteerIO = processIO): void {
  const gazetteer = program
    .command('gazetteer')
    .description('add GeoNames data (country dumps, admin names) so that villages and districts resolve');
  gazetteer
    .command('import')
    .description('import GeoNames country dumps (e.g. ML.txt) and admin1CodesASCII.txt / admin2Codes.txt into the data directory')
    .argument('<files...>', 'GeoNames files')
    .action((files: string[]) => io.exit(reportInputErrors(io, () => runImport(files, io))));
  gazetteer
    .command('status')
    .description('show what is imported into the data directory')
    .action(() => io.exit(reportInputErrors(io, () => runStatus(io))));
}

/** An input error is one line on standard error and exit code 1; anything else is a bug for the caller to report. */
function reportInputErrors(io: GazetteerIO, run: () => number): number {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.err(`sitrep: ${err.message}`);
    return 1;
  }
}

const num = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string): string => `${num(n)} ${word}${n === 1 ? '' : 's'}`;
const countries = (n: number): string => (n === 1 ? '1 country' : `${num(n)} countries`);

function countryLabel(iso2: string): string {
  return countryByIso2(iso2)?.name ?? iso2;
}

function describeFile(f: FileSummary): string {
  const ccs = Object.keys(f.countries).sort();
  if (f.kind === 'dump') {
    const where = ccs.length === 1 ? countryLabel(ccs[0]!) : countries(ccs.length);
    return `${f.file}: GeoNames dump, ${plural(f.lines, 'line')}: ${plural(f.rows, 'place')} kept (${where})`;
  }
  const level = f.kind === 'admin1' ? 'first-level' : 'second-level';
  const where = ccs.length <= 3 ? ccs.join(', ') : countries(ccs.length);
  return `${f.file}: ${plural(f.rows, `${level} unit name`)} (${where})`;
}

function runImport(files: string[], io: GazetteerIO): number {
  const summary = importFiles(files);
  for (const f of summary.files) io.out(describeFile(f));
  const { admin1, admin2 } = summary.adminNames;
  io.out(
    `imported ${plural(summary.files.length, 'file')} into ${dataDir()}: now ${plural(summary.places, 'place')} in ` +
      `${countries(summary.countries.length)} (${summary.countries.join(', ') || 'none'}), ` +
      `${num(admin1)} first-level and ${num(admin2)} second-level unit names`,
  );
  return 0;
}

function runStatus(io: GazetteerIO): number {
  const dir = dataDir();
  io.out(`data directory: ${dir}${process.env.SITREP_DATA ? ' (SITREP_DATA)' : ''}`);
  const store = loadImported(dir);
  if (!store) {
    io.out('nothing imported yet: run "sitrep gazetteer import FILE..." with GeoNames country dumps (ML.txt...) and admin1CodesASCII.txt / admin2Codes.txt');
    return 0;
  }
  const manifest = loadManifest(dir);
  io.out(`store: ${store.path} (${(statSync(store.path).size / 1e6).toFixed(1)} MB), ${plural(store.size, 'place')}`);
  const rows = new Map<string, number>();
  for (const cc of store.country) rows.set(cc, (rows.get(cc) ?? 0) + 1);
  for (const cc of store.countries) {
    const info = manifest?.countries[cc];
    const from = info ? ` from ${info.files.join(', ') || 'an earlier import'}, imported ${info.imported_at.slice(0, 10)}` : '';
    io.out(`  ${cc} ${countryLabel(cc)}: ${plural(rows.get(cc)!, 'place')}${from}`);
  }
  if (manifest) {
    io.out(`admin names: ${num(manifest.admin_names.admin1)} first-level, ${num(manifest.admin_names.admin2)} second-level`);
    io.out(`files imported: ${manifest.files.map((f) => `${basename(f.path)} (${f.imported_at.slice(0, 10)})`).join(', ')}`);
  }
  io.out('Contains data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0.');
  return 0;
}
