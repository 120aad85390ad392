/**
 * Property tests over the extractor's public entry (`extractArticle`, what `sitrep extract` runs for
 * a JSON article): whatever the text, it returns a result or refuses with an InputError naming the
 * input; it never throws anything else; and every span in the result points inside `article.text`
 * with its `text` equal to the slice it names (claims; evidence offsets; and every mention the
 * annotators made, checked on the Doc that `annotate` builds for the same article).
 *
 * Case counts are sized for a loaded two-core machine (the whole folder stays under ~3 minutes);
 * FUZZ_RUNS multiplies them for a longer hunt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, type ArticleInput } from '../../src/core/types.js';
import { annotate, extractArticle } from '../../src/pipeline/extract.js';
import { toArticle } from '../../src/ingest/read.js';
import { article, mutate, rng, sentence, spanProblems } from './generate.js';

const SCALE = Number(process.env['FUZZ_RUNS'] ?? 1);
export const RUNS = {
  unicode: Math.round(300 * SCALE),
  numbers: Math.round(300 * SCALE),
  whitespace: Math.round(300 * SCALE),
  mutations: Math.round(600 * SCALE),
  fields: Math.round(300 * SCALE),
  html: Math.round(100 * SCALE),
};

/** Runs the extractor; returns the span problems, or 'refused' for an InputError. Anything else throws. */
function run(input: ArticleInput): string[] | 'refused' {
  let result;
  try {
    result = extractArticle(input, 'fuzz');
  } catch (err) {
    if (err instanceof InputError) {
      expect(err.message.startsWith('fuzz: ')).toBe(true);
      return 'refused';
    }
    throw err;
  }
  const doc = annotate(toArticle(input, 'fuzz'));
  expect(doc.text).toBe(result.article.text);
  return spanProblems(result, doc);
}

const ok = (input: ArticleInput) => {
  const r = run(input);
  if (r !== 'refused') expect(r).toEqual([]);
};

/** Any code point, lone surrogates included (JSON input can carry them as \ud800 escapes). */
const anyChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 3, arbitrary: fc.constantFrom(' ', '\n', '\t', '.', ',', '-', '(', ')', '"', "'", '\u00a0', '\u200b', '\u202e', '\u0301', '—') },
);
const unicodeText = fc.array(anyChar, { maxLength: 400 }).map((cs) => cs.join(''));
const templateSentence = fc.integer().map((seed) => sentence(rng(seed)));

/** Generous: the cases are small, but a loaded machine can be several times slower than a quiet one. */
const TIMEOUT = 180_000 * Math.max(1, SCALE);

describe('fuzzing the extractor', { timeout: TIMEOUT }, () => {
  it(`arbitrary Unicode, alone and around news sentences (${RUNS.unicode} cases)`, () => {
    fc.assert(
      fc.property(unicodeText, templateSentence, unicodeText, fc.boolean(), (a, s, b, alone) => ok({ text: alone ? a : `${a} ${s} ${b}`, published: '2023-03-01' })),
      { numRuns: RUNS.unicode },
    );
  });

  it(`huge, tiny and malformed numbers in casualty sentences (${RUNS.numbers} cases)`, () => {
    const number = fc.oneof(
      fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
      fc.double().map(String),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((n) => n.toLocaleString('en-US')),
      fc.stringMatching(/^[0-9][0-9,. ]{0,30}$/),
      fc.constantFrom('1e308', '9'.repeat(400), '0x1F', '-0', 'NaN', '١٢', '一百', '½', '10⁹'),
    );
    const shape = fc.constantFrom(
      (n: string) => `At least ${n} people were killed in Gao on 3 March 2023, officials said.`,
      (n: string) => `Gunmen killed ${n} civilians and wounded ${n} others near Mopti.`,
      (n: string) => `Between ${n} and ${n} soldiers died, according to the army.`,
      (n: string) => `The toll rose to ${n}, up from ${n} on ${n} March ${n}.`,
      (n: string) => `${n} ${n} ${n} killed ${n}`,
    );
    fc.assert(fc.property(shape, number, (f, n) => ok({ text: f(n), published: '2023-03-05' })), { numRuns: RUNS.numbers });
  });

  it(`pathological whitespace and punctuation (${RUNS.whitespace} cases)`, () => {
    const junk = fc.array(fc.constantFrom(' ', '  ', '\n', '\r\n', '\t', '\u00a0', '\u3000', '\u2028', '\f', '.', ',', ';', ':', '!', '?', '-', '–', '—', '…', '(', ')', '[', ']', '"', "'", '«', '»', '/', '\\', '*', '#'), { maxLength: 300 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(junk, templateSentence, junk, templateSentence, junk, (a, s, b, t, c) => ok({ text: a + s + b + t + c, published: '2023-03-05' })),
      { numRuns: RUNS.whitespace },
    );
  });

  it(`mutations of news-style articles (${RUNS.mutations} cases)`, () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), (seed, times, sentences) => {
        const r = rng(seed);
        ok({ text: mutate(article(r, sentences), r, times), published: '2022-11-20' });
      }),
      { numRuns: RUNS.mutations },
    );
  });

  it(`arbitrary id, title, url and published fields (${RUNS.fields} cases)`, () => {
    const field = fc.oneof(unicodeText, fc.constant(''), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(field, field, field, fc.oneof(field, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), templateSentence, (id, title, url, published, s) => {
        ok({ id, title, url, published, text: s });
      }),
      { numRuns: RUNS.fields },
    );
  });

  it(`deeply nested and broken HTML through the HTML reader (${RUNS.html} cases)`, () => {
    const TAGS = ['div', 'span', 'b', 'i', 'p', 'section', 'article', 'table', 'tr', 'td', 'ul', 'li', 'a', 'font', 'blockquote', 'pre', 'script', 'style', 'nav', 'main'];
    const page = fc.record({
      depth: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 40, max: 7000 })),
      tags: fc.array(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 6 }),
      closed: fc.boolean(),
      attrs: fc.constantFrom('', ' class="content"', ' hidden', ' style="display:none"', ' id=x onclick="alert(1)"', ' data-x=">"'),
      seed: fc.integer(),
      noise: fc.array(fc.constantFrom('<br>', '<!-- c -->', '<!--', '<', '>', '&amp;', '&#0;', '&#x1F600;', '</div>', '<p>', '<script>var a="</p>";</script>', '<img src=x onerror=alert(1)>'), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(page, ({ depth, tags, closed, attrs, seed, noise }) => {
        const r = rng(seed);
        const open = Array.from({ length: depth }, (_, i) => `<${tags[i % tags.length]}${attrs}>`).join('');
        const close = closed ? Array.from({ length: depth }, (_, i) => `</${tags[(depth - 1 - i) % tags.length]}>`).join('') : '';
        const body = article(r, 3).split('\n\n').map((p) => `<p>${p}</p>${noise.join('')}`).join('');
        ok({ html: `<html><head><title>${sentence(r)}</title></head><body>${open}${body}${close}</body></html>`, published: '2023-01-01' });
      }),
      { numRuns: RUNS.html },
    );
  });

  it('refuses what it cannot read with an InputError naming the input, never a crash', () => {
    expect(run({ text: '' })).toBe('refused');
    expect(run({ text: ' \n\t ' })).toBe('refused');
    expect(run({ text: 'Advertisement' })).toBe('refused');
    expect(run({ text: 'x'.repeat(6 * 1024 * 1024) })).toBe('refused');
    expect(run({ text: 'Gunmen killed 5 people in Gao.', published: 'not a date' })).toBe('refused');
    // A span checker that cannot fail proves nothing: it does flag a span that names the wrong slice.
    const result = extractArticle({ text: 'Gunmen killed 5 civilians in Gao on 3 March 2023, officials said.', published: '2023-03-05' });
    expect(result.events.length).toBeGreaterThan(0);
    expect(result.events[0]!.claims.length).toBeGreaterThan(0);
    result.events[0]!.claims[0]!.start += 1;
    expect(spanProblems(result)).not.toEqual([]);
  });
});
