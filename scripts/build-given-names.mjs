// The given names that tell people from places in text set in capitals, from @faker-js/faker's
// first-name lists, into build/given-names.json (see src/annotate/given-names.ts). Run by scripts/build-data.mjs.
const { GIVEN_NAMES_FILE, writeGivenNames } = await import('../dist/annotate/given-names.js');

export { GIVEN_NAMES_FILE };
export async function runGivenNamesBuild() {
  return writeGivenNames();
}
