import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/types.js';
import { parseArticleJson, parseJsonl, validatePublished } from '../../src/ingest/json.js';

/** The InputError that `fn` throws. */
function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('parseArticleJson: accepted shapes', () => {
  it('keeps the known fields and ignores others', () => {
    const input = parseArticleJson(
      { id: 'a1', text: 'Body.', published: '2023-01-12', url: 'https://example.com/a', title: 'T', extra: 1 },
      'in.json',
    );
    expect(input).toEqual({ id: 'a1', text: 'Body.', published: '2023-01-12', url: 'https://example.com/a', title: 'T' });
  });

  it('accepts a numeric id as a string', () => {
    expect(parseArticleJson({ id: 42, text: 'Body.' }, 'x').id).toBe('42');
  });

  it('takes html when there is no text', () => {
    expect(parseArticleJson({ html: '<p>Body.</p>' }, 'x')).toEqual({ html: '<p>Body.</p>' });
  });

  it('lets text win when both are given', () => {
    expect(parseArticleJson({ text: 'Body.', html: '<p>Other.</p>' }, 'x')).toEqual({ text: 'Body.' });
  });

  it('uses html when the text is blank', () => {
    expect(parseArticleJson({ text: '  ', html: '<p>Other.</p>' }, 'x')).toEqual({ html: '<p>Other.</p>' });
  });

  it('cuts an ISO timestamp to its date', () => {
    expect(parseArticleJson({ text: 'B', published: '2023-01-12T23:10:00+01:00' }, 'x').published).toBe('2023-01-12');
    expect(parseArticleJson({ text: 'B', published: '2023-01-12T23:10:00.123Z' }, 'x').published).toBe('2023-01-12');
  });

  it('treats null optional fields as absent', () => {
    expect(parseArticleJson({ text: 'B', url: null, title: null, published: null, id: null }, 'x')).toEqual({ text: 'B' });
  });
});

describe('parseArticleJson: every validation error', () => {
  const cases: Array<[value: unknown, reason: string]> = [
    [null, 'expected a JSON object with "text" or "html", got null'],
    [[1, 2], 'expected a JSON object with "text" or "html", got array'],
    ['text', 'expected a JSON object with "text" or "html", got string'],
    [{}, 'missing "text" or "html"'],
    [{ id: 'a', title: 'only a title' }, 'missing "text" or "html"'],
    [{ text: 42 }, 'field "text" must be a string, got number'],
    [{ html: ['<p>'] }, 'field "html" must be a string, got array'],
    [{ text: 'B', html: 7 }, 'field "html" must be a string, got number'],
    [{ text: 'B', url: {} }, 'field "url" must be a string, got object'],
    [{ text: 'B', title: true }, 'field "title" must be a string, got boolean'],
    [{ text: 'B', published: 20230112 }, 'field "published" must be a string, got number'],
    [{ text: 'B', id: true }, 'field "id" must be a string or a number, got boolean'],
    [{ text: 'B', id: '  ' }, 'field "id" is empty'],
    [{ text: 'B', published: 'yesterday' }, '"published" is not a date (YYYY-MM-DD): "yesterday"'],
    [{ text: 'B', published: '12/01/2023' }, '"published" is not a date (YYYY-MM-DD): "12/01/2023"'],
    [{ text: 'B', published: '2023-02-30' }, '"published" is not a real calendar date: "2023-02-30"'],
    [{ text: 'B', published: '2023-13-01T00:00:00Z' }, '"published" is not a real calendar date: "2023-13-01T00:00:00Z"'],
  ];

  it.each(cases)('%j → %s', (value, reason) => {
    const err = errorOf(() => parseArticleJson(value, 'feed.json'));
    expect(err.input).toBe('feed.json');
    expect(err.reason).toBe(reason);
    expect(err.message).toBe(`feed.json: ${reason}`);
  });
});

describe('validatePublished', () => {
  it('names the option in its message', () => {
    expect(errorOf(() => validatePublished('soon', '--published', 'a.txt')).message).toBe(
      'a.txt: --published is not a date (YYYY-MM-DD): "soon"',
    );
  });

  it('accepts a leap day only in a leap year', () => {
    expect(validatePublished('2024-02-29', '--published', 'a')).toBe('2024-02-29');
    expect(() => validatePublished('2023-02-29', '--published', 'a')).toThrow('not a real calendar date');
  });
});

describe('parseJsonl', () => {
  const content = [
    '{"id":"first","text":"One.","published":"2023-01-12"}',
    '',
    '{"id":"broken","text":"Two."',
    '   ',
    '{"text":"No id."}',
    '{"id":"bad-type","text":5}',
    '{"id":7,"html":"<p>Seven.</p>"}',
    '[1,2]',
    '{"text":"Last, with a CRLF."}\r',
  ].join('\n');
  const lines = [...parseJsonl(content, 'feed.jsonl')];

  it('yields one result per non-blank line with its line number', () => {
    expect(lines.map((l) => l.line)).toEqual([1, 3, 5, 6, 7, 8, 9]);
  });

  it('parses every good line, whatever the bad lines around it', () => {
    const good = lines.filter((l) => l.input);
    expect(good.map((l) => l.id)).toEqual(['first', 'line-5', '7', 'line-9']);
    expect(good[0]?.input).toEqual({ id: 'first', text: 'One.', published: '2023-01-12', source: 'line 1 of feed.jsonl' });
    expect(good[2]?.input?.html).toBe('<p>Seven.</p>');
    expect(good[3]?.input?.text).toBe('Last, with a CRLF.');
  });

  it('reports invalid JSON with the line number and the parser message', () => {
    const broken = lines.find((l) => l.line === 3);
    expect(broken?.id).toBe('line-3');
    expect(broken?.input).toBeUndefined();
    expect(broken?.error).toMatch(/^line 3: invalid JSON \(.+\)$/);
  });

  it('keeps the line id when another field is wrong', () => {
    expect(lines.find((l) => l.line === 6)).toEqual({ line: 6, id: 'bad-type', error: 'line 6: field "text" must be a string, got number' });
  });

  it('reports a line that is not an object', () => {
    expect(lines.find((l) => l.line === 8)?.error).toBe('line 8: expected a JSON object with "text" or "html", got array');
  });

  it('ignores a byte-order mark and yields nothing for blank input', () => {
    expect([...parseJsonl('\ufeff{"text":"A"}', 'f')].map((l) => l.input?.text)).toEqual(['A']);
    expect([...parseJsonl('\n \n', 'f')]).toEqual([]);
  });
});
