import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveGivenNames, GIVEN_NAMES_FILE, loadGivenNames, writeGivenNames } from '../../src/annotate/given-names.js';

const tmp = mkdtempSync(join(tmpdir(), 'sitrep-given-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('given names (people in text set in capitals)', () => {
  it('are the folded one-word given names of the first-name lists, as the build wrote them', () => {
    const names = deriveGivenNames();
    expect(names.length).toBeGreaterThan(3000);
    for (const n of ['alfredo', 'jose', 'maria', 'luis', 'christopher']) expect(names).toContain(n);
    // Folded, one word each, three letters or more.
    expect(names.every((n) => /^[a-z]{3,}$/.test(n))).toBe(true);
    const built = JSON.parse(readFileSync(GIVEN_NAMES_FILE, 'utf8')) as { names: string[] };
    expect(built.names).toEqual(names);
  });

  it('are derived again from the package when the build\'s file is missing or damaged', () => {
    const damaged = join(tmp, 'damaged.json');
    writeFileSync(damaged, '{"names": [1, 2');
    for (const file of [join(tmp, 'missing.json'), damaged]) expect(loadGivenNames(file).has('alfredo')).toBe(true);
    const written = join(tmp, 'given.json');
    expect(writeGivenNames(written)).toBe(deriveGivenNames().length);
    expect(loadGivenNames(written).size).toBe(deriveGivenNames().length);
  });
});
