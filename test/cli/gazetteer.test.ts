/**
 * `sitrep gazetteer import|status`, run in-process through `registerGazetteer` on a fresh commander
 * program (the command is registered in src/cli/index.ts separately), with SITREP_DATA pointing at a
 * temporary data directory.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerGazetteer } from '../../src/cli/gazetteer.js';
import { loadImported } from '../../src/geo/import.js';

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-gazetteer-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const savedEnv = process.env.SITREP_DATA;
let data = '';
let n = 0;
beforeEach(() => {
  data = join(tmp, `data-${++n}`);
  process.env.SITREP_DATA = data;
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.SITREP_DATA;
  else process.env.SITREP_DATA = savedEnv;
});

interface Run {
  code: number | undefined;
  out: string[];
  err: string[];
}

async function sitrep(...args: string[]): Promise<Run> {
  const run: Run = { code: undefined, out: [], err: [] };
  const program = new Command().name('sitrep').exitOverride();
  registerGazetteer(program, { out: (l) => run.out.push(l), err: (l) => run.err.push(l), exit: (c) => (run.code = c) });
  await program.parseAsync(['node', 'sitrep', ...args]);
  return run;
}

function file(name: string, content: string | Buffer): string {
  const path = join(tmp, `${++n}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** A 19-column GeoNames row for a made-up village. */
const row = (id: number, name: string, cc: string, a1: string, fclass = 'P', fcode = 'PPL', a2 = ''): string =>
  [id, name, name, '', '13.25', '-2.75', fclass, fcode, cc, '', a1, a2, '', '', '350', '', '290', 'Africa/Ouagadougou', '2024-01-15'].join('\t');

const BF = [row(9500001, 'Sankoundi', 'BF', '78'), row(9500002, 'Gorgadji Peulh', 'BF', '78'), row(9500003, 'Sankoundi Marigot', 'BF', '78', 'H', 'STM')].join('\n') + '\n';
const ADMIN1 = 'BF.78\tSahel\tSahel\t6930714\n';

describe('sitrep gazetteer import', () => {
  it('imports, prints a line per file and the totals, and status shows it', async () => {
    const dump = file('BF.txt', BF);
    const codes = file('admin1CodesASCII.txt', ADMIN1);
    const run = await sitrep('gazetteer', 'import', dump, codes);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out).toEqual([
      `${dump}: GeoNames dump, 3 lines: 2 places kept (Burkina Faso)`,
      `${codes}: 1 first-level unit name (BF)`,
      `imported 2 files into ${data}: now 2 places in 1 country (BF), 1 first-level and 0 second-level unit names`,
    ]);
    const store = loadImported(data)!;
    expect(store.placeOf(store.rowsForKey('gorgadji peulh')[0]!)).toMatchObject({ name: 'Gorgadji Peulh', admin1: 'Sahel', iso3: 'BFA' });

    const status = await sitrep('gazetteer', 'status');
    expect(status.code).toBe(0);
    expect(status.out[0]).toBe(`data directory: ${data} (SITREP_DATA)`);
    expect(status.out).toContain(`  BF Burkina Faso: 2 places from ${dump.split('/').pop()}, imported ${new Date().toISOString().slice(0, 10)}`);
    expect(status.out).toContain('admin names: 1 first-level, 0 second-level');
  });

  it('reports a bad file in one line on stderr, exits 1 and writes nothing', async () => {
    const good = file('BF.txt', BF);
    const bad = file('NE.txt', row(9600001, 'Tamou Est', 'NE', '06') + '\n' + row(9600002, 'Tamou Ouest', 'NE', '06').split('\t').slice(0, 12).join('\t') + '\n');
    const run = await sitrep('gazetteer', 'import', good, bad);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toEqual([`sitrep: ${bad} line 2: expected 19 tab-separated columns, found 12`]);
    expect(existsSync(join(data, 'gazetteer'))).toBe(false);
  });

  it('leaves the previous import in place when a later one fails', async () => {
    expect((await sitrep('gazetteer', 'import', file('BF.txt', BF))).code).toBe(0);
    const before = readFileSync(join(data, 'gazetteer', 'imported.json'), 'utf8');
    const latin1 = file('ML.txt', Buffer.from(row(9700001, 'Sérémé', 'ML', '04') + '\n', 'latin1'));
    const run = await sitrep('gazetteer', 'import', latin1);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([`sitrep: ${latin1} line 1: not valid UTF-8 (bad byte at character 10); GeoNames files are UTF-8`]);
    expect(readFileSync(join(data, 'gazetteer', 'imported.json'), 'utf8')).toBe(before);
  });

  it('names a missing file', async () => {
    const missing = join(tmp, 'nowhere', 'ML.txt');
    const run = await sitrep('gazetteer', 'import', missing);
    expect(run).toEqual({ code: 1, out: [], err: [`sitrep: ${missing}: file not found`] });
  });
});

describe('sitrep gazetteer status', () => {
  it('says when nothing is imported', async () => {
    const run = await sitrep('gazetteer', 'status');
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      `data directory: ${data} (SITREP_DATA)`,
      'nothing imported yet: run "sitrep gazetteer import FILE..." with GeoNames country dumps (ML.txt...) and admin1CodesASCII.txt / admin2Codes.txt',
    ]);
  });
});
