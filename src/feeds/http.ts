/**
 * One HTTP GET with the limits a crawler needs, on Node's global fetch: a timeout for the whole
 * exchange (headers and body: `AbortSignal.timeout`), a User-Agent, a maximum body size (checked
 * against Content-Length first, then counted while reading), conditional requests (If-None-Match,
 * If-Modified-Since → 304), and errors that name the URL and say what went wrong.
 */

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  accept: string;
  /** Sent as If-None-Match. */
  etag?: string | null;
  /** Sent as If-Modified-Since. */
  lastModified?: string | null;
  /** Stops the request (the watcher stopping). */
  signal?: AbortSignal;
}

export type FetchResult =
  | { status: 'not-modified'; url: string }
  | {
      status: 'ok';
      /** The URL after redirects. */
      url: string;
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    };

/** A request that failed: `message` is "URL: reason". */
export class FetchError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    /** Worth trying again later (timeouts, 5xx, 429, network errors); false for 404, too large, ... */
    readonly transient: boolean,
    /** From a Retry-After header (429, 503), in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(`${url}: ${reason}`);
    this.name = 'FetchError';
  }
}

/** Thrown when `signal` stopped the request: not the server's fault, nothing to report. */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

const mb = (bytes: number): string => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(bytes % 1048576 ? 1 : 0)} MB` : `${Math.round(bytes / 1024)} KB`);
const seconds = (ms: number): string => `${ms % 1000 ? (ms / 1000).toFixed(1) : ms / 1000} s`;

/** Retry-After as ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Why fetch() threw, in words: the cause's code when undici gives one. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection closed by the server (${code})`;
  if (code) return `network error (${code}${cause?.message ? `: ${cause.message}` : ''})`;
  return `network error (${cause?.message ?? (err as Error)?.message ?? String(err)})`;
}

export async function fetchUrl(url: string, opts: FetchOptions): Promise<FetchResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchError(url, 'is not a URL', false);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchError(url, `is not an http(s) URL (${parsed.protocol.replace(/:$/, '')})`, false);
  if (opts.signal?.aborted) throw new StoppedError();

  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const headers: Record<string, string> = { 'user-agent': opts.userAgent, accept: opts.accept, 'accept-encoding': 'gzip, deflate, br' };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  const timedOut = (): FetchError => new FetchError(url, `no complete answer within ${seconds(opts.timeoutMs)} (timed out)`, true);
  const why = (err: unknown): Error => {
    if (opts.signal?.aborted) return new StoppedError();
    if (timeout.aborted) return timedOut();
    return new FetchError(url, networkReason(err), true);
  };

  let res: Response;
  try {
    res = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (err) {
    throw why(err);
  }
  const finalUrl = res.url || url;
  if (res.status === 304) {
    await res.body?.cancel().catch(() => undefined);
    return { status: 'not-modified', url: finalUrl };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const transient = res.status >= 500 || res.status === 429 || res.status === 408;
    const retryAfter = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : null;
    throw new FetchError(url, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, transient, retryAfter);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new FetchError(url, `is ${mb(declared)}, more than the limit of ${mb(opts.maxBytes)}`, false);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > opts.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new FetchError(url, `is more than the limit of ${mb(opts.maxBytes)}`, false);
        }
        chunks.push(value);
      }
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw why(err);
  }
  return {
    status: 'ok',
    url: finalUrl,
    body: Buffer.concat(chunks),
    contentType: res.headers.get('content-type'),
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
  };
}
