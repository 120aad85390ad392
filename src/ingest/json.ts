/**
 * JSON and JSONL article inputs: `{ id?, text? | html?, published?, url?, title? }`.
 * Validation names the field and what is wrong with it, so a user can fix the line.
 */

import { InputError, type ArticleInput } from '../core/types.js';
import { looksLikeIsoDate, strictDate } from './dates.js';

/** The JSON type of a value, as error messages name it ("array", "null", "number"). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * A publication date given by a user: YYYY-MM-DD, or an ISO timestamp cut to its date.
 * `label` names where it came from in the error ("\"published\"", "--published").
 */
export function validatePublished(value: string, label: string, name: string): string {
  const date = strictDate(value);
  if (date) return date;
  if (looksLikeIsoDate(value)) throw new InputError(name, `${label} is not a real calendar date: ${JSON.stringify(value)}`);
  throw new InputError(name, `${label} is not a date (YYYY-MM-DD): ${JSON.stringify(value)}`);
}

/** An optional string field; null counts as absent (exporters often write null for "no value"). */
function optionalString(record: Record<string, unknown>, field: string, name: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InputError(name, `field "${field}" must be a string, got ${jsonType(value)}`);
  return noNul(value, field, name);
}

/**
 * A JSON string may carry "\u0000", which no text holds and PostgreSQL cannot store (a file with a
 * NUL byte is refused as binary): refused here, naming the field, instead of failing in the store.
 */
function noNul(value: string, field: string, name: string): string {
  const at = value.indexOf('\u0000');
  if (at >= 0) throw new InputError(name, `field "${field}" contains a NUL character (U+0000) at offset ${at}; it is not text`);
  return value;
}

/** The id as given (a string or a number), or undefined; throws for any other type or an empty id. */
function idOf(record: Record<string, unknown>, name: string): string | undefined {
  const value = record['id'];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    throw new InputError(name, `field "id" must be a string or a number, got ${jsonType(value)}`);
  }
  if (value.trim() === '') throw new InputError(name, 'field "id" is empty');
  return noNul(value.trim(), 'id', name);
}

/** Validates one parsed JSON article. Unknown fields are ignored. */
export function parseArticleJson(value: unknown, name: string): ArticleInput {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(name, `expected a JSON object with "text" or "html", got ${jsonType(value)}`);
  }
  const record = value as Record<string, unknown>;
  const id = idOf(record, name);
  const text = optionalString(record, 'text', name);
  const html = optionalString(record, 'html', name);
  const published = optionalString(record, 'published', name);
  const url = optionalString(record, 'url', name);
  const title = optionalString(record, 'title', name);
  if (text === undefined && html === undefined) throw new InputError(name, 'missing "text" or "html"');

  const input: ArticleInput = {};
  if (id !== undefined) input.id = id;
  // Text wins over html when both are given, unless it is blank (a feed that fills both, one empty).
  if (text !== undefined && (text.trim() !== '' || html === undefined)) input.text = text;
  else if (html !== undefined) input.html = html;
  if (published !== undefined) input.published = validatePublished(published, '"published"', name);
  if (url !== undefined) input.url = url;
  if (title !== undefined) input.title = title;
  return input;
}

/** One line of a JSONL input: the validated article, or what is wrong with the line. */
export interface JsonlLine {
  /** 1-based line number in the input. */
  line: number;
  /** The line's own id, or `line-N` when it has none (or the line cannot be parsed). */
  id: string;
  input?: ArticleInput;
  error?: string;
}

/** The line's id when it has a usable one, even if another field of the line is wrong. */
function lineId(value: unknown, line: number): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>)['id'];
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
    if (typeof id === 'string' && id.trim() !== '') return id.trim();
  }
  return `line-${line}`;
}

/**
 * Reads JSONL lazily: one result per non-blank line, in order. A bad line yields an `error` and
 * never stops the lines after it. Good lines carry `source: "line N of <name>"` for later messages.
 */
export function* parseJsonl(content: string, name: string): Generator<JsonlLine> {
  const body = content.startsWith('\ufeff') ? content.slice(1) : content;
  let start = 0;
  let line = 0;
  while (start <= body.length) {
    const newline = body.indexOf('\n', start);
    const end = newline === -1 ? body.length : newline;
    const raw = body.slice(start, end).replace(/\r$/, '');
    line++;
    start = end + 1;
    if (raw.trim() !== '') yield readJsonlLine(raw, line, name);
    if (newline === -1) break;
  }
}

export function readJsonlLine(raw: string, line: number, name: string): JsonlLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { line, id: `line-${line}`, error: `line ${line}: invalid JSON (${(err as Error).message})` };
  }
  const id = lineId(value, line);
  try {
    const input = parseArticleJson(value, `line ${line} of ${name}`);
    input.source = `line ${line} of ${name}`;
    return { line, id, input };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { line, id, error: `line ${line}: ${err.reason}` };
  }
}
