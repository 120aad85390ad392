/**
 * `sitrep demo` (what `npm start` runs): a summary per bundled sample and a total line; `--json` prints
 * one result per sample. Also: output closed early by the reader (`| head`) ends quietly.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, SPAWN_TIMEOUT_MS, expectNoStackTrace, jsonLines, sitrep, warnIfStaleBuild, type ExtractOutput, type RunResult } from './run.js';

interface IndexEntry {
  file: string;
  title: string | null;
}

const samples = JSON.parse(readFileSync(join(ROOT, 'samples', 'index.json'), 'utf8')) as IndexEntry[];
// The demo lists the sample files in name order.
const files = samples.map((s) => s.file).sort();

/** Starts `sitrep ...args`, closes its standard output after the first chunk, and waits for it to end. */
function runAndCloseEarly(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

let summary: RunResult;
let json: RunResult;
let closedEarly: { code: number | null; stderr: string };

beforeAll(async () => {
  warnIfStaleBuild();
  [summary, json, closedEarly] = await Promise.all([sitrep(['demo', '--print']), sitrep(['demo', '--print', '--json']), runAndCloseEarly(['demo', '--print', '--json'])]);
}, SPAWN_TIMEOUT_MS);

describe('sitrep demo', () => {
  it('is what npm start runs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBe('node bin/sitrep.js demo');
  });

  it('exits 0 with a summary per sample and a total line', () => {
    expect(summary.stderr).toBe('');
    expect(summary.code).toBe(0);
    const headers = summary.stdout.split('\n').filter((l) => l.startsWith('■ '));
    expect(headers.map((h) => h.slice(2).split(' — ')[0])).toEqual(files);
    // Each header carries the title from samples/index.json.
    for (const sample of samples) {
      if (sample.title) expect(headers).toContain(`■ ${sample.file} — ${sample.title}`);
    }
    const total = summary.stdout.trimEnd().split('\n').at(-1) ?? '';
    const m = /^(\d+) articles, (\d+) events, (\d+) unreadable, in \d+ ms\.$/.exec(total);
    expect(m, total).not.toBeNull();
    expect(Number(m?.[1])).toBe(files.length);
    expect(Number(m?.[2])).toBeGreaterThanOrEqual(files.length * 0.9);
    expect(Number(m?.[3])).toBe(0);
  });

  it('--json prints one extract result per sample, in the same order', () => {
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const results = jsonLines(json.stdout) as (ExtractOutput & { article: { source?: string } })[];
    expect(results).toHaveLength(files.length);
    expect(results.map((r) => basename(r.article.source ?? ''))).toEqual(files);
    for (const r of results) {
      expect(Object.keys(r.article)).toEqual(expect.arrayContaining(['id', 'title', 'url', 'published', 'text', 'removed']));
      expect(Array.isArray(r.events)).toBe(true);
    }
    // Every sample describes at least one event; let a few be missed, but not most.
    expect(results.filter((r) => r.events.length > 0).length).toBeGreaterThanOrEqual(Math.floor(files.length * 0.9));
  });

  it('stops quietly when the reader closes the output early (sitrep demo --json | head -1)', () => {
    expectNoStackTrace(closedEarly.stderr);
    expect(closedEarly.stderr).toBe('');
    expect(closedEarly.code).toBe(0);
  });
});

describe('sitrep demo (npm start) serves the dashboard over the samples', () => {
  it('ingests the samples into the data directory, serves API and dashboard, adds nothing on a second start, stops on SIGTERM', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const data = mkdtempSync(join(tmpdir(), 'sitrep-demo-'));
    const start = (): Promise<{ url: string; stop: () => Promise<number | null>; out: () => string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'demo', '--port', '0'], { cwd: ROOT, env: { ...process.env, SITREP_DATA: data, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        const onData = (b: Buffer): void => {
          out += b.toString('utf8');
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve({ url: m[1]!, out: () => out, stop: () => new Promise((done) => (child.kill('SIGTERM'), child.on('close', (code) => done(code)))) });
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('error', reject);
        child.on('close', (code) => reject(new Error(`demo ended (${code}) before listening:\n${out}`)));
      });
    try {
      const first = await start();
      const health = (await (await fetch(`${first.url}/health`)).json()) as { store: string; events: number; articles: number };
      expect(health.store).toBe('pglite');
      expect(health.articles).toBe(files.length);
      expect(health.events).toBeGreaterThanOrEqual(files.length * 0.9);
      const page = await fetch(`${first.url}/`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toMatch(/<script type="module"/);
      expect(await first.stop()).toBe(0);
      const again = await start();
      expect(again.out()).toMatch(new RegExp(`${files.length} unchanged`));
      const health2 = (await (await fetch(`${again.url}/health`)).json()) as { events: number; articles: number };
      expect(health2).toMatchObject({ events: health.events, articles: health.articles });
      expect(await again.stop()).toBe(0);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
