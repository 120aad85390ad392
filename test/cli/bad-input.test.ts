/**
 * Inputs `sitrep extract` must refuse: each gives one clear line on standard error that names the input
 * and the reason, a non-zero exit code, nothing on standard output, and never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPAWN_TIMEOUT_MS, expectNoStackTrace, sitrep, tempDir, warnIfStaleBuild, type RunResult } from './run.js';

const tmp = tempDir('bad-input');
afterAll(() => tmp.remove());
beforeAll(() => warnIfStaleBuild());

const story = 'Gunmen killed at least 5 civilians in an attack on a market in Gao, Mali, on Monday, a local official said.\n';

/** Random bytes with NULs in them, from a fixed seed so that a failure can be reproduced. */
function binaryBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = 12345;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    bytes[i] = i % 97 === 0 ? 0 : state >>> 16;
  }
  return bytes;
}

/** A page of scripts, styles and an empty body: no text a reader would see. */
const scriptsOnly = `<!doctype html><html><head><title></title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
<script src="https://example.org/analytics.js"></script><style>body { margin: 0 }</style></head>
<body><script>document.write('<div id="ad"></div>');</script><noscript></noscript>
<script type="application/ld+json">{"@type": "NewsArticle"}</script></body></html>`;

interface Case {
  name: string;
  args: () => string[];
  stdin?: string | Uint8Array;
  /** What the message names (the path, "standard input", "--published"). */
  names: () => string;
  reason: RegExp;
}

const cases: Case[] = [
  { name: 'an empty file', args: () => ['extract', tmp.write('empty.txt', '')], names: () => `${tmp.dir}/empty.txt`, reason: /empty/ },
  {
    name: 'a file of blank lines',
    args: () => ['extract', tmp.write('blank.txt', '\n   \n\t\n')],
    names: () => `${tmp.dir}/blank.txt`,
    reason: /empty/,
  },
  {
    name: 'a binary file',
    args: () => ['extract', tmp.write('noise.bin', binaryBytes(4096))],
    names: () => `${tmp.dir}/noise.bin`,
    reason: /binary/,
  },
  {
    name: 'invalid UTF-8 bytes',
    // "Ségou" written in Latin-1: the é is the lone byte 0xE9.
    args: () => ['extract', tmp.write('latin1.txt', Buffer.from('Gunmen attacked S\xe9gou, Mali, on Monday.\n', 'latin1'))],
    names: () => `${tmp.dir}/latin1.txt`,
    reason: /not valid UTF-8.*offset 17/,
  },
  {
    name: 'an HTML page of scripts with no readable text',
    args: () => ['extract', tmp.write('scripts.html', scriptsOnly)],
    names: () => `${tmp.dir}/scripts.html`,
    reason: /no readable text|no text/,
  },
  {
    name: 'a JSON file without "text" or "html"',
    args: () => ['extract', tmp.write('no-body.json', JSON.stringify({ id: 'x', title: 'Only a title', published: '2021-05-04' }))],
    names: () => `${tmp.dir}/no-body.json`,
    reason: /missing "text" or "html"/,
  },
  {
    name: 'a JSON file with a number for "published"',
    args: () => ['extract', tmp.write('typed.json', JSON.stringify({ text: story, published: 5 }))],
    names: () => `${tmp.dir}/typed.json`,
    reason: /"published" must be a string, got number/,
  },
  {
    name: 'a .json file that is not JSON',
    args: () => ['extract', tmp.write('broken.json', '{"text": "unterminated')],
    names: () => `${tmp.dir}/broken.json`,
    reason: /not valid JSON/,
  },
  {
    name: 'a JSONL feed given without --jsonl',
    args: () => ['extract', tmp.write('feed.jsonl', `${JSON.stringify({ text: story })}\n${JSON.stringify({ text: story })}\n`)],
    names: () => `${tmp.dir}/feed.jsonl`,
    reason: /--jsonl/,
  },
  { name: 'a missing file', args: () => ['extract', `${tmp.dir}/no-such-article.txt`], names: () => `${tmp.dir}/no-such-article.txt`, reason: /not found/ },
  { name: 'a directory', args: () => ['extract', tmp.dir], names: () => tmp.dir, reason: /is a directory/ },
  {
    name: '--published that is not a date',
    args: () => ['extract', tmp.write('story.txt', story), '--published', 'last Tuesday'],
    names: () => '--published',
    reason: /not a date.*"last Tuesday"/,
  },
  {
    name: '--published that is not a real day',
    args: () => ['extract', tmp.write('story2.txt', story), '--published', '2021-02-30'],
    names: () => '--published',
    reason: /2021-02-30/,
  },
  { name: 'empty standard input', args: () => ['extract', '-'], stdin: '', names: () => 'standard input', reason: /empty/ },
  { name: 'binary standard input', args: () => ['extract', '-'], stdin: binaryBytes(2048), names: () => 'standard input', reason: /binary/ },
];

function expectRefusal(run: RunResult, names: string, reason: RegExp): void {
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull();
  expect(run.stdout).toBe('');
  expectNoStackTrace(run.stderr);
  // Exactly one line, from sitrep itself, not an "internal error".
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^sitrep: /);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.stderr).toContain(names);
  expect(run.stderr).toMatch(reason);
}

describe('sitrep extract refuses bad input clearly', () => {
  // Refusals are fast (no extraction runs), so all cases run side by side.
  it.concurrent.each(cases)('$name', async ({ args, stdin, names, reason }) => {
    const run = await sitrep(args(), stdin);
    expectRefusal(run, names(), reason);
  }, SPAWN_TIMEOUT_MS);

  it('refuses a 20 MB text file and 20 MB on standard input without reading it as an article', async () => {
    const big = tempDir('big');
    try {
      const paragraph = 'The army said fighting continued near the town for a third day, according to residents.\n';
      const content = paragraph.repeat(Math.ceil((20 * 1024 * 1024) / paragraph.length));
      const path = big.write('huge.txt', content);
      const [fromFile, fromStdin] = await Promise.all([sitrep(['extract', path]), sitrep(['extract', '-'], content)]);
      expectRefusal(fromFile, path, /20\.0 MB.*larger than 5 MB.*refused/);
      expectRefusal(fromStdin, 'standard input', /larger than 5 MB/);
    } finally {
      big.remove();
    }
  }, SPAWN_TIMEOUT_MS);

  it('reports command-line mistakes without a stack trace', async () => {
    const [noFile, unknown] = await Promise.all([sitrep(['extract']), sitrep(['no-such-command'])]);
    for (const run of [noFile, unknown]) {
      expect(run.code).not.toBe(0);
      expectNoStackTrace(run.stderr);
    }
    expect(noFile.stderr).toMatch(/missing required argument 'file'/);
    expect(unknown.stderr).toMatch(/unknown command 'no-such-command'/);
  }, SPAWN_TIMEOUT_MS);
});
