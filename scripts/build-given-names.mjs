// Given names for telling people from places in text set in capitals ("ALFREDO CRISTIANI", "CARLOS
// PIZARRO": no capital says which words are a name, and many surnames are also towns). Taken at build
// time from the first-name lists of @faker-js/faker (a development dependency, MIT) for the languages
// of the news sitrep reads, folded as the gazetteer folds names, one word each, into build/given-names.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GIVEN_NAMES_FILE = fileURLToPath(new URL('../build/given-names.json', import.meta.url));
const LOCALES = ['fakerEN', 'fakerEN_GB', 'fakerES', 'fakerES_MX', 'fakerFR', 'fakerPT_BR', 'fakerPT_PT', 'fakerIT', 'fakerDE'];

export async function runGivenNamesBuild() {
  const faker = await import('@faker-js/faker');
  const { foldKey } = await import('../dist/geo/countries.js');
  const names = new Set();
  for (const locale of LOCALES) {
    const first = faker[locale]?.definitions?.person?.first_name;
    if (!first) throw new Error(`@faker-js/faker: no first names for ${locale}`);
    for (const name of Array.isArray(first) ? first : Object.values(first).flat()) {
      // "Ana María" is two given names; each word is one.
      for (const word of foldKey(name).split(' ')) if (/^[a-z]{3,}$/.test(word)) names.add(word);
    }
  }
  mkdirSync(dirname(GIVEN_NAMES_FILE), { recursive: true });
  writeFileSync(GIVEN_NAMES_FILE, JSON.stringify({ source: '@faker-js/faker first names (' + LOCALES.join(', ') + ')', names: [...names].sort() }));
  return names.size;
}
