/**
 * Helpers for the command-line tests: run the real `node bin/sitrep.js` in a child process and look at
 * its exit code, standard output and standard error. Nothing is mocked.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'sitrep.js');

/**
 * Each extraction process takes 1–2 s of CPU (it loads the gazetteers); on a busy two-core machine a
 * batch of them can take far longer than vitest's 5 s default. Use for tests and hooks that spawn.
 */
export const SPAWN_TIMEOUT_MS = 120_000;

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/sitrep.js ...args`, writing `input` (if any) to its standard input. */
export function sitrep(args: string[], input?: string | Uint8Array): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, SITREP_DEBUG: '' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    // An input the command refuses early may close the pipe before all of it is written; that is fine.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Standard output parsed as one JSON value per non-empty line. */
export function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** No stack frame ("    at f (file:1:2)") and no dumped error class ("TypeError: ...", "Error: ..."). */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at\s/m);
  expect(stderr).not.toMatch(/(^|\s)[A-Za-z]*Error:/m);
  expect(stderr).not.toMatch(/node:internal|\.js:\d+:\d+/);
}

/** A fresh temporary folder; `write` puts a file in it and returns its path. */
export function tempDir(prefix: string): { dir: string; write: (name: string, content: string | Uint8Array) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sitrep-${prefix}-`));
  return {
    dir,
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function newestMtime(dir: string, ext: string): { path: string; mtime: number } {
  let best = { path: '', mtime: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory() ? newestMtime(path, ext) : path.endsWith(ext) ? { path, mtime: statSync(path).mtimeMs } : best;
    if (found.mtime > best.mtime) best = found;
  }
  return best;
}

/**
 * bin/sitrep.js runs the compiled dist/. When a source file is newer than the build, these tests run
 * old code; say so, so that a failure (or a pass) is not misread. `npm test` builds first. Only a
 * warning: sources change while someone edits, and a missing build fails loudly on its own.
 */
export function warnIfStaleBuild(): void {
  const src = newestMtime(join(ROOT, 'src'), '.ts');
  const dist = newestMtime(join(ROOT, 'dist'), '.js');
  if (src.mtime > dist.mtime) {
    console.warn(`warning: dist/ is older than ${src.path}; the CLI tests run the old build (run \`npx tsc -p .\`)`);
  }
}

/** Every claim's text is the slice of article.text at its offsets; every evidence span lies inside the text. */
export function expectOffsetsInText(text: string, events: EventLike[]): void {
  for (const event of events) {
    for (const claim of event.claims) {
      expect(claim.start).toBeGreaterThanOrEqual(0);
      expect(claim.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(claim.start, claim.end)).toBe(claim.text);
    }
    for (const ev of event.evidence) {
      expect(Number.isInteger(ev.start) && Number.isInteger(ev.end)).toBe(true);
      expect(ev.start).toBeGreaterThanOrEqual(0);
      expect(ev.end).toBeGreaterThan(ev.start);
      expect(ev.end).toBeLessThanOrEqual(text.length);
      const span = text.slice(ev.start, ev.end);
      // A span that starts or ends in whitespace is cut at the wrong place.
      expect(span.trim(), `evidence for ${ev.field}: ${JSON.stringify(span)}`).toBe(span);
    }
  }
}

/** The parts of an event these tests look at (the full type is SitrepEvent in src/core/types.ts). */
export interface EventLike {
  event_id: string;
  event_type: string;
  country: string | null;
  claims: { text: string; start: number; end: number }[];
  evidence: { field: string; start: number; end: number }[];
  sources: { article_id: string; url: string | null; title: string | null; published: string | null }[];
  [field: string]: unknown;
}

export interface ExtractOutput {
  article: { id: string; title: string | null; url: string | null; published: string | null; text: string; removed: string[] };
  events: EventLike[];
}
