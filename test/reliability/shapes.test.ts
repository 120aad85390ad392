/**
 * Catastrophic backtracking and other blow-ups: the known bad shapes (long runs of one character,
 * 'a'.repeat(50000) + '!', runs of spaces, commas, hyphens, digits and their mixes, long tokens
 * without spaces, unclosed and deeply nested HTML tags) go to the extractor and to every exported
 * regex-using function of src/annotate, src/assemble (through assembleEvents) and src/ingest, each
 * group in a child process (shapes-runner.ts) that is killed after a generous timeout: a case that
 * hangs fails the test, naming the case, instead of hanging the suite. Each case must finish and
 * either answer or refuse with an InputError. The times are printed, not asserted (bench/reliability.ts
 * measures them).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/pipeline/extract.js';
import { InputError } from '../../src/core/types.js';
import { readHtml, tagNestingDepth, wrapInSkeleton } from '../../src/ingest/html.js';
import { annotateWeapons } from '../../src/annotate/weapons.js';
import { annotateDates } from '../../src/annotate/dates.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Per group: far above what any case takes on a loaded machine (the slowest group takes ~15 s quiet). */
const KILL_AFTER_MS = 150_000;

interface Line { start?: string; done?: string; ms?: number; error?: string; finished?: boolean }

function runGroup(group: string): Promise<{ lines: Line[]; killed: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'shapes-runner.ts'), group], { cwd: join(here, '..', '..') });
    let out = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Line);
      resolve({ lines, killed, code, stderr });
    });
  });
}

export const CASES: Record<string, number> = {};

describe('bad shapes for regular expressions', { timeout: KILL_AFTER_MS + 30_000 }, () => {
  for (const group of ['extract', 'annotate', 'ingest', 'places']) {
    it(`${group}: every case finishes and answers or refuses cleanly`, async () => {
      const { lines, killed, code, stderr } = await runGroup(group);
      const started = lines.filter((l) => l.start).map((l) => l.start!);
      const done = lines.filter((l) => l.done);
      const hung = started.filter((s) => !done.some((d) => d.done === s));
      expect(hung, `killed after ${KILL_AFTER_MS} ms while running`).toEqual([]);
      expect(killed).toBe(false);
      expect(code, stderr).toBe(0);
      expect(lines.at(-1)?.finished).toBe(true);
      expect(done.filter((d) => d.error).map((d) => `${d.done}: ${d.error}`)).toEqual([]);
      expect(done.length).toBeGreaterThan(30);
      CASES[group] = done.length;
      const slowest = [...done].sort((a, b) => b.ms! - a.ms!).slice(0, 3);
      console.log(`shapes ${group}: ${done.length} cases; slowest ${slowest.map((d) => `${d.done} ${d.ms} ms`).join(', ')}`);
    });
  }
});

describe('regressions found by the shapes', { timeout: 60_000 }, () => {
  it('HTML nested 1,000 <div>s deep is read (Readability is skipped past 150 levels), 20,000 <b>s deep is refused with a reason', () => {
    const text = 'Gunmen killed 5 civilians in Gao on 3 March 2023, officials said.';
    const deep = extractArticle({ html: `<html><body>${'<div>'.repeat(1000)}<p>${text}</p>${'</div>'.repeat(1000)}</body></html>`, published: '2023-03-05' });
    expect(deep.article.text).toBe(text);
    expect(deep.events.length).toBeGreaterThan(0);
    // Inline elements 4,000 deep: under the refusal limit, read by the stack-safe walk (it used to recurse).
    expect(readHtml(`<body>${'<b>'.repeat(4000)}${text}${'</b>'.repeat(4000)}</body>`, 'page').text).toBe(text);
    let err: unknown;
    try {
      extractArticle({ html: `<body>${'<b>'.repeat(20000)}${text}</body>`, published: '2023-03-05' }, 'deep.html');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/^deep\.html: HTML nests its tags more than 5,000 levels deep/);
  });

  it('tag nesting is counted as a parser would: void, self-closed, raw-text elements, comments and implied ends open nothing', () => {
    expect(tagNestingDepth('<div><p>a<p>b<p>c</div>', 100)).toBe(2);
    expect(tagNestingDepth('<ul><li>a<li>b<li>c</ul>', 100)).toBe(2);
    expect(tagNestingDepth('<p>a<br>b<img src=x><hr/><input></p>', 100)).toBe(1);
    expect(tagNestingDepth('<script><div><div><div></script><!-- <div><div> --><b>x</b>', 100)).toBe(1);
    expect(tagNestingDepth('<div>'.repeat(50), 10)).toBe(11);
    expect(tagNestingDepth('a < b and c<d>x', 100)).toBe(1);
    expect(tagNestingDepth('<div><a', 100)).toBe(1); // no ">": no tag
  });

  it('unclosed <head, <body, <html and <!doctype tags do not make the skeleton quadratic, and it keeps what it kept', () => {
    expect(wrapInSkeleton('<!DOCTYPE html><HTML lang=en><Head><title>T</title></HEAD><body class=x><p>a</p></body></html>')).toBe(
      '<!DOCTYPE html><html><head><title>T</title></head><body><p>a</p></body></html>',
    );
    expect(wrapInSkeleton('<p>x</p>')).toBe('<!DOCTYPE html><html><head></head><body><p>x</p></body></html>');
    expect(wrapInSkeleton('<head><meta name=date content=2023-01-01></head><p>x</p>')).toBe('<!DOCTYPE html><html><head><meta name=date content=2023-01-01></head><body><p>x</p></body></html>');
    // "İ" lower-cases to two characters: the </body> found by index must still be the real one.
    expect(wrapInSkeleton('<body><p>İİİ x</p></body><p>after</p>')).toBe('<!DOCTYPE html><html><head></head><body><p>İİİ x</p></body></html>');
    const junk = '<body><p>x</p></body>' + '<head '.repeat(100_000);
    expect(wrapInSkeleton(junk).startsWith('<!DOCTYPE html><html><head></head><body><p>x</p>')).toBe(true);
  });

  it('implied firearms keep their "no"/"not" exception after the look-behind moved behind a word boundary', () => {
    expect(annotateWeapons('The soldiers were ambushed on the road.').map((w) => w.text)).toEqual(['ambushed']);
    expect(annotateWeapons('There were no clashes with the army.')).toEqual([]);
    expect(annotateWeapons('Militants attacked the post.').map((w) => [w.text, w.weapon])).toEqual([['Militants attacked', 'firearms']]);
    expect(annotateWeapons(`x${' '.repeat(50_000)}militants attacked`).map((w) => w.start)).toEqual([50_001]);
  });

  it('dates: a long article is read by chrono in pieces, and no date is lost or moved at the cuts', () => {
    // One chrono refiner matched a "...$" pattern against all the text before each result: quadratic.
    const block = 'On 3 March 2023 gunmen attacked Gao. Two days later, on 5 March, the army said it had retaken the town.\nProtests followed on 12 April 2023 in Mopti.\n';
    const copies = 600; // ~75 KB, cut into pieces of about 4,000 characters
    const text = block.repeat(copies);
    const one = annotateDates(block, '2023-04-20').filter((d) => d.kind !== 'dateline').map((d) => [d.start, d.text, d.date]);
    expect(one.length).toBeGreaterThanOrEqual(3);
    const all = annotateDates(text, '2023-04-20').filter((d) => d.kind !== 'dateline');
    expect(all.length).toBe(one.length * copies);
    all.forEach((d, i) => {
      const [start, t, date] = one[i % one.length]!;
      expect([d.start - Math.floor(i / one.length) * block.length, d.text, d.date]).toEqual([start, t, date]);
    });
    // And one long paragraph without line ends: cut at sentence ends.
    const flat = block.replace(/\n/g, ' ');
    const flatAll = annotateDates(flat.repeat(copies), '2023-04-20').filter((d) => d.kind !== 'dateline');
    expect(flatAll.length).toBe(annotateDates(flat, '2023-04-20').filter((d) => d.kind !== 'dateline').length * copies);
  });
});
