/**
 * The server's safety, through real requests (and the real CLI where it is about starting): the
 * bearer token on writes, the refusal to listen off loopback without one, body size (413) and rate
 * (429) limits, the security headers, article markup that only ever comes back as data, and the
 * dashboard's static hosting (built, not built, single-page fallback) never reflecting a request.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, SPAWN_TIMEOUT_MS } from '../cli/run.js';
import { get, postJson, request, startServer, type Running } from './helpers.js';

const TOKEN = 'test-token-0123456789abcdef0123456789';
const MARKUP = {
  id: 'markup-article',
  published: '2023-03-06',
  title: 'Gunmen kill seven in central Mali <script>alert("title")</script>',
  text:
    'BAMAKO, 6 March 2023 - Gunmen killed seven civilians in an attack on the village of Ogossagou in the Mopti region of Mali on Sunday, local officials said.\n' +
    '<script>alert("script")</script>\n' +
    'Witnesses said the attackers <img src=x onerror="alert(\'img\')"> burned several homes before fleeing on motorbikes.',
};

describe('write token', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer('pglite', { token: TOKEN });
  }, 60_000);
  afterAll(async () => s?.close());

  it('POST /articles needs the bearer token when one is set; reads do not', async () => {
    const article = { id: 'tok', text: 'Gunmen killed 5 villagers near Kidal, Mali, on 3 March 2023.', published: '2023-03-04' };
    const none = await postJson(s.base, article);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.json).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'POST /articles needs the header "Authorization: Bearer <token>" with the server\'s SITREP_API_TOKEN' });
    const wrong = await postJson(s.base, article, { authorization: 'Bearer not-the-token-at-all-0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.message).toBe("the bearer token is not this server's SITREP_API_TOKEN");
    expect(wrong.text).not.toContain('not-the-token');
    expect((await get(s.base, '/events')).json.total).toBe(0);
    const ok = await postJson(s.base, article, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.articles[0]).toMatchObject({ id: 'tok', status: 'new' });
    expect((await get(s.base, '/events')).json.total).toBe(1);
    // The document says so.
    const doc = await get(s.base, '/openapi.json');
    expect(doc.json.paths['/articles'].post.security).toEqual([{ bearer: [] }]);
  }, 60_000);

  it('no answer carries the token, a stack or the store\'s location', async () => {
    for (const path of ['/health', '/events?from=x', '/nope', '/openapi.json']) {
      const r = await get(s.base, path);
      expect(r.text).not.toContain(TOKEN);
      expect(r.text).not.toMatch(/\bat .*\.(js|ts):\d+/);
      expect(r.text).not.toContain(tmpdir());
    }
  });
});

describe('body and rate limits', () => {
  it('a body over the limit is a 413 that says the limit; the default limit is 10 MB', async () => {
    const small = await startServer('pglite', { bodyLimit: 64 * 1024 });
    const big = await startServer('pglite');
    try {
      const r = await postJson(small.base, { text: 'Gunmen killed 5 people. '.repeat(5000) });
      expect(r.status).toBe(413);
      expect(r.json).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      expect(r.json.message).toBe('the request body is larger than 64 KB, the limit of this server; send fewer articles per request (split the JSONL batch)');
      const huge = await request(big.base, '/articles', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${JSON.stringify({ text: 'x'.repeat(11 * 1024 * 1024) })}\n` });
      expect(huge.status).toBe(413);
      expect(huge.json.message).toMatch(/^the request body is larger than 10 MB/);
    } finally {
      await small.close();
      await big.close();
    }
  }, 60_000);

  it('past the rate limit answers 429 with when to retry; POST /articles has a lower limit of its own', async () => {
    const s = await startServer('pglite', { rateLimit: { max: 5, writeMax: 2, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 5; i++) expect((await get(s.base, '/health')).status).toBe(200);
      const over = await get(s.base, '/events');
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(over.json).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(over.json.message).toMatch(/^rate limit: at most 5 requests per minute from one address; retry in \d+ (seconds?|minutes?)$/);
    } finally {
      await s.close();
    }
    const w = await startServer('pglite', { rateLimit: { max: 100, writeMax: 2, windowMs: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await postJson(w.base, { title: 'no text' })).status);
      expect(codes).toEqual([400, 400, 429]);
      expect((await get(w.base, '/health')).status).toBe(200);
    } finally {
      await w.close();
    }
  }, 60_000);
});

describe('headers and markup', () => {
  let s: Running;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'sitrep-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="app">dashboard index</div></body></html>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("dashboard");');
    s = await startServer('pglite', { webRoot: dist });
    const r = await postJson(s.base, MARKUP);
    expect(r.status, r.text).toBe(200);
    expect(r.json.articles[0].events.length).toBeGreaterThan(0);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('every answer has the security headers: a CSP with no inline script, nosniff, no framing', async () => {
    for (const [path, accept] of [['/events', 'application/json'], ['/', 'text/html'], ['/docs', 'text/html'], ['/nope', 'application/json']] as const) {
      const r = await get(s.base, path, { accept });
      const csp = r.headers.get('content-security-policy') ?? '';
      const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
      expect(directive('script-src'), path).toBe("script-src 'self'");
      expect(directive('script-src-attr'), path).toBe("script-src-attr 'none'");
      expect(directive('default-src')).toBe("default-src 'self'");
      expect(directive('worker-src')).toBe("worker-src 'self' blob:");
      expect(directive('img-src')).toBe("img-src 'self' data: blob:");
      expect(directive('style-src')).toBe(path === '/docs' ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'");
      expect(directive('object-src')).toBe("object-src 'none'");
      expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('same-origin');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('an article with <script> and onerror= markup is stored and returned as data, JSON-escaped', async () => {
    const a = await get(s.base, `/articles/${MARKUP.id}`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^application\/json/);
    // The raw answer holds no markup at all: "<" and ">" are \u003c and \u003e...
    expect(a.text).not.toMatch(/[<>]/);
    expect(a.text).toContain('\\u003cscript\\u003ealert(\\"script\\")\\u003c/script\\u003e');
    // ...and the value is the text exactly as stored.
    expect(a.json.text).toContain('<script>alert("script")</script>');
    expect(a.json.text).toContain('onerror="alert(\'img\')"');
    expect(a.json.title).toBe(MARKUP.title);
    for (const path of ['/events', `/events/${encodeURIComponent(a.json.spans[0].event_id)}`, '/events.geojson', '/facets']) {
      const r = await get(s.base, path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toMatch(/<script|<img|onerror=(?!\\)/i);
    }
    const detail = await get(s.base, `/events/${encodeURIComponent(a.json.spans[0].event_id)}`);
    expect(detail.json.articles[0].title).toBe(MARKUP.title);
  });

  it('the HTML routes never reflect the request or the stored markup', async () => {
    const paths = ['/', '/event/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/x?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', '/docs'];
    for (const path of paths) {
      const r = await get(s.base, path, { accept: 'text/html' });
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(r.text, path).not.toMatch(/alert\(|onerror/i);
    }
  });

  it('serves the built dashboard: index.html at /, assets cached, the single-page fallback for HTML only', async () => {
    const index = await get(s.base, '/', { accept: 'text/html' });
    expect(index.text).toContain('dashboard index');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const js = await get(s.base, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A view's URL reloaded in the browser gets the page.
    const deep = await get(s.base, '/event/some-id', { accept: 'text/html,application/xhtml+xml' });
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('dashboard index');
    // Not for API paths, missing assets, or clients that do not ask for HTML.
    for (const [path, accept] of [['/events/x/y', 'text/html'], ['/assets/missing.js', 'text/html'], ['/event/some-id', 'application/json'], ['/stats/nope', '*/*']] as const) {
      const r = await get(s.base, path, { accept });
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });
});

describe('dashboard not built', () => {
  it('/ answers a plain page saying so and how to build it; the API still works', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sitrep-nodist-'));
    const s = await startServer('pglite', { webRoot: join(empty, 'dist') });
    try {
      const r = await get(s.base, '/', { accept: 'text/html' });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.text).toContain('The dashboard is not built');
      expect(r.text).toContain('npm run build:web');
      expect(r.text).not.toContain('vite build');
      expect(r.text).not.toMatch(/<script|<style/);
      const deep = await get(s.base, '/event/%3Cscript%3E', { accept: 'text/html' });
      expect(deep.status).toBe(404);
      expect(deep.text).toContain('The dashboard is not built');
      expect(deep.text).not.toContain('<script');
      expect((await get(s.base, '/health')).status).toBe(200);
      expect(s.app.dashboardBuilt).toBe(false);
    } finally {
      await s.close();
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('sitrep serve (the CLI)', () => {
  interface Proc {
    code: number | null;
    stderr: string;
  }
  /** Spawns `sitrep serve ...args`; resolves on exit, or when `until` matches standard error (then the process runs on). */
  function serve(args: string[], env: NodeJS.ProcessEnv, until?: RegExp) {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: { ...process.env, SITREP_DEBUG: '', DATABASE_URL: '', ...env } });
    let stderr = '';
    const exited = new Promise<Proc>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
    const ready = new Promise<Proc>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString('utf8');
        if (until?.test(stderr)) resolve({ code: null, stderr });
      });
      void exited.then(resolve);
    });
    return { child, exited, ready };
  }

  it('refuses to listen on 0.0.0.0 without SITREP_API_TOKEN (exit 2), and with a short token', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sitrep-serve-'));
    try {
      const r = await serve(['--host', '0.0.0.0', '--port', '0'], { SITREP_DATA: data, SITREP_API_TOKEN: '' }).exited;
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^sitrep: serve: refusing to listen on 0\.0\.0\.0 without SITREP_API_TOKEN: anyone who can reach it could write into the store through POST \/articles\. Set SITREP_API_TOKEN/);
      const short = await serve(['--host', '0.0.0.0', '--port', '0'], { SITREP_DATA: data, SITREP_API_TOKEN: 'abc' }).exited;
      expect(short.code).toBe(2);
      expect(short.stderr).toMatch(/SITREP_API_TOKEN must be at least 16 characters/);
      const port = await serve(['--port', 'eighty'], { SITREP_DATA: data }).exited;
      expect(port.code).toBe(1);
      expect(port.stderr).toBe('sitrep: --port: must be a whole number from 0 to 65535, got "eighty"\n');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, SPAWN_TIMEOUT_MS);

  it('listens on 0.0.0.0 with a token (writes need it), and stops cleanly on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sitrep-serve-'));
    const p = serve(['--host', '0.0.0.0', '--port', '0', '--workers', '0'], { SITREP_DATA: data, SITREP_API_TOKEN: TOKEN }, /listening on (http:\/\/\S+)/);
    try {
      const started = await p.ready;
      expect(started.code, started.stderr).toBeNull();
      const port = /listening on http:\/\/[^\s:]+:(\d+)/.exec(started.stderr)![1];
      const base = `http://127.0.0.1:${port}`;
      expect(started.stderr).toContain('writes need the bearer token');
      expect((await get(base, '/health')).json).toEqual({ status: 'ok', store: 'pglite', events: 0, articles: 0 });
      expect((await postJson(base, { text: 'Gunmen killed 5 people in Kidal, Mali.' })).status).toBe(401);
      p.child.kill('SIGTERM');
      const end = await p.exited;
      expect(end.code).toBe(0);
      expect(end.stderr).toMatch(/sitrep serve: stopped \(SIGTERM\)\n$/);
    } finally {
      p.child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  }, SPAWN_TIMEOUT_MS);
});
