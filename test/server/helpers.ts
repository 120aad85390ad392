/**
 * Helpers for the server tests: a real `createServer` listening on 127.0.0.1:0 over a real store,
 * PGlite in a temporary data directory or PostgreSQL in a schema of its own (dropped afterwards),
 * and real HTTP requests with fetch. Nothing is mocked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import pg from 'pg';
import { createServer, type ServerOptions, type SitrepServer } from '../../src/server/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { ROOT } from '../cli/run.js';
import { PG_URL } from '../store/backends.js';

export { ROOT };
export type BackendName = 'pglite' | 'postgres';
export const BACKEND_NAMES: BackendName[] = ['pglite', 'postgres'];

export interface Running {
  base: string;
  app: SitrepServer;
  store: Store;
  /** Closes the server and the store, and removes the data directory or drops the schema. */
  close(): Promise<void>;
}

let serial = 0;

/** A fresh store of this kind. */
export async function freshStore(kind: BackendName): Promise<{ store: Store; remove: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-server-'));
    const store = await openStore({ dataDir: dir });
    return { store, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `sitrep_t_server_${process.pid}_${Date.now().toString(36)}_${++serial}`;
  const store = await openStore({ url: PG_URL, schema });
  return {
    store,
    remove: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    },
  };
}

/** A server on 127.0.0.1:0 over a fresh store (or `store`); `opts` as createServer's. */
export async function startServer(kind: BackendName, opts: Partial<ServerOptions> = {}): Promise<Running> {
  const { store, remove } = await freshStore(kind);
  const app = await createServer({ store, host: '127.0.0.1', webRoot: null, ...opts });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    base,
    app,
    store,
    async close() {
      await app.close();
      await store.close();
      await remove();
    },
  };
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

/** A request; the body parsed as JSON when it is JSON. */
export async function request<T = any>(base: string, path: string, init: RequestInit = {}): Promise<Answer<T>> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json: unknown = undefined;
  if (/json/.test(res.headers.get('content-type') ?? '')) json = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, json: json as T };
}

export const get = <T = any>(base: string, path: string, headers: Record<string, string> = {}) => request<T>(base, path, { headers });

export function postJson<T = any>(base: string, body: unknown, headers: Record<string, string> = {}) {
  return request<T>(base, '/articles', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function postJsonl<T = any>(base: string, lines: readonly string[], headers: Record<string, string> = {}) {
  return request<T>(base, '/articles', { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...headers }, body: lines.join('\n') + '\n' });
}

/** The bundled samples (samples/ with its index.json manifest) as JSONL article lines, with ids. */
export function sampleLines(): string[] {
  const dir = join(ROOT, 'samples');
  const manifest = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Array<{ file: string; published?: string | null; title?: string | null; url?: string | null }>;
  return manifest.map((m) => {
    const content = readFileSync(join(dir, m.file), 'utf8');
    const ext = extname(m.file);
    const base: Record<string, unknown> = ext === '.json' ? (JSON.parse(content) as Record<string, unknown>) : ext === '.txt' ? { text: content } : { html: content };
    const article: Record<string, unknown> = { ...base, id: (base['id'] as string | undefined) ?? `sample-${m.file.replace(/\.[^.]+$/, '')}` };
    if (m.published) article['published'] = m.published;
    if (m.title) article['title'] = m.title;
    if (m.url) article['url'] = m.url;
    return JSON.stringify(article);
  });
}

/** The seed story (../shared/fixtures/mali-2023-01-ambush.txt) as a JSON article. */
export function seedArticle(): { id: string; text: string; published: string; title: string } {
  const text = readFileSync(join(ROOT, '..', 'shared', 'fixtures', 'mali-2023-01-ambush.txt'), 'utf8');
  return { id: 'seed-mali-2023-01-ambush', text, published: '2023-01-12', title: 'Mali: soldiers killed in ambush' };
}
