/**
 * The job queue (BullMQ on Redis) between the readers (`sitrep ingest`, `sitrep watch`) and a
 * fleet of `sitrep worker`s. See src/queue/README.md.
 */
export * from './config.js';
export * from './enqueue.js';
export * from './worker.js';
export * from './admin.js';
