/**
 * Given names, for telling people from places in text set in capitals ("ALFREDO CRISTIANI", "CARLOS
 * PIZARRO": no capital says which words are a name, and many surnames are also towns). The build
 * takes them from the first-name lists of `@faker-js/faker` (a development dependency, MIT) for the
 * languages of the news sitrep reads, folded as the gazetteer folds names, one word each, into
 * build/given-names.json; a run without that file derives them again when the package is there, and
 * otherwise finds no people (places are then found as before the list existed).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldKey } from '../geo/countries.js';

const require = createRequire(import.meta.url);

export const GIVEN_NAMES_FILE = fileURLToPath(new URL('../../build/given-names.json', import.meta.url));
const LOCALES = ['fakerEN', 'fakerEN_GB', 'fakerES', 'fakerES_MX', 'fakerFR', 'fakerPT_BR', 'fakerPT_PT', 'fakerIT', 'fakerDE'] as const;

type FirstNames = string[] | Record<string, string[]>;

/** The folded given names of the package's lists, sorted ("ana maria" gives "ana" and "maria"); throws when the package is missing. */
export function deriveGivenNames(): string[] {
  const faker = require('@faker-js/faker') as Record<string, { definitions?: { person?: { first_name?: FirstNames } } } | undefined>;
  const names = new Set<string>();
  for (const locale of LOCALES) {
    const first = faker[locale]?.definitions?.person?.first_name;
    if (!first) throw new Error(`@faker-js/faker: no first names for ${locale}`);
    for (const name of Array.isArray(first) ? first : Object.values(first).flat()) {
      for (const word of foldKey(name).split(' ')) if (/^[a-z]{3,}$/.test(word)) names.add(word);
    }
  }
  return [...names].sort();
}

/** Write the build's file (`npm run build`); returns how many names it holds. */
export function writeGivenNames(file = GIVEN_NAMES_FILE): number {
  const names = deriveGivenNames();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ source: `@faker-js/faker first names (${LOCALES.join(', ')})`, names }));
  return names.length;
}

/** The given names: the build's file, else derived from the package, else none. */
export function loadGivenNames(file = GIVEN_NAMES_FILE): Set<string> {
  try {
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { names?: unknown };
      if (Array.isArray(data.names) && data.names.every((n) => typeof n === 'string')) return new Set(data.names as string[]);
    }
  } catch {
    // A damaged file is derived again below.
  }
  try {
    return new Set(deriveGivenNames());
  } catch {
    return new Set();
  }
}
