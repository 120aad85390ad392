/**
 * The data directory: where `sitrep` keeps what the user adds (imported gazetteers), so that every
 * command run from the same place, or with the same `SITREP_DATA`, sees it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `SITREP_DATA` when set (resolved against the working directory), else `./sitrep-data`. */
export function dataDir(): string {
  const fromEnv = process.env.SITREP_DATA;
  const cwd = process.cwd();
  if (fromEnv !== last.env || cwd !== last.cwd) last = { env: fromEnv, cwd, dir: resolve(fromEnv && fromEnv.trim() ? fromEnv : 'sitrep-data') };
  return last.dir;
}

/**
 * The last answer, asked for once per text by the place finder: resolved again only when the
 * variable or the working directory changes (compared as they are, with no key string built per call).
 */
let last: { env: string | undefined; cwd: string; dir: string } = { env: undefined, cwd: '', dir: '' };

/** The folder that holds the imported gazetteer inside a data directory. */
export function gazetteerDir(dir = dataDir()): string {
  return join(dir, 'gazetteer');
}

/** Create `path` (and its parents) if missing; returns it. */
export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

/** Create the data directory's gazetteer folder if missing; returns its path. */
export function ensureGazetteerDir(dir = dataDir()): string {
  return ensureDir(gazetteerDir(dir));
}
