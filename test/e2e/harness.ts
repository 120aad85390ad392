/**
 * The browser tests' harness: a real `sitrep serve` over a fresh data directory (filled first with
 * `sitrep ingest`), Debian's Chromium driven by playwright-core, and screenshots of each step under
 * test-results/e2e/ (git-ignored; CI keeps the folder). Nothing is mocked: the page talks to the
 * server as a user's browser would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'sitrep.js');
export const SHOTS = join(ROOT, 'test-results', 'e2e');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The flags Chromium needs here (../shared/design.md): no sandbox, no GPU (WebGL falls back to SwiftShader), no network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

/** Spawning, ingesting and a browser on a busy two-core machine: generous limits for hooks and tests. */
export const E2E_TIMEOUT_MS = 180_000;

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** `sitrep ingest PATHS...` into a data directory; throws with its standard error when it fails. */
export function ingest(dataDir: string, paths: string[], extra: string[] = []): string {
  const r = spawnSync(process.execPath, [BIN, 'ingest', ...extra, ...paths], {
    cwd: ROOT,
    env: { ...process.env, SITREP_DATA: dataDir, DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: E2E_TIMEOUT_MS,
  });
  if (r.status !== 0) throw new Error(`sitrep ingest ${paths.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stderr;
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** What the server wrote to its standard output and error so far. */
  log: () => string;
  stop: () => Promise<void>;
}

/** A fresh data directory under the system's temporary folder. */
export function tempDataDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sitrep-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `node bin/sitrep.js serve --host 127.0.0.1 --port N` over `dataDir`, resolved once GET /health
 * answers 200. The dashboard must have been built (`npm run build:web`; `npm test` builds it).
 */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) throw new Error('web/dist/index.html is missing: run `npm run build:web` first');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, SITREP_DATA: dataDir, DATABASE_URL: '', SITREP_API_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')));
  let exited: string | null = null;
  child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`sitrep serve ${exited} before answering: ${output}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sitrep serve did not answer GET /health within 90 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    dataDir,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Chromium with the flags above; playwright gives every launch a fresh temporary profile (user data dir). */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium; set CHROMIUM_PATH to use another)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A full-page screenshot of the step, as test-results/e2e/NAME.png. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** RFC 4180 CSV into rows of fields (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** GET a JSON document from the server (the tests compare the page with what the API says). */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
