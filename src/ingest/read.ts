/**
 * Entry points for reading articles: files, stdin buffers and JSON inputs become cleaned `Article`s.
 *
 * Every refusal is an InputError that names the input and says what is wrong with it
 * (empty, binary, not UTF-8, too large, missing, a directory, bad JSON fields).
 */

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError, type Article, type ArticleInput } from '../core/types.js';
import { cleanText } from './clean.js';
import { readHtml } from './html.js';
import { parseArticleJson, validatePublished } from './json.js';

/** Articles larger than this are refused: no news article is 5 MB of text, and the annotators are not built for it. */
export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

/** Values given on the command line; they override what the input itself says. */
export interface ReadOptions {
  published?: string;
  url?: string;
  title?: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(bytes: number): string {
  return `is ${megabytes(bytes)}; articles larger than ${megabytes(MAX_ARTICLE_BYTES).replace('.0 MB', ' MB')} are refused`;
}

/** A stable id for an article without one: the same cleaned text always gets the same id. */
export function stableArticleId(text: string): string {
  return 'a-' + createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- articles from validated inputs

export function toArticle(input: ArticleInput, name: string): Article {
  const valid = parseArticleJson(input, name);
  const raw = valid.text ?? valid.html ?? '';
  const size = Buffer.byteLength(raw, 'utf8');
  if (size > MAX_ARTICLE_BYTES) throw new InputError(name, `the ${valid.text !== undefined ? 'text' : 'html'} ${tooLarge(size)}`);

  let title = valid.title ?? null;
  let published = valid.published ?? null;
  let body = raw;
  if (valid.text === undefined) {
    const page = readHtml(raw, name);
    title ??= page.title;
    published ??= page.published;
    body = page.text;
  }
  const { text, removed } = cleanText(body);
  if (text === '') throw new InputError(name, 'no text left after cleaning (the article is empty or only boilerplate)');
  return {
    id: valid.id ?? stableArticleId(text),
    title,
    url: valid.url ?? null,
    published,
    text,
    removed,
    source: name,
  };
}

// ---------------------------------------------------------------- bytes to text

/** Bytes that never occur in text: C0 controls other than tab, newline, form feed, carriage return; DEL. */
function isControlByte(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f;
}

const SNIFF_BYTES = 8 * 1024;

/** NUL bytes, or more than 10% control bytes, in the first 8 KB. */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i] ?? 0;
    if (b === 0) return true;
    if (isControlByte(b)) controls++;
  }
  return n > 0 && controls / n > 0.1;
}

/**
 * Offset of the first byte that starts an invalid UTF-8 sequence, or -1 when all is valid.
 * Follows the decoder's rules: no overlong forms, no surrogates, nothing above U+10FFFF.
 */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min = 0x80; // the lowest allowed second byte
    let max = 0xbf; // the highest allowed second byte
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0; // overlong
      if (b === 0xed) max = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90; // overlong
      if (b === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Checks the bytes and decodes them as UTF-8 (UTF-16 with a byte-order mark is accepted too). */
export function decodeText(buf: Uint8Array, name: string): string {
  if (buf.length === 0) throw new InputError(name, 'file is empty');
  if (buf.length > MAX_ARTICLE_BYTES) throw new InputError(name, tooLarge(buf.length));
  const utf16 = utf16Encoding(buf);
  if (utf16) return new TextDecoder(utf16).decode(buf);
  if (looksBinary(buf)) throw new InputError(name, 'looks like a binary file, not text');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    throw new InputError(name, `is not valid UTF-8 text (first bad byte at offset ${at < 0 ? 0 : at})`);
  }
}

/** Word and Notepad save "Unicode" text as UTF-16 with a byte-order mark; it is text, not binary. */
function utf16Encoding(buf: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  return null;
}

// ---------------------------------------------------------------- format detection

export type ArticleFormat = 'json' | 'html' | 'text';

const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);
const HTML_SNIFF = /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>]|<p[\s>]|<div[\s>]|<br\s*\/?>/i;

const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson']);
const JSONL_HINT = 'looks like JSONL (one article per line); read it with --jsonl';

function firstLineIsJsonObject(content: string): boolean {
  const newline = content.indexOf('\n');
  if (newline === -1) return false;
  try {
    const value: unknown = JSON.parse(content.slice(0, newline));
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Picks the reader for an input: JSON by extension or by content, HTML by extension or tags, else text. */
export function detectFormat(content: string, name: string): { format: ArticleFormat; json?: unknown } {
  const ext = extname(name).toLowerCase();
  const trimmed = content.trimStart();
  if (JSONL_EXTENSIONS.has(ext)) throw new InputError(name, JSONL_HINT);
  if (ext === '.json' || trimmed.startsWith('{')) {
    try {
      return { format: 'json', json: JSON.parse(trimmed) };
    } catch (err) {
      // Several JSON objects, one per line: a JSONL feed given as a single article.
      if (firstLineIsJsonObject(trimmed)) throw new InputError(name, JSONL_HINT);
      // A .json file must be JSON; text that merely starts with "{" is read as text.
      if (ext === '.json') throw new InputError(name, `is not valid JSON (${(err as Error).message})`);
    }
  }
  if (HTML_EXTENSIONS.has(ext) || HTML_SNIFF.test(trimmed.slice(0, 2048))) return { format: 'html' };
  return { format: 'text' };
}

// ---------------------------------------------------------------- entry points

/** Reads one article from bytes (a file's content or stdin). `name` is used in messages and to see the extension. */
export function readArticleBuffer(buf: Uint8Array, name: string, opts: ReadOptions = {}): Article {
  const content = decodeText(buf, name);
  if (content.trim() === '') throw new InputError(name, 'file is empty');
  const detected = detectFormat(content, name);
  let input: ArticleInput;
  if (detected.format === 'json') input = parseArticleJson(detected.json, name);
  else if (detected.format === 'html') input = { html: content };
  else input = { text: content };
  return toArticle(withOptions(input, opts, name), name);
}

/** Applies command-line values over the input's own. */
function withOptions(input: ArticleInput, opts: ReadOptions, name: string): ArticleInput {
  const out: ArticleInput = { ...input };
  if (opts.published !== undefined) out.published = validatePublished(opts.published, '--published', name);
  if (opts.url !== undefined) out.url = opts.url;
  if (opts.title !== undefined) out.title = opts.title;
  return out;
}

/** Reads one article file: plain text, HTML, or a JSON object. */
export function readArticleFile(path: string, opts: ReadOptions = {}): Article {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new InputError(path, 'is a directory');
    size = stat.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fileError(path, err);
  }
  // Refuse before reading: a 2 GB file should not be loaded to be told it is too big.
  if (size > MAX_ARTICLE_BYTES) throw new InputError(path, tooLarge(size));
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw fileError(path, err);
  }
  return readArticleBuffer(buf, path, opts);
}

function fileError(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(path, 'file not found');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(path, 'permission denied');
  if (code === 'EISDIR') return new InputError(path, 'is a directory');
  return new InputError(path, `cannot be read (${(err as Error).message})`);
}

/** All of standard input as bytes. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
