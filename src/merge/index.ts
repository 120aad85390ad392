/**
 * The merger's pure part (no SQL): which events may describe the same real-world event, how alike
 * two are, and one canonical record for a cluster. See src/merge/README.md.
 *
 * - `evidence.ts`: the weighted terms of an event's own evidence sentences (names, rare words,
 *   distinctive numbers), and their similarity.
 * - `score.ts`: blocking keys and date ranges, the pair score with named reasons and hard conflicts.
 * - `reconcile.ts`: one record from several: sources and claims kept, counts recomputed.
 * - `cluster.ts`: the merge decision for one report among candidates (the ingest merge step's and the
 *   in-memory clusterer's), and `clusterReports`.
 */
export * from './evidence.js';
export * from './score.js';
export * from './reconcile.js';
export * from './cluster.js';
export * from './countries.js';
