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
  const headOpen = /<head(?:\s[^>]*)?>/i.exec(html);
  const headCloseAt = html.search(/<\/head\s*>/i);
  const bodyOpen = /<body(?:\s[^>]*)?>/i.exec(html);

  let head = '';
  let body: string;
  if (bodyOpen) {
    const start = bodyOpen.index + bodyOpen[0].length;
    const end = lastIndexOfTag(html, '</body');
    body = html.slice(start, end > start ? end : html.length);
    if (headOpen && headOpen.index < bodyOpen.index) {
      const headEnd = headCloseAt > headOpen.index && headCloseAt < bodyOpen.index ? headCloseAt : bodyOpen.index;
      head = html.slice(headOpen.index + headOpen[0].length, headEnd);
    }
  } else if (headOpen && headCloseAt > headOpen.index) {
    head = html.slice(headOpen.index + headOpen[0].length, headCloseAt);
    body = html.slice(headCloseAt).replace(/^<\/head\s*>/i, '');
  } else {
    // A fragment: everything is body; <meta>/<title> found there still count as metadata.
    body = html;
  }
  body = body.replace(/<!doctype[^>]*>/gi, '').replace(/<\/?html(?:\s[^>]*)?>/gi, '');
  return `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;
}

function lastIndexOfTag(html: string, tag: string): number {
  return html.toLowerCase().lastIndexOf(tag);
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

/** Collects the text under `root`, one line per block element. */
export function blocksToLines(root: DomNode, skipChrome = false): string[] {
  const lines: string[] = [];
  let current = '';
  const flush = () => {
    const line = current.replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(line);
    current = '';
  };
  const walk = (node: DomNode, inPre: boolean) => {
    if (node.nodeType === TEXT_NODE) {
      const data = node.textContent ?? '';
      if (!inPre) {
        current += data;
        return;
      }
      // Preformatted text keeps its own line breaks.
      const parts = data.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) flush();
        current += part;
      });
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return; // comments, processing instructions
    const el = node as DomElement;
    const tag = el.nodeName.toUpperCase();
    if (SKIP.has(tag) || isHidden(el) || (skipChrome && CHROME.has(tag))) return;
    const block = BLOCK.has(tag);
    if (block) flush();
    if (CELL.has(tag)) current += ' ';
    const children = el.childNodes;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child) walk(child, inPre || tag === 'PRE');
    }
    if (block) flush();
    else if (CELL.has(tag)) current += ' ';
  };
  walk(root, false);
  flush();
  return lines;
}

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
  // Metadata first, from an untouched tree: readability removes <script> (JSON-LD) and rewrites the page.
  const doc = parseDocument(html);
  const meta = metaValues(doc);
  let title = titleOf(doc, meta);
  const published = publishedOf(doc, meta);

  const picked = readabilityLines(html);
  title ??= picked?.title ?? null;
  let lines = picked?.lines ?? [];
  if (lines.length === 0 && doc.body) lines = blocksToLines(doc.body, true);
  if (lines.length === 0) throw new InputError(name, 'HTML contains no readable text');
  return { title, published, text: lines.join('\n') };
}
