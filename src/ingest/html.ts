/**
 * HTML pages to article text: title, publication date and the main text, one paragraph per line.
 *
 * linkedom parses; @mozilla/readability picks the main content. linkedom builds the tree exactly as
 * written (no implicit <html>/<body>), so the page is first put into a complete skeleton.
 * Text is taken from the DOM by walking it, never by stripping tags from the source, so the contents
 * of <script>/<style> and attribute values (onerror=...) cannot leak into the article text.
 */

import { createRequire } from 'node:module';
import type { Readability as ReadabilityClass } from '@mozilla/readability';
import type { parseHTML as ParseHTML } from 'linkedom';
import { InputError } from '../core/types.js';
import { looseDate } from './dates.js';

const require = createRequire(import.meta.url);

/** linkedom and Readability take a quarter of a second to load: only HTML input pays for them. */
let htmlLibs: { Readability: typeof ReadabilityClass; parseHTML: typeof ParseHTML } | null = null;
function libs(): { Readability: typeof ReadabilityClass; parseHTML: typeof ParseHTML } {
  htmlLibs ??= {
    Readability: (require('@mozilla/readability') as { Readability: typeof ReadabilityClass }).Readability,
    parseHTML: (require('linkedom') as { parseHTML: typeof ParseHTML }).parseHTML,
  };
  return htmlLibs;
}

export interface HtmlArticle {
  title: string | null;
  /** YYYY-MM-DD, or null when the page states no usable date. */
  published: string | null;
  /** The main text, one block (paragraph, heading, list item) per line. */
  text: string;
}

// ---------------------------------------------------------------- the small part of the DOM we use

/** The DOM surface this module relies on (linkedom implements it; the project compiles without lib.dom). */
interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

interface DomElement extends DomNode {
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
}

interface DomDocument {
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  readonly body: DomElement | null;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

function parseDocument(html: string): DomDocument {
  const { document } = libs().parseHTML(wrapInSkeleton(html));
  return document as unknown as DomDocument;
}

/**
 * Rebuilds `<html><head>…</head><body>…</body></html>` around the page's own head and body, because
 * linkedom does not add the elements an HTML5 parser would (a bare fragment has no body at all).
 */
export function wrapInSkeleton(html: string): string {
  const headOpen = findTag(html, 'head', 0);
  const headCloseAt = findTag(html, '/head', 0)?.index ?? -1;
  const bodyOpen = findTag(html, 'body', 0);

  let head = '';
  let body: string;
  if (bodyOpen) {
    const start = bodyOpen.end;
    const end = lastIndexOfTag(html, '</body');
    body = html.slice(start, end > start ? end : html.length);
    if (headOpen && headOpen.index < bodyOpen.index) {
      const headEnd = headCloseAt > headOpen.index && headCloseAt < bodyOpen.index ? headCloseAt : bodyOpen.index;
      head = html.slice(headOpen.end, headEnd);
    }
  } else if (headOpen && headCloseAt > headOpen.index) {
    head = html.slice(headOpen.end, headCloseAt);
    const close = findTag(html, '/head', headCloseAt)!;
    body = html.slice(close.end);
  } else {
    // A fragment: everything is body; <meta>/<title> found there still count as metadata.
    body = html;
  }
  body = removeTags(removeTags(removeTags(body, '!doctype'), 'html'), '/html');
  return `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;
}

/**
 * The first tag `<name ...>` (any case) at or after `from`: its start and the index after its `>`.
 * A tag is the name followed by whitespace, `/` or `>`. Found with a literal search and indexOf,
 * never with a pattern like `<head[^>]*>`, whose scan to the end of the text for each of many
 * unclosed "<head " made 200 KB of them cost seconds (the cost grows with the square of the length).
 */
function findTag(html: string, name: string, from: number): { index: number; end: number } | null {
  const open = new RegExp(`<${name.replace(/[!/]/g, (c) => `\\${c}`)}(?=[\\s/>])`, 'gi');
  open.lastIndex = from;
  const m = open.exec(html);
  if (!m) return null;
  const gt = html.indexOf('>', m.index + m[0].length);
  // No ">" after this tag means none after any later one either.
  return gt < 0 ? null : { index: m.index, end: gt + 1 };
}

/** The text without every `<name ...>` tag (any case). */
function removeTags(html: string, name: string): string {
  let out = '';
  let at = 0;
  for (let tag = findTag(html, name, 0); tag; tag = findTag(html, name, tag.end)) {
    out += html.slice(at, tag.index);
    at = tag.end;
  }
  return at === 0 ? html : out + html.slice(at);
}

/** Where the last `tag` (any case) starts, or -1. Not through toLowerCase(), which can change the text's length ("İ" → "i̇") and so the index. */
function lastIndexOfTag(html: string, tag: string): number {
  const re = new RegExp(tag.replace(/[/]/g, '\\/'), 'gi');
  let last = -1;
  for (let m = re.exec(html); m; m = re.exec(html)) last = m.index;
  return last;
}

// ---------------------------------------------------------------- DOM to lines

/** Elements whose content is never article text. */
const SKIP = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'TITLE', 'META', 'LINK', 'SVG', 'MATH', 'IFRAME',
  'OBJECT', 'EMBED', 'CANVAS', 'AUDIO', 'VIDEO', 'SOURCE', 'PICTURE', 'IMG', 'SELECT', 'OPTION', 'BUTTON',
  'INPUT', 'TEXTAREA',
]);

/** Page chrome, skipped when we fall back to the whole body (readability removes it itself). */
const CHROME = new Set(['NAV', 'ASIDE', 'FOOTER']);

/** Elements that start and end a line of text. */
const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIALOG', 'DIV', 'DL', 'DT',
  'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP',
  'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TFOOT', 'THEAD', 'TR',
  'UL', 'BR',
]);

/** Table cells stay on their row's line, separated by a space. */
const CELL = new Set(['TD', 'TH']);

function isHidden(el: DomElement): boolean {
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== null && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

/**
 * Collects the text under `root`, one line per block element. The walk keeps its own stack instead
 * of recursing, so that a page nesting elements thousands deep cannot overflow the call stack.
 */
export function blocksToLines(root: DomNode, skipChrome = false): string[] {
  const lines: string[] = [];
  let current = '';
  const flush = () => {
    const line = current.replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(line);
    current = '';
  };
  // A frame is a node to enter, or (after its children) an element to leave.
  type Frame = { node: DomNode; inPre: boolean; leave: false } | { leave: true; block: boolean; cell: boolean };
  const stack: Frame[] = [{ node: root, inPre: false, leave: false }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.leave) {
      if (frame.block) flush();
      else if (frame.cell) current += ' ';
      continue;
    }
    const { node, inPre } = frame;
    if (node.nodeType === TEXT_NODE) {
      const data = node.textContent ?? '';
      if (!inPre) {
        current += data;
        continue;
      }
      // Preformatted text keeps its own line breaks.
      const parts = data.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) flush();
        current += part;
      });
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue; // comments, processing instructions
    const el = node as DomElement;
    const tag = el.nodeName.toUpperCase();
    if (SKIP.has(tag) || isHidden(el) || (skipChrome && CHROME.has(tag))) continue;
    const block = BLOCK.has(tag);
    const cell = CELL.has(tag);
    if (block) flush();
    if (cell) current += ' ';
    stack.push({ leave: true, block, cell });
    const children = el.childNodes;
    const pre = inPre || tag === 'PRE';
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push({ node: child, inPre: pre, leave: false });
    }
  }
  flush();
  return lines;
}

/** How deep elements nest under `root` (the root is depth 0), counted without recursion; stops once past `limit`. */
export function elementDepth(root: DomNode, limit: number): number {
  let max = 0;
  const stack: Array<[DomNode, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max > limit) return max;
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child && child.nodeType === ELEMENT_NODE) stack.push([child, depth + 1]);
    }
  }
  return max;
}

/** Elements that never have content (their start tag opens nothing). */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'command', 'basefont', 'frame', 'isindex']);
/** Elements whose content is raw text up to their end tag (no tags inside). */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
/** Elements that a start tag of the same name closes ("<p>a<p>b": two paragraphs, not nested ones). */
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'option', 'tr', 'td', 'th', 'optgroup', 'rb', 'rt', 'rp']);

/**
 * How deep the tags of `html` nest, from the source, before any parsing: the parser's cost grows
 * with the square of the depth (100,000 nested tags take it 20 s), so a page nested too deep is
 * refused before it is parsed. Counts as an HTML parser would for the common cases (void elements,
 * self-closed tags, raw-text elements, comments, a <p> or <li> closing its unclosed sibling); stops
 * once past `limit`. One pass over the text, no regular expression that could backtrack.
 */
export function tagNestingDepth(html: string, limit: number): number {
  const stack: string[] = [];
  let max = 0;
  let i = 0;
  const n = html.length;
  const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    const close = html.charCodeAt(lt + 1) === 47; // '/'
    let j = lt + (close ? 2 : 1);
    const nameStart = j;
    while (j < n && isNameChar(html.charCodeAt(j))) j++;
    if (j === nameStart) {
      i = lt + 1; // "<" that starts no tag: text ("a < b"), "<!doctype", "<?xml"
      continue;
    }
    const name = html.slice(nameStart, j).toLowerCase();
    const gt = html.indexOf('>', j);
    if (gt < 0) break;
    i = gt + 1;
    if (close) {
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    if (VOID.has(name) || html.charCodeAt(gt - 1) === 47) continue;
    if (RAW_TEXT.has(name)) {
      const endTag = new RegExp(`</${name}`, 'gi'); // a literal: found in one linear search
      endTag.lastIndex = i;
      const end = endTag.exec(html);
      if (!end) break;
      i = end.index;
      continue;
    }
    if (SELF_CLOSING_SIBLINGS.has(name) && stack[stack.length - 1] === name) stack.pop();
    stack.push(name);
    if (stack.length > max) {
      max = stack.length;
      if (max > limit) return max;
    }
  }
  return max;
}

/** Pages nesting tags deeper than this are refused (real pages nest a few dozen levels). */
export const MAX_TAG_DEPTH = 5000;

/**
 * Readability's cost grows faster than the square of the nesting depth (1,000 nested <div>s took it
 * 17 s); past this depth the page's own body is read instead, skipping navigation and footers.
 */
export const READABILITY_MAX_DEPTH = 150;

// ---------------------------------------------------------------- metadata

/** Meta tags keyed by lower-cased property / name / itemprop; the first value of each key wins. */
function metaValues(doc: DomDocument): Map<string, string> {
  const values = new Map<string, string>();
  const metas = doc.querySelectorAll('meta');
  for (let i = 0; i < metas.length; i++) {
    const meta = metas[i];
    if (!meta) continue;
    const content = meta.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['property', 'name', 'itemprop']) {
      const key = meta.getAttribute(attr)?.trim().toLowerCase();
      if (key && !values.has(key)) values.set(key, content);
    }
  }
  return values;
}

function collapse(text: string | null | undefined): string | null {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

function titleOf(doc: DomDocument, meta: Map<string, string>): string | null {
  return (
    collapse(meta.get('og:title')) ??
    collapse(meta.get('title')) ??
    collapse(doc.querySelectorAll('title')[0]?.textContent)
  );
}

/** Meta keys for the publication date, most specific first. */
const DATE_META_KEYS = ['article:published_time', 'date', 'pubdate', 'datepublished', 'dc.date.issued'];

function publishedOf(doc: DomDocument, meta: Map<string, string>): string | null {
  for (const key of DATE_META_KEYS) {
    const value = meta.get(key);
    const date = value === undefined ? null : looseDate(value);
    if (date) return date;
  }
  // itemprop="datePublished" on a non-meta element (<time itemprop="datePublished" datetime="...">).
  const itemprops = doc.querySelectorAll('[itemprop="datePublished"]');
  for (let i = 0; i < itemprops.length; i++) {
    const el = itemprops[i];
    const value = el?.getAttribute('datetime') ?? el?.getAttribute('content') ?? el?.textContent;
    const date = value ? looseDate(value) : null;
    if (date) return date;
  }
  const fromJsonLd = jsonLdDate(doc);
  if (fromJsonLd) return fromJsonLd;
  const times = doc.querySelectorAll('time[datetime]');
  for (let i = 0; i < times.length; i++) {
    const value = times[i]?.getAttribute('datetime');
    const date = value ? looseDate(value) : null;
    if (date) return date;
  }
  return null;
}

function jsonLdDate(doc: DomDocument): string | null {
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    let data: unknown;
    try {
      data = JSON.parse(scripts[i]?.textContent ?? '');
    } catch {
      continue; // sites ship broken JSON-LD; the other sources may still give a date
    }
    const value = findKey(data, 'datePublished', 0);
    const date = value === null ? null : looseDate(value);
    if (date) return date;
  }
  return null;
}

/** The first string value of `key` anywhere in a JSON value (JSON-LD nests it under @graph, arrays, ...). */
function findKey(value: unknown, key: string, depth: number): string | null {
  if (depth > 8 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findKey(item, key, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  const direct = record[key];
  if (typeof direct === 'string') return direct;
  for (const child of Object.values(record)) {
    const found = findKey(child, key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

// ---------------------------------------------------------------- main text

/** Readability's pick of the main content, as lines; null when it finds nothing. */
function readabilityLines(html: string): { title: string | null; lines: string[] } | null {
  const doc = parseDocument(html);
  // The serializer hands back the content element itself, so we can walk it instead of re-parsing HTML.
  const reader = new (libs().Readability)<DomNode>(doc, { serializer: (node) => node as unknown as DomNode });
  const result = reader.parse();
  if (!result?.content) return null;
  return { title: collapse(result.title), lines: blocksToLines(result.content) };
}

export function readHtml(html: string, name: string): HtmlArticle {
  const depth = tagNestingDepth(html, MAX_TAG_DEPTH);
  if (depth > MAX_TAG_DEPTH) throw new InputError(name, `HTML nests its tags more than ${MAX_TAG_DEPTH.toLocaleString('en-US')} levels deep; such pages are refused`);
  // Metadata first, from an untouched tree: readability removes <script> (JSON-LD) and rewrites the page.
  const doc = parseDocument(html);
  const meta = metaValues(doc);
  let title = titleOf(doc, meta);
  const published = publishedOf(doc, meta);

  const picked = doc.body && elementDepth(doc.body, READABILITY_MAX_DEPTH) > READABILITY_MAX_DEPTH ? null : readabilityLines(html);
  title ??= picked?.title ?? null;
  let lines = picked?.lines ?? [];
  if (lines.length === 0 && doc.body) lines = blocksToLines(doc.body, true);
  if (lines.length === 0) throw new InputError(name, 'HTML contains no readable text');
  return { title, published, text: lines.join('\n') };
}
