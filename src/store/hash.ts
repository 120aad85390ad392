/**
 * Content hashes and derived ids. The content hash identifies an article's text regardless of case
 * and whitespace, so that a re-scraped copy with other line breaks, or the same wire story under
 * another id, is recognised as the same article.
 */
import { createHash } from 'node:crypto';

/** The text as the content hash sees it: Unicode NFC, lower case, runs of whitespace as one space, trimmed. */
export function normaliseForHash(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** sha256 (hex) of the normalised text. */
export function contentHash(text: string): string {
  return createHash('sha256').update(normaliseForHash(text), 'utf8').digest('hex');
}

/**
 * A stable id for an article that came without one: from its URL when it has one, else from its
 * content hash. The same input gives the same id on every run.
 */
export function deriveArticleId(article: { url?: string | null; text: string }): string {
  const url = article.url?.trim();
  if (url) return `url-${createHash('sha256').update(url, 'utf8').digest('hex').slice(0, 20)}`;
  return `sha-${contentHash(article.text).slice(0, 20)}`;
}

/** A signed 64-bit advisory-lock key for `name`, as a decimal string (for `pg_advisory_xact_lock`). */
export function lockKey(name: string): string {
  const digest = createHash('sha256').update(name, 'utf8').digest();
  return digest.readBigInt64BE(0).toString();
}

/** Orders strings as PostgreSQL's "C" collation does (UTF-8 bytes). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
