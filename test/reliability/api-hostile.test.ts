/**
 * A hostile client against the real server (createServer over a real store, listening on a port,
 * real HTTP), on PGlite and PostgreSQL: malformed JSON, wrong types, oversized bodies, SQL
 * injection and XSS payloads in every filter and every article field, path traversal in ids, a
 * write without or with a wrong token on a server meant for the network, then a burst of 10,000
 * requests from a local load generator (load.ts). What must hold: the right status code for each
 * (never a 5xx), nothing stored from a rejected request, no stack trace, SQL, file path or token in
 * any answer, every JSON answer with markup escaped, the database intact, the server healthy
 * afterwards, and the dashboard served with a Content-Security-Policy that allows no inline script.
 */
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, DEFAULT_WEB_ROOT } from '../../src/server/index.js';
import type { StoreCounts } from '../../src/store/index.js';
import { BACKEND_NAMES, startServer, type Running } from '../server/helpers.js';
import { burst } from './load.js';

const TOKEN = 'hostile-test-token-0123456789abcdef';
const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE articles; --",
  "Mali'); DELETE FROM canonical_events; --",
  '1; select pg_sleep(5)',
  "x' UNION SELECT text, null FROM articles --",
  '\\x27 OR 1=1',
  '%27%20OR%201%3D1',
  '$1',
  "1' AND (SELECT count(*) FROM pg_catalog.pg_tables) > 0 --",
];
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert('x')", '</script><script>alert(1)</script>', '{{constructor.constructor("alert(1)")()}}', '<svg/onload=alert(1)>'];
/** Already percent-encoded: a lone surrogate, invalid UTF-8, a NUL, a stray %. */
const RAW = ['%ED%A0%80', '%FF%FE', '%00', '%', '%E0%80%80'];
const ODD = ['', ' ', '\u0000', '99999999999', '2147483648', '-0', '0x10', '1.5', '😀'.repeat(200), 'a'.repeat(5000), '-1', '1e999', 'NaN', '[]', '{}', 'null', '../../../../etc/passwd', '%00', '2023-02-30', '9999-99-99'];
const FILTERS = ['from', 'to', 'country', 'admin1', 'event_type', 'sub_event_type', 'actor', 'q', 'bbox', 'min_fatalities', 'sort', 'limit', 'cursor'];
const LIST_PATHS = ['/events', '/events.geojson', '/export.csv', '/stats/timeline', '/facets'];
const TRAVERSAL = [
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fpackage.json',
  '..%5C..%5Cwindows%5Cwin.ini',
  '%252e%252e%252f',
  '....%2F%2F....%2F%2Fetc%2Fpasswd',
  '%00',
  '%2F',
  encodeURIComponent("' OR '1'='1"),
  encodeURIComponent('<script>alert(1)</script>'),
];

/** What no answer may contain. */
const LEAKS = [/\n\s+at\s/, /node_modules/, /\/work\//, /\.[jt]s:\d+/, /syntax error at or near/i, /invalid (input|byte) (syntax|sequence)/i, /relation "[^"]*" does not exist/i, /postgres:\/\//, new RegExp(TOKEN)];
export const COUNTS = { hostile: 0, burst: 0 };
afterAll(() => console.log(`api-hostile: ${COUNTS.hostile} hostile requests one by one, ${COUNTS.burst} in the burst`));

async function send(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; text: string; headers: Headers }> {
  COUNTS.hostile++;
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, text, headers: res.headers };
}

function noLeak(text: string, where: string): void {
  for (const re of LEAKS) expect(re.test(text), `${where}: the answer matches ${re}: ${text.slice(0, 300)}`).toBe(false);
  // Markup in JSON answers is escaped: no raw "<" at all.
  expect(/<script|<img|<svg/i.test(text), `${where}: raw markup in the answer`).toBe(false);
}

const post = (base: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  send(base, '/articles', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

const seed = [
  { id: 'seed-1', title: 'Attack in Gao', url: 'https://news.example/gao', published: '2023-03-05', text: 'Gunmen killed 12 civilians in an attack on a market in Gao on 3 March 2023, local officials said.' },
  { id: 'seed-2', published: '2023-04-02', text: 'Soldiers clashed with JNIM militants near Mopti on 1 April 2023; the army said 7 militants were killed.' },
];

for (const backend of BACKEND_NAMES) {
  describe(`a hostile client against the server on ${backend}`, { timeout: 240_000 }, () => {
    let srv: Running;
    let counts: StoreCounts;
    beforeAll(async () => {
      // Meant for the network (a token is required there), listening on loopback for the test; a short rate-limit window for the burst.
      srv = await startServer(backend, { host: '0.0.0.0', token: TOKEN, bodyLimit: 1024 * 1024, rateLimit: { max: 100_000, writeMax: 1000 } });
      const r = await post(srv.base, JSON.stringify(seed), { authorization: `Bearer ${TOKEN}` });
      expect(r.status, r.text).toBe(200);
      counts = await srv.store.counts();
      expect(counts.articles).toBe(2);
    }, 120_000);
    afterAll(async () => {
      await srv?.close();
    });

    it('refuses writes without the token, or with a wrong one, and stores nothing from them', async () => {
      const body = JSON.stringify({ id: 'intruder', text: 'Gunmen killed 3 people in Gao on 1 May 2023.' });
      for (const auth of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, `Bearer ${TOKEN} extra`, `bearer ${TOKEN.slice(0, -1)}`, 'Bearer ', `Bearer ${"' OR '1'='1"}`]) {
        const r = await post(srv.base, body, auth ? { authorization: auth } : {});
        expect(r.status, `${auth}: ${r.text}`).toBe(401);
        noLeak(r.text, `POST with ${auth}`);
      }
      expect(await srv.store.getArticle('intruder')).toBeNull();
      expect(await srv.store.counts()).toEqual(counts);
    });

    it('answers malformed JSON, wrong types and oversized bodies with 4xx and stores nothing', async () => {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const bad: Array<[string | Uint8Array, number[], Record<string, string>?]> = [
        ['{', [400]],
        ['{"text": }', [400]],
        ['[1,2', [400]],
        ['null', [400]],
        ['"a string"', [400]],
        ['123', [400]],
        ['{}', [400]],
        ['[]', [400]],
        ['{"text": 5}', [400]],
        ['{"text": ["Gunmen killed 5 people"]}', [400]],
        ['{"text": {"$ne": 1}}', [400]],
        ['{"text": "Gunmen killed 5 people in Gao.", "published": "2023-13-45"}', [400]],
        ['{"text": "Gunmen killed 5 people in Gao.", "published": 20230101}', [400]],
        ['{"text": "Gunmen killed 5 people in Gao.", "id": {"a": 1}}', [400]],
        ['{"html": 5}', [400]],
        ['{"id": "nul\\u0000id", "text": "Gunmen killed 5 people in Gao on 1 May 2023."}', [400]],
        ['{"title": "a\\u0000b", "text": "Gunmen killed 5 people in Gao on 1 May 2023."}', [200, 400]],
        ['{"text": "Gunmen killed 5 people in Gao\\u0000 on 1 May 2023."}', [200, 400]],
        ['{"text": ""}', [400]],
        ['{"text": "\\u0000\\u0001\\u0002"}', [400]],
        ['{"__proto__": {"admin": true}, "text": 1}', [400]],
        [JSON.stringify([{ text: 7 }, { html: [] }]), [400]],
        [Buffer.from([0xff, 0xfe, 0x00, 0x7b]), [400]],
        ['{"text": "Gunmen killed 5 people."}', [415], { 'content-type': 'text/plain' }],
        ['{"text": "Gunmen killed 5 people."}', [415], { 'content-type': 'application/xml' }],
        ['{"text": "' + 'x'.repeat(1024 * 1024 + 10) + '"}', [413]],
        ['{"a":' .repeat(5000) + '1' + '}'.repeat(5000), [400]],
      ];
      for (const [body, statuses, headers] of bad) {
        const r = await post(srv.base, body, { ...auth, ...(headers ?? {}) });
        expect(statuses, `${String(body).slice(0, 60)} → ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
        noLeak(r.text, `POST ${String(body).slice(0, 40)}`);
        expect((JSON.parse(r.text) as { message?: unknown }).message).toEqual(expect.any(String));
      }
      expect(await srv.store.counts()).toEqual(counts);
    });

    it('treats SQL injection, XSS and odd values in every filter of every list as data: 200 or 400, never 5xx, the store intact', async () => {
      for (const path of LIST_PATHS) {
        for (const filter of FILTERS) {
          // Every value on /events; the injection and markup ones on the other lists (the same filter code).
          const values = path === '/events' ? [...[...SQL, ...XSS, ...ODD].map(encodeURIComponent), ...RAW] : [...SQL.slice(0, 4), ...XSS.slice(0, 3), '%00', '1e999'].map((v) => (v.startsWith('%') ? v : encodeURIComponent(v)));
          for (const value of values) {
            const r = await send(srv.base, `${path}?${filter}=${value}`);
            expect([200, 400], `${path}?${filter}=${value} → ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
            if (path !== '/export.csv' || r.status !== 200) noLeak(r.text, `${path}?${filter}=${value}`);
          }
        }
        const r = await send(srv.base, `${path}?interval=${encodeURIComponent(SQL[1]!)}&country=${encodeURIComponent(XSS[0]!)}&country=Mali&limit=1&limit=2`);
        expect([200, 400]).toContain(r.status);
      }
      expect(await srv.store.counts()).toEqual(counts);
      const all = await send(srv.base, '/events?limit=100');
      expect(JSON.parse(all.text).total).toBe(counts.canonical_events);
    });

    it('stores markup and injection text in article fields as data and returns it escaped', async () => {
      const evil = { id: `x<script>alert(1)</script>'; DROP TABLE articles; --`, title: XSS[1], url: `https://e.example/?q=${XSS[0]}`, published: '2023-05-01', text: `${XSS[0]} Gunmen killed 4 villagers in Gao on 30 April 2023, officials said. ${SQL[1]} ${XSS[3]}` };
      const r = await post(srv.base, JSON.stringify(evil), { authorization: `Bearer ${TOKEN}` });
      expect(r.status, r.text).toBe(200);
      noLeak(r.text, 'POST evil article');
      const back = await send(srv.base, `/articles/${encodeURIComponent(evil.id)}`);
      expect(back.status).toBe(200);
      noLeak(back.text, 'GET evil article');
      expect((JSON.parse(back.text) as { text: string }).text).toContain('<script>alert(1)</script>');
      expect(back.text).toContain('\\u003cscript\\u003e');
      const list = await send(srv.base, `/events?q=${encodeURIComponent('script alert')}`);
      expect(list.status).toBe(200);
      noLeak(list.text, 'GET /events?q=');
      const now = await srv.store.counts();
      expect(now.articles).toBe(counts.articles + 1);
      counts = now;
    });

    it('finds nothing outside the store through ids: path traversal and odd ids get 404 or 400', async () => {
      for (const route of ['/events/', '/articles/']) {
        for (const id of [...TRAVERSAL, encodeURIComponent('x'.repeat(600))]) {
          const r = await send(srv.base, route + id);
          expect([400, 404, 414], `${route}${id} → ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
          expect(r.text).not.toMatch(/root:x:0:0|"name": "sitrep"|\[fonts\]/);
          noLeak(r.text, route + id);
        }
      }
      for (const path of ['/../../etc/passwd', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/docs/../../package.json', '/static/..%2f..%2f..%2fetc%2fpasswd']) {
        const r = await send(srv.base, path);
        expect(r.status, `${path} → ${r.status}`).toBeGreaterThanOrEqual(300);
        expect(r.status).toBeLessThan(500);
        expect(r.text).not.toMatch(/root:x:0:0|"name": "sitrep"/);
      }
    });

    // On PostgreSQL only (the back end a server exposed to many clients runs on), to keep the folder's time.
    it.runIf(backend === 'postgres')('takes a burst of 10,000 requests: 200s up to the rate limit, 429s past it, no 5xx, no dropped connection; healthy afterwards', async () => {
      // A second server over the same store with the default limit: 1,200 requests per minute per client.
      const limited = await createServer({ store: srv.store, host: '127.0.0.1', webRoot: null, rateLimit: { max: 1200, writeMax: 60 } });
      const base = await limited.listen({ host: '127.0.0.1', port: 0 });
      try {
        const paths = ['/events?limit=5', '/events?country=Mali', '/stats/timeline?interval=month', '/facets', `/events?q=${encodeURIComponent(SQL[0]!)}`, '/health', '/events/nope', '/events.geojson'];
        const result = await burst(base, { requests: 10_000, concurrency: 32, paths });
        COUNTS.burst += result.total;
        console.log(`burst on ${backend}: ${result.total} requests in ${(result.ms / 1000).toFixed(1)} s, statuses ${JSON.stringify(result.statuses)}, ${result.failed} failed connections`);
        expect(result.total).toBe(10_000);
        expect(result.failed).toBe(0);
        expect(Object.keys(result.statuses).every((s) => ['200', '404', '429'].includes(s)), JSON.stringify(result.statuses)).toBe(true);
        // One minute's allowance answered (200, or 404 for the unknown id), the rest refused with 429.
        expect((result.statuses['200'] ?? 0) + (result.statuses['404'] ?? 0)).toBe(1200);
        expect(result.statuses['429']).toBe(8800);
        // Healthy afterwards, for another client (a second loopback address), at once.
        const other = await getFrom(base, '/health', '127.0.0.2');
        expect(other.status).toBe(200);
        const events = await getFrom(base, '/events?limit=1', '127.0.0.2');
        expect(events.status).toBe(200);
        expect(JSON.parse(events.text).total).toBe(counts.canonical_events);
        // And for the client of the burst, still limited: a 429 that says when to retry.
        const same = await send(base, '/health');
        expect(same.status).toBe(429);
        expect(same.text).toMatch(/retry in/);
        expect(await srv.store.counts()).toEqual(counts);
      } finally {
        await limited.close();
      }
    });
  });
}

/** A GET from a given local address (another client to the rate limiter). */
function getFrom(base: string, path: string, localAddress: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(base + path, { localAddress }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
}

describe('the dashboard', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await startServer('pglite', { webRoot: DEFAULT_WEB_ROOT });
  }, 60_000);
  afterAll(async () => srv?.close());

  it('is served with security headers and a Content-Security-Policy that allows no inline script; its page has none', async () => {
    for (const path of ['/', '/index.html', '/events?limit=1', '/no-such-page']) {
      const r = await send(srv.base, path);
      const csp = r.headers.get('content-security-policy') ?? '';
      const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
      expect(directive('script-src'), `${path}: ${csp}`).toBe("script-src 'self'");
      expect(directive('script-src-attr')).toBe("script-src-attr 'none'");
      expect(directive('object-src')).toBe("object-src 'none'");
      expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toMatch(/no-referrer|same-origin|strict-origin/);
    }
    const page = await send(srv.base, '/');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<script[^>]+src=/);
    // Every <script> has a src (no inline code) and no element carries an on* handler.
    for (const m of page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(m[1]).toMatch(/\bsrc=/);
      expect(m[2]!.trim()).toBe('');
    }
    expect(page.text).not.toMatch(/\son[a-z]+\s*=/i);
    expect(readFileSync(join(DEFAULT_WEB_ROOT, 'index.html'), 'utf8')).toBe(page.text);
  });
});
