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

/**
 * The hashes of recent texts. Ingest asks for an article's hash three times (its preview, its locks,
 * its write) within a window of a few hundred articles; normalising and hashing the text once instead
 * of three times saves a tenth of a millisecond of the storing thread per wire story. Bounded by count
 * and by characters held.
 */
const recent = new Map<string, string>();
let recentChars = 0;
const RECENT_MAX = 512;
const RECENT_MAX_CHARS = 4_000_000;

/** sha256 (hex) of the normalised text. */
export function contentHash(text: string): string {
  const hit = recent.get(text);
  if (hit !== undefined) return hit;
  const hash = createHash('sha256').update(normaliseForHash(text), 'utf8').digest('hex');
  if (recent.size >= RECENT_MAX || recentChars + text.length > RECENT_MAX_CHARS) {
    recent.clear();
    recentChars = 0;
  }
  if (text.length <= RECENT_MAX_CHARS) {
    recent.set(text, hash);
    recentChars += text.length;
  }
  return hash;
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
