/**
 * `sitrep extract --jsonl FILE|-`: one output line per non-blank input line, in order; a bad line
 * gives `{id, error}` and never stops the lines after it; exit 0 when all lines are good, 2 otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPAWN_TIMEOUT_MS, expectNoStackTrace, jsonLines, sitrep, tempDir, warnIfStaleBuild, type EventLike } from './run.js';

interface LineResult {
  id: string;
  events?: EventLike[];
  error?: string;
}

const tmp = tempDir('jsonl');
afterAll(() => tmp.remove());
beforeAll(() => warnIfStaleBuild());

const ambush = 'Gunmen killed at least 5 civilians in an attack on a market in Gao, Mali, on 3 May 2021, a local official said.';
const clash = 'Soldiers clashed with militants near Menaka, Mali, on Monday, killing 12 fighters, the army said.';
const march = '<html><body><article><p>Thousands of protesters marched in Bamako, Mali, on Friday to demand elections.</p></article></body></html>';

/** Lines 1–11: good, broken, blank, good without id, wrong types, missing field, number id, not UTF-8, good. */
const mixed = Buffer.concat([
  Buffer.from(
    [
      JSON.stringify({ id: 'gao-market', text: ambush, published: '2021-05-04' }),
      '{"id": "broken", "text": "an unterminated string',
      '   ',
      JSON.stringify({ text: clash, published: '2021-05-04' }),
      JSON.stringify({ id: 'text-number', text: 5 }),
      JSON.stringify({ id: 'published-number', text: ambush, published: 5 }),
      JSON.stringify({ id: 'title-only', title: 'A headline without a body' }),
      JSON.stringify({ id: 42, html: march, published: '2021-05-08' }),
      JSON.stringify({ id: 'bad-date', text: ambush, published: '2021-02-30' }),
      '', // line 10: blank
      '',
    ].join('\n'),
    'utf8',
  ),
  // Line 11: Latin-1 bytes ("S\xe9gou"), which are not UTF-8.
  Buffer.from('{"id":"latin-1","text":"Gunmen killed 3 people in S\xe9gou, Mali."}\n', 'latin1'),
  Buffer.from(JSON.stringify({ id: 'last', text: clash, published: '2021-05-04' }) + '\n', 'utf8'),
]);

function expectMixedOutput(lines: LineResult[]): void {
  // 12 input lines, two of them blank.
  expect(lines.map((l) => l.id)).toEqual([
    'gao-market',
    'line-2',
    'line-4',
    'text-number',
    'published-number',
    'title-only',
    '42',
    'bad-date',
    'latin-1',
    'last',
  ]);
  const byId = new Map(lines.map((l) => [l.id, l]));
  for (const id of ['gao-market', 'line-4', '42', 'last']) {
    const line = byId.get(id);
    expect(line?.error, id).toBeUndefined();
    expect(line?.events?.length, id).toBeGreaterThan(0);
    // The line's id is the article id in every event's source.
    for (const event of line?.events ?? []) expect(event.sources[0]?.article_id).toBe(id);
  }
  expect(byId.get('gao-market')?.events?.[0]?.country).toBe('Mali');
  expect(byId.get('42')?.events?.some((e) => e.event_type === 'Protests')).toBe(true);

  const errors: [string, RegExp][] = [
    ['line-2', /^line 2: invalid JSON/],
    ['text-number', /^line 5: .*"text".*string.*number/],
    ['published-number', /^line 6: .*"published".*string.*number/],
    ['title-only', /^line 7: .*"text" or "html"/],
    ['bad-date', /^line 9: .*"published".*2021-02-30/],
    ['latin-1', /^line 11: .*not valid UTF-8/],
  ];
  for (const [id, reason] of errors) {
    const line = byId.get(id);
    expect(line?.events, id).toBeUndefined();
    expect(line?.error, id).toMatch(reason);
  }
  for (const line of lines) expect(Object.keys(line).sort()).toEqual(line.error ? ['error', 'id'] : ['events', 'id']);
}

describe.concurrent('sitrep extract --jsonl', () => {
  it('answers every non-blank line in order, keeps going after bad lines, and exits 2', async () => {
    const run = await sitrep(['extract', '--jsonl', tmp.write('mixed.jsonl', mixed)]);
    expect(run.code).toBe(2);
    expectNoStackTrace(run.stderr);
    expectMixedOutput(jsonLines(run.stdout) as LineResult[]);
  }, SPAWN_TIMEOUT_MS);

  it('reads standard input ("-") and exits 0 when every line is good, with a byte-order mark and CRLF', async () => {
    const body = [
      JSON.stringify({ id: 'first', text: ambush, published: '2021-05-04' }),
      JSON.stringify({ id: 'second', text: clash, published: '2021-05-04', url: 'https://example.org/a', title: 'Clash near Menaka' }),
      JSON.stringify({ html: march, published: '2021-05-08' }),
    ].join('\r\n');
    const run = await sitrep(['extract', '--jsonl', '-'], '\ufeff' + body + '\r\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout) as LineResult[];
    expect(lines.map((l) => l.id)).toEqual(['first', 'second', 'line-3']);
    for (const line of lines) expect(line.events?.length, line.id).toBeGreaterThan(0);
    const source = lines[1]?.events?.[0]?.sources[0];
    expect(source).toMatchObject({ article_id: 'second', url: 'https://example.org/a', title: 'Clash near Menaka', published: '2021-05-04' });
  }, SPAWN_TIMEOUT_MS);

  it('names the input when the JSONL file itself cannot be read', async () => {
    const missing = `${tmp.dir}/no-such-feed.jsonl`;
    const [noFile, dir] = await Promise.all([sitrep(['extract', '--jsonl', missing]), sitrep(['extract', '--jsonl', tmp.dir])]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toBe(`sitrep: ${missing}: file not found\n`);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toBe(`sitrep: ${tmp.dir}: is a directory\n`);
    expect(noFile.stdout + dir.stdout).toBe('');
  }, SPAWN_TIMEOUT_MS);
});
