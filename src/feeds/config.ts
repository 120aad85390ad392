/**
 * The watcher's configuration file: JSON, given by `--config FILE`, else `SITREP_CONFIG`, else
 * `./sitrep.json` when it exists.
 *
 * ```json
 * {
 *   "feeds": ["https://example.org/rss.xml", { "url": "https://example.net/atom", "interval": 900 }],
 *   "interval": 300, "timeout": 20, "backoffMax": 3600,
 *   "userAgent": "sitrep (newsroom@example.org)", "feedConcurrency": 4, "pageConcurrency": 4, "maxSeen": 10000,
 *   "maxItemAttempts": 3, "fetchPages": true
 * }
 * ```
 *
 * Every field is optional; an unknown field or a wrong value is an error naming the file and the
 * field, not something silently ignored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/types.js';
import type { FeedSpec, WatchOptions } from './watcher.js';

export interface WatchConfig {
  /** The file read, or null when none. */
  path: string | null;
  feeds: FeedSpec[];
  options: Partial<Pick<WatchOptions, 'intervalSeconds' | 'timeoutSeconds' | 'backoffMaxSeconds' | 'userAgent' | 'pageConcurrency' | 'feedConcurrency' | 'maxSeen' | 'maxItemAttempts' | 'fetchPages'>>;
}

/** The config file to read: the one given, else SITREP_CONFIG, else ./sitrep.json if it exists; null for none. */
export function configPath(given: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  if (given !== undefined) return resolve(cwd, given);
  const fromEnv = env['SITREP_CONFIG']?.trim();
  if (fromEnv) return resolve(cwd, fromEnv);
  const local = resolve(cwd, 'sitrep.json');
  return existsSync(local) ? local : null;
}

/** Checks a feed URL: absolute http(s). */
export function checkFeedUrl(value: string, where: string): string {
  const url = value.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(where, `${JSON.stringify(value)} is not a URL (a feed is an http:// or https:// URL)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InputError(where, `${JSON.stringify(value)} is not an http(s) URL`);
  return url;
}

const NUMBER_FIELDS = {
  interval: 'intervalSeconds',
  timeout: 'timeoutSeconds',
  backoffMax: 'backoffMaxSeconds',
  pageConcurrency: 'pageConcurrency',
  feedConcurrency: 'feedConcurrency',
  maxSeen: 'maxSeen',
  maxItemAttempts: 'maxItemAttempts',
} as const;

/** A positive number (whole, for counts). */
export function positive(value: unknown, where: string, whole: boolean): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    throw new InputError(where, `must be a positive ${whole ? 'whole ' : ''}number, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function readConfig(path: string): WatchConfig {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'config file not found' : `config file cannot be read (${(err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new InputError(path, `is not valid JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(path, 'must hold a JSON object, e.g. {"feeds": ["https://example.org/rss.xml"]}');
  const obj = value as Record<string, unknown>;
  const out: WatchConfig = { path, feeds: [], options: {} };
  for (const [key, v] of Object.entries(obj)) {
    const where = `${path}: "${key}"`;
    if (key === 'feeds') {
      if (!Array.isArray(v)) throw new InputError(where, 'must be a list of feed URLs or {"url", "interval"?} objects');
      v.forEach((f: unknown, i) => {
        const at = `${path}: "feeds"[${i}]`;
        if (typeof f === 'string') out.feeds.push({ url: checkFeedUrl(f, at) });
        else if (f !== null && typeof f === 'object' && !Array.isArray(f) && typeof (f as { url?: unknown }).url === 'string') {
          const { url, interval, ...rest } = f as { url: string; interval?: unknown };
          const extra = Object.keys(rest);
          if (extra.length) throw new InputError(at, `unknown field ${JSON.stringify(extra[0])} (a feed has "url" and "interval")`);
          out.feeds.push({ url: checkFeedUrl(url, at), ...(interval !== undefined ? { interval: positive(interval, `${at}.interval`, false) } : {}) });
        } else throw new InputError(at, `must be a URL or an object with a "url", got ${JSON.stringify(f)}`);
      });
    } else if (key in NUMBER_FIELDS) {
      out.options[NUMBER_FIELDS[key as keyof typeof NUMBER_FIELDS]] = positive(v, where, key !== 'interval' && key !== 'timeout' && key !== 'backoffMax');
    } else if (key === 'userAgent') {
      if (typeof v !== 'string' || !v.trim()) throw new InputError(where, 'must be a non-empty string');
      out.options.userAgent = v.trim();
    } else if (key === 'fetchPages') {
      if (typeof v !== 'boolean') throw new InputError(where, 'must be true or false');
      out.options.fetchPages = v;
    } else {
      throw new InputError(where, `unknown field (known: feeds, ${Object.keys(NUMBER_FIELDS).join(', ')}, userAgent, fetchPages)`);
    }
  }
  return out;
}
