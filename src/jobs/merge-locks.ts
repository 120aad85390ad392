/**
 * Merge locks: what makes merging correct when several processes (`sitrep worker`s, or two
 * `sitrep ingest`s) store events of the same incident at the same moment.
 *
 * The merge step (merge-step.ts) reads the active canonical events of an event's country and type
 * family dated within `reachDays(e)` of it, then joins one or creates a singleton. Two transactions
 * doing that at once for two reports of one incident would each see no candidate (neither sees the
 * other's uncommitted singleton) and leave two canonical events where a sequential run leaves one.
 *
 * So each batch takes, with its article locks and in the same sorted statement (`lockForPut`),
 * one PostgreSQL advisory lock per block its events' merge step may read or write: type family and
 * an 8-day period, for every period that meets the event's candidate range [date − reach,
 * date + reach]. The country is not part of the block: the merger may look for candidates in
 * another country than the event's own (the one its article names, src/merge/countries.ts), and a
 * lock that ignores countries stays right whatever countries it looks in, at the price of
 * serialising the merge steps of one fortnight's events of one family anywhere. Two events of which either is in the other's range share the block
 * of the later one's date, so they are merged one after the other; and the reads after the locks
 * see what the other transaction committed (READ COMMITTED). A join moves the canonical event's date
 * only to the joining event's date or keeps it (`reconcile`: the earliest of the finest dates), both
 * inside the joiner's range, so a reader of the new date is serialised with the writer too.
 *
 * What it does not cover: a replaced article's old canonical events are rebuilt from their other
 * members (`rebuildCanonical`), whose dates the new events' blocks need not include; a concurrent
 * join into one of those is serialised by the row lock of the update, not by a block lock.
 */
import type { SitrepEvent } from '../core/types.js';
import { dayNumber, mergeable, reachDays, typeFamily } from '../merge/index.js';

/** Days per lock block. */
export const MERGE_LOCK_DAYS = 8;

/** The lock names of the blocks `e`'s merge step may touch (none when it cannot be merged). */
export function mergeLockNames(e: Pick<SitrepEvent, 'iso3' | 'country' | 'event_date' | 'event_type' | 'time_precision'>): string[] {
  if (!mergeable(e)) return [];
  const d = dayNumber(e.event_date!);
  const reach = reachDays(e);
  const prefix = `merge:${typeFamily(e.event_type)}|`;
  const out: string[] = [];
  for (let b = Math.floor((d - reach) / MERGE_LOCK_DAYS); b <= Math.floor((d + reach) / MERGE_LOCK_DAYS); b++) out.push(`${prefix}${b}`);
  return out;
}

/** The lock names for all these events, each once. */
export function mergeLocksFor(events: Iterable<Pick<SitrepEvent, 'iso3' | 'country' | 'event_date' | 'event_type' | 'time_precision'>>): string[] {
  const names = new Set<string>();
  for (const e of events) for (const n of mergeLockNames(e)) names.add(n);
  return [...names];
}
