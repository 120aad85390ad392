/**
 * Child process of shapes.test.ts: feeds the known bad shapes for backtracking regular expressions
 * to one group of functions and prints one JSON line per case, `{"start": name}` before it and
 * `{"done": name, "ms": n, "error"?: "..."}` after, so that a case that hangs is named by the parent
 * that kills this process. Run with `node --import tsx shapes-runner.ts GROUP [SIZE]`.
 */
import { InputError } from '../../src/core/types.js';
import { annotateActors } from '../../src/annotate/actors.js';
import { annotateAttributions } from '../../src/annotate/attribution.js';
import { annotateDates } from '../../src/annotate/dates.js';
import { annotatePlaces, isUpperCaseText, wordTokens } from '../../src/annotate/places.js';
import { annotateQuantities, isPersonNoun, isPersonSingular } from '../../src/annotate/quantities.js';
import { isHardWrapped, splitSentences } from '../../src/annotate/sentences.js';
import { annotateTriggers } from '../../src/annotate/triggers.js';
import { annotateWeapons } from '../../src/annotate/weapons.js';
import { assembleEvents } from '../../src/assemble/index.js';
import { boilerplateKind, cleanText } from '../../src/ingest/clean.js';
import { looksLikeIsoDate, looseDate, strictDate } from '../../src/ingest/dates.js';
import { looksLikeFeed, readFeed } from '../../src/ingest/feed.js';
import { readHtml, tagNestingDepth, wrapInSkeleton } from '../../src/ingest/html.js';
import { parseJsonl, readJsonlLine } from '../../src/ingest/json.js';
import { decodeText, detectFormat, firstInvalidUtf8, looksBinary, toArticle } from '../../src/ingest/read.js';
import { annotate, extractArticle } from '../../src/pipeline/extract.js';
import { badShapes } from './generate.js';

type Fn = (s: string) => unknown;

const published = '2023-03-05';
const article = (s: string) => toArticle({ text: s, published }, 'shape');

export const GROUPS: Record<string, Record<string, Fn>> = {
  extract: {
    'extractArticle(text)': (s) => extractArticle({ text: s, published }, 'shape'),
    'extractArticle(html)': (s) => extractArticle({ html: s, published }, 'shape'),
  },
  annotate: {
    splitSentences, isHardWrapped, annotateQuantities, annotateActors, annotateTriggers, annotateWeapons, annotateAttributions,
    annotateDates: (s) => annotateDates(s, published),
    isPersonNoun, isPersonSingular,
    'assembleEvents(no geo)': (s) => assembleEvents(annotate(article(s), { geoparse: false }), { geoparse: false }),
  },
  places: { annotatePlaces, wordTokens, isUpperCaseText },
  ingest: {
    cleanText, boilerplateKind, looseDate, strictDate, looksLikeIsoDate, looksLikeFeed,
    'readFeed': (s) => readFeed(`<?xml version="1.0"?><rss><channel><title>t</title><item><title>${s}</title><description>${s}</description></item></channel></rss>`, 'shape'),
    wrapInSkeleton,
    'tagNestingDepth': (s) => tagNestingDepth(s, 5000),
    'readHtml(raw)': (s) => readHtml(s, 'shape'),
    'readHtml(tags)': (s) => readHtml(`<head><title>${s}</title></head><body><div><p>${s}</p></div></body>`, 'shape'),
    'parseJsonl': (s) => [...parseJsonl(`${JSON.stringify({ text: s })}\n${s}\n`, 'shape')],
    'readJsonlLine': (s) => readJsonlLine(s, 1, 'shape'),
    'detectFormat': (s) => detectFormat(s, 'shape'),
    'decodeText': (s) => decodeText(Buffer.from(s, 'utf8'), 'shape'),
    'looksBinary': (s) => looksBinary(Buffer.from(s, 'utf8')),
    'firstInvalidUtf8': (s) => firstInvalidUtf8(Buffer.from(s, 'utf8')),
    'toArticle': (s) => toArticle({ text: s }, 'shape'),
  },
};

/** Shapes that matter for HTML readers only, added to the ingest group. */
export function htmlShapes(n: number): Record<string, string> {
  const rep = (unit: string) => unit.repeat(Math.ceil(n / unit.length));
  return {
    'unclosed <head ': '<body>x</body>' + rep('<head '),
    'unclosed <body ': rep('<body '),
    'unclosed <!doctype': '<p>x</p>' + rep('<!doctype'),
    'unclosed <html ': '<p>x</p>' + rep('<html '),
    'many <a': '<p>x</p>' + rep('<a'),
    'unclosed comments': '<p>x</p>' + rep('<!--'),
    'nested divs': `${rep('<div>').slice(0, n / 2)}text${rep('</div>').slice(0, n / 2)}`,
    'nested inline': `${rep('<b>')}text`,
    'unclosed paragraphs': rep('<p>x '),
    'style attributes': `<p>x</p>${rep('<div style="display:')}`,
    'many scripts': rep('<script>x</script><SCRIPT>'),
  };
}

const group = process.argv[2] ?? '';
const size = Number(process.argv[3] ?? 50_000);
const fns = GROUPS[group];
if (!fns) {
  process.stderr.write(`shapes-runner: no group ${group}\n`);
  process.exit(2);
}
const textShapes = badShapes(size);
const pageShapes = htmlShapes(size);
const write = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
for (const [fname, fn] of Object.entries(fns)) {
  // The extractor reads the text shapes as text and the HTML ones as pages; the ingest functions get both.
  const shapes = group === 'extract' ? (fname.includes('html') ? pageShapes : textShapes) : group === 'ingest' ? { ...textShapes, ...pageShapes } : textShapes;
  for (const [sname, shape] of Object.entries(shapes)) {
    const name = `${fname} × ${sname}`;
    write({ start: name });
    const t0 = performance.now();
    let error: string | undefined;
    try {
      fn(shape);
    } catch (err) {
      // A refusal naming the input is an answer; anything else is a crash.
      if (!(err instanceof InputError)) error = `${(err as Error).name}: ${(err as Error).message}`;
    }
    write({ done: name, ms: Math.round(performance.now() - t0), ...(error ? { error } : {}) });
  }
}
write({ finished: true });
