import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/types.js';
import { parseJsonl } from '../../src/ingest/json.js';
import {
  MAX_ARTICLE_BYTES,
  detectFormat,
  firstInvalidUtf8,
  readArticleBuffer,
  readArticleFile,
  readStdin,
  stableArticleId,
  toArticle,
} from '../../src/ingest/read.js';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const STORY = 'Two soldiers were killed when their vehicle hit a landmine near the border on Sunday, the army said.';

describe('readArticleFile: refusals name the file and the problem', () => {
  it('refuses a missing file', () => {
    const path = join(dir, 'nope.txt');
    expect(() => readArticleFile(path, {})).toThrow(new InputError(path, 'file not found'));
  });

  it('refuses a directory', () => {
    expect(() => readArticleFile(dir, {})).toThrow(`${dir}: is a directory`);
  });

  it('refuses an empty file, and one with only whitespace', () => {
    const empty = file('empty.txt', '');
    expect(() => readArticleFile(empty, {})).toThrow(`${empty}: file is empty`);
    const blank = file('blank.txt', ' \n\n\t\n');
    expect(() => readArticleFile(blank, {})).toThrow(`${blank}: file is empty`);
  });

  it('refuses a binary file', () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    const bin = file('image.png', bytes);
    expect(() => readArticleFile(bin, {})).toThrow(`${bin}: looks like a binary file, not text`);
  });

  it('refuses text with too many control characters even without NUL bytes', () => {
    const noisy = Buffer.from('ab\u0001\u0002\u0003\u0004cd'.repeat(50), 'latin1');
    expect(() => readArticleBuffer(noisy, 'noisy.txt')).toThrow('noisy.txt: looks like a binary file, not text');
  });

  it('refuses invalid UTF-8 and says where the first bad byte is', () => {
    const bytes = Buffer.concat([Buffer.from('Caf\u00e9 in Bamako: ', 'utf8'), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from(' closed.')]);
    const offset = Buffer.byteLength('Caf\u00e9 in Bamako: ', 'utf8');
    const path = file('latin1.txt', bytes);
    expect(() => readArticleFile(path, {})).toThrow(`${path}: is not valid UTF-8 text (first bad byte at offset ${offset})`);
  });

  it('refuses a 20 MB text before reading it', () => {
    const big = file('big.txt', Buffer.alloc(20 * 1024 * 1024, 'word '));
    expect(() => readArticleFile(big, {})).toThrow(`${big}: is 20.0 MB; articles larger than 5 MB are refused`);
  });

  it('refuses a buffer over the limit too (stdin)', () => {
    expect(() => readArticleBuffer(Buffer.alloc(MAX_ARTICLE_BYTES + 1, 'a'), 'stdin')).toThrow(
      'stdin: is 5.0 MB; articles larger than 5 MB are refused',
    );
  });

  it('refuses an HTML page that is only scripts', () => {
    const html = file(
      'scripts.html',
      '<!doctype html><html><head><script src="a.js"></script><script>var t = "Breaking news text";</script></head>' +
        '<body><script>render("more text")</script><style>.c{}</style><noscript>Please enable JavaScript</noscript></body></html>',
    );
    expect(() => readArticleFile(html, {})).toThrow(`${html}: HTML contains no readable text`);
  });

  it('refuses a text that is only boilerplate', () => {
    const path = file('ads.txt', '[ad_1]\nAdvertisement\nSource link\n');
    expect(() => readArticleFile(path, {})).toThrow(
      `${path}: no text left after cleaning (the article is empty or only boilerplate)`,
    );
  });

  it('refuses JSON with a missing or wrongly typed field', () => {
    const missing = file('missing.json', JSON.stringify({ id: 'x', title: 'T' }));
    expect(() => readArticleFile(missing, {})).toThrow(`${missing}: missing "text" or "html"`);
    const wrong = file('wrong.json', JSON.stringify({ text: ['a'] }));
    expect(() => readArticleFile(wrong, {})).toThrow(`${wrong}: field "text" must be a string, got array`);
    const date = file('date.json', JSON.stringify({ text: STORY, published: 'last week' }));
    expect(() => readArticleFile(date, {})).toThrow(`${date}: "published" is not a date (YYYY-MM-DD): "last week"`);
  });

  it('refuses a .json file that is not JSON', () => {
    const path = file('bad.json', '{"text": "unterminated');
    expect(() => readArticleFile(path, {})).toThrow(/bad\.json: is not valid JSON \(.+\)$/);
  });

  it('points a JSONL feed to --jsonl', () => {
    const path = file('feed.jsonl', `{"text":"A."}\n{"text":"B."}\n`);
    expect(() => readArticleFile(path, {})).toThrow('looks like JSONL');
    const unnamed = file('feed.txt', `{"text":"A."}\n{"text":"B."}\n`);
    expect(() => readArticleFile(unnamed, {})).toThrow('looks like JSONL');
  });

  it('refuses a bad --published option', () => {
    const path = file('story.txt', STORY);
    expect(() => readArticleFile(path, { published: '2023-02-31' })).toThrow(
      `${path}: --published is not a real calendar date: "2023-02-31"`,
    );
  });
});

describe('readArticleFile: formats', () => {
  it('reads plain text, cleans it and gives a stable id', () => {
    const path = file('story.txt', `[ad_1]\r\n${STORY}\r\nRead also: Something else\r\n`);
    const article = readArticleFile(path, {});
    expect(article).toEqual({
      id: stableArticleId(STORY),
      title: null,
      url: null,
      published: null,
      text: STORY,
      removed: ['[ad_1]', 'Read also: Something else'],
      source: path,
    });
    expect(article.id).toMatch(/^a-[0-9a-f]{16}$/);
    expect(readArticleFile(path, {}).id).toBe(article.id);
  });

  it('reads HTML with its metadata, and options override it', () => {
    const html =
      '<html><head><meta property="og:title" content="Landmine kills two"><meta name="date" content="2023-03-05"></head>' +
      `<body><article><p>${STORY}</p><p>Advertisement</p><p>The area was sealed off.</p></article></body></html>`;
    const path = file('page.htm', html);
    const fromFile = readArticleFile(path, {});
    expect(fromFile.title).toBe('Landmine kills two');
    expect(fromFile.published).toBe('2023-03-05');
    expect(fromFile.text).toBe(`${STORY}\nThe area was sealed off.`);
    expect(fromFile.removed).toEqual(['Advertisement']);

    const overridden = readArticleFile(path, { published: '2023-03-06T10:00:00Z', title: 'Given', url: 'https://example.org/x' });
    expect(overridden).toMatchObject({ published: '2023-03-06', title: 'Given', url: 'https://example.org/x' });
  });

  it('recognises HTML by its content without an extension', () => {
    const article = readArticleBuffer(Buffer.from(`<div><p>${STORY}</p><p>Second paragraph.</p></div>`), 'stdin');
    expect(article.text).toBe(`${STORY}\nSecond paragraph.`);
    expect(article.source).toBe('stdin');
  });

  it('reads a JSON article with text or html', () => {
    const withText = file('a.json', JSON.stringify({ id: 'story-1', text: STORY, published: '2023-01-12', url: 'https://e.x/1' }));
    expect(readArticleFile(withText, {})).toMatchObject({ id: 'story-1', text: STORY, published: '2023-01-12', url: 'https://e.x/1' });
    const withHtml = file('b.txt', JSON.stringify({ html: `<title>Page title</title><p>${STORY}</p>` }));
    expect(readArticleFile(withHtml, {})).toMatchObject({ title: 'Page title', text: STORY });
  });

  it('reads text that merely starts with "{" as text', () => {
    const path = file('brace.txt', `{Update} ${STORY}`);
    expect(readArticleFile(path, {}).text).toBe(`{Update} ${STORY}`);
  });

  it('reads UTF-16 text with a byte-order mark', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(STORY, 'utf16le')]);
    expect(readArticleBuffer(utf16, 'word.txt').text).toBe(STORY);
  });

  it('strips a UTF-8 byte-order mark', () => {
    expect(readArticleBuffer(Buffer.from(`\ufeff${STORY}`, 'utf8'), 'bom.txt').text).toBe(STORY);
  });
});

describe('detectFormat', () => {
  it('detects each format', () => {
    expect(detectFormat('{"text":"a"}', 'x').format).toBe('json');
    expect(detectFormat('<!DOCTYPE html><html></html>', 'x').format).toBe('html');
    expect(detectFormat('Plain words about a <p> tag? No: words.', 'x.txt').format).toBe('html');
    expect(detectFormat('Plain words.', 'x.html').format).toBe('html');
    expect(detectFormat('Plain words, 3 < 4 and 5 > 2.', 'x.txt').format).toBe('text');
  });
});

describe('toArticle', () => {
  it('keeps the given id and validates like JSON input', () => {
    expect(toArticle({ id: 'given', text: STORY }, 'n').id).toBe('given');
    expect(() => toArticle({}, 'n')).toThrow('n: missing "text" or "html"');
  });

  it('refuses text over the size limit', () => {
    const text = 'a'.repeat(MAX_ARTICLE_BYTES + 10);
    expect(() => toArticle({ text }, 'line 2 of f.jsonl')).toThrow(
      'line 2 of f.jsonl: the text is 5.0 MB; articles larger than 5 MB are refused',
    );
  });

  it('refuses an article that is empty after cleaning', () => {
    expect(() => toArticle({ text: '[ad_1]\n\n' }, 'n')).toThrow(
      'n: no text left after cleaning (the article is empty or only boilerplate)',
    );
  });
});

describe('JSONL file with a broken line', () => {
  it('still reads every good line', () => {
    const path = file(
      'feed.jsonl',
      [
        JSON.stringify({ id: 'one', text: STORY }),
        '{"id": "two", "text": ',
        JSON.stringify({ id: 'three', html: `<p>${STORY}</p>` }),
        JSON.stringify({ id: 'four', text: 12 }),
        JSON.stringify({ text: `Read also: X\n${STORY}` }),
      ].join('\n'),
    );
    const results = [...parseJsonl(readFileSync(path, 'utf8'), path)].map((line) => {
      if (!line.input) return { id: line.id, error: line.error };
      try {
        return { id: line.id, article: toArticle(line.input, line.input.source ?? line.id) };
      } catch (err) {
        return { id: line.id, error: (err as Error).message };
      }
    });
    expect(results.map((r) => r.id)).toEqual(['one', 'line-2', 'three', 'four', 'line-5']);
    expect(results[1]?.error).toMatch(/^line 2: invalid JSON/);
    expect(results[3]?.error).toBe('line 4: field "text" must be a string, got number');
    for (const i of [0, 2, 4]) expect(results[i]?.article?.text).toBe(STORY);
    expect(results[4]?.article?.removed).toEqual(['Read also: X']);
    expect(results[4]?.article?.source).toBe(`line 5 of ${path}`);
  });
});

describe('byte helpers', () => {
  it('finds the first invalid UTF-8 byte', () => {
    expect(firstInvalidUtf8(Buffer.from('plain \u00e9\u4e2d\u{1f600}', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2); // surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // truncated
    expect(firstInvalidUtf8(Buffer.from([0x80]))).toBe(0); // stray continuation
  });

  it('reads all of a stream', async () => {
    const buf = await readStdin(Readable.from([Buffer.from('ab'), 'cd']));
    expect(buf.toString('utf8')).toBe('abcd');
  });
});
