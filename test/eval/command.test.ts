import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArticleInput, ExtractResult } from '../../src/core/types.js';
import { InputError } from '../../src/core/types.js';
import { devSetFiles, evalDir, runEval, type EvalCliOptions } from '../../src/eval/command.js';
import { makeEvent } from './event-fixture.js';

/** A fake extractor: an event for texts mentioning "clash", none otherwise, InputError for empty text. */
function fakeExtract(input: ArticleInput): ExtractResult {
  if (!input.text) throw new InputError(input.id ?? '?', 'empty text');
  const events = /clash/i.test(input.text) ? [makeEvent({ country: 'Testland', fatalities_best: 1 })] : [];
  return {
    article: { id: input.id ?? '', title: null, url: null, published: null, text: input.text, removed: [] },
    events,
  };
}

function goldDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-eval-'));
  const gtd = (id: number, summary: string) =>
    JSON.stringify({ eventid: id, iyear: 2019, imonth: 2, country_txt: 'Testland', provstate: 'Unknown', city: 'Unknown', gname: 'Unknown', weaptype1_txt: 'Unknown', nkill: 1, nwound: '', summary });
  writeFileSync(join(dir, 'gtd.dev.jsonl'), [gtd(1, 'Armed men clash with police.'), gtd(2, 'A quiet day.'), gtd(3, '')].join('\n'));
  const muc = (id: string, type: string, text: string) =>
    JSON.stringify({ message_id: id, text, templates: [{ 'INCIDENT: TYPE': type, 'INCIDENT: LOCATION': 'TESTLAND' }] });
  writeFileSync(join(dir, 'muc4.dev.jsonl'), [muc('M1', 'ATTACK', 'A CLASH IN THE HILLS.'), muc('M2', '*', 'NOTHING.')].join('\n'));
  return dir;
}

function run(files: string[], opts: EvalCliOptions) {
  let out = '';
  let err = '';
  const code = runEval(files, opts, { out: (s) => (out += s), err: (s) => (err += s), extract: fakeExtract });
  return { code, out, err };
}

const savedDir = process.env['SITREP_EVAL_DIR'];
afterEach(() => {
  if (savedDir === undefined) delete process.env['SITREP_EVAL_DIR'];
  else process.env['SITREP_EVAL_DIR'] = savedDir;
});

describe('runEval', () => {
  it('prints the table and exits 0', () => {
    const dir = goldDir();
    const { code, out } = run([join(dir, 'gtd.dev.jsonl')], {});
    expect(code).toBe(0);
    expect(out).toMatch(/^gtd\s+detected\s+0\.333\s+3$/m);
    expect(out).toMatch(/1 failed to extract \(first: 3: 3: empty text\)/);
  });

  it('prints { sets } JSON with --json', () => {
    const dir = goldDir();
    const { code, out } = run([join(dir, 'gtd.dev.jsonl'), join(dir, 'muc4.dev.jsonl')], { json: true });
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.sets.gtd.fatalities).toEqual({ value: 0.333333, n: 3 });
    expect(json.sets.muc4.incident_f1).toEqual({ value: 1, n: 2 });
    expect(json.sets.gtd.admin1).toEqual({ value: 0, n: 0 });
  });

  it('applies --limit and --set to the given files', () => {
    const dir = goldDir();
    const file = join(dir, 'records.jsonl');
    writeFileSync(file, JSON.stringify({ message_id: 'X', text: 'CLASH', templates: [] }) + '\n');
    const { code, out } = run([file], { set: 'muc4', json: true, limit: 1 });
    expect(code).toBe(0);
    expect(JSON.parse(out).sets.muc4.incident_precision).toEqual({ value: 0, n: 1 });
  });

  it('scores the dev sets of $SITREP_EVAL_DIR with --all, and fails when one is missing', () => {
    const dir = goldDir();
    process.env['SITREP_EVAL_DIR'] = dir;
    expect(evalDir()).toBe(dir);
    expect(devSetFiles()).toEqual(['acled-mali', 'acled-global', 'gtd', 'muc4'].map((s) => join(dir, `${s}.dev.jsonl`)));
    const { code, err } = run([], { all: true });
    expect(code).toBe(2);
    expect(err).toContain('acled-mali.dev.jsonl');
  });

  it('exits 2 without files', () => {
    const { code, err } = run([], {});
    expect(code).toBe(2);
    expect(err).toMatch(/--all/);
  });

  it('lists wrong records with --show and --errors', () => {
    const dir = goldDir();
    const { out } = run([join(dir, 'gtd.dev.jsonl')], { show: 'detected', errors: 1 });
    expect(out).toContain('== gtd detected: 2 wrong, showing 1');
    expect(out).toContain('2  gold: an event  predicted: 0 events');
    expect(out).toContain('    A quiet day.');
  });

  it('says so when --show names a metric the sets lack', () => {
    const dir = goldDir();
    const { out } = run([join(dir, 'gtd.dev.jsonl')], { show: 'event_typ' });
    expect(out).toMatch(/no metric "event_typ" in these sets \(metrics: detected, /);
  });

  it('sends the listing to stderr with --json so stdout stays JSON', () => {
    const dir = goldDir();
    const { out, err } = run([join(dir, 'gtd.dev.jsonl')], { json: true, show: 'detected' });
    expect(() => JSON.parse(out)).not.toThrow();
    expect(err).toContain('== gtd detected');
  });

  it('checks floors: exit 1 and a FLOOR FAILED line when one breaks, 0 when all hold', () => {
    const dir = goldDir();
    const floors = join(dir, 'floors.json');
    writeFileSync(floors, JSON.stringify({ gtd: { detected: 0.5, country: 0.3 }, muc4: { incident_f1: 0.9 } }));
    const failed = run([join(dir, 'gtd.dev.jsonl'), join(dir, 'muc4.dev.jsonl')], { floors });
    expect(failed.code).toBe(1);
    expect(failed.err.trim().split('\n')).toEqual(['FLOOR FAILED gtd detected 0.333 < 0.500']);

    writeFileSync(floors, JSON.stringify({ gtd: { detected: 0.3 } }));
    expect(run([join(dir, 'gtd.dev.jsonl')], { floors }).code).toBe(0);
  });

  it('exits 2 on an unreadable floors file', () => {
    const dir = goldDir();
    const floors = join(dir, 'floors.json');
    writeFileSync(floors, '{ not json');
    const { code, err } = run([join(dir, 'gtd.dev.jsonl')], { floors });
    expect(code).toBe(2);
    expect(err).toContain('--floors');
  });
});
