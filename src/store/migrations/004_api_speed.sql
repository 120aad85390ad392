-- 004: what keeps GET /events and GET /facets fast over 100,000 events (bench/api.ts):
--   1. covering indexes, so that a page of a box or actor filter is found in an index alone;
--   2. a write counter of canonical events, for the HTTP API's caches (src/server/cache.ts).
--
-- ---------------------------------------------------------------- 1. covering indexes
--
-- A page of GET /events first finds the ids of its rows (the filter and the sort key only), then
-- reads the records of those rows (queries.ts, listEvents). With the filter columns in the index
-- that walks the newest-first order, that first step is an index-only scan: a box or an actor
-- that one event in 30 matches reads index pages only until it has its 50 rows, instead of 1,700
-- table rows of record JSON (a box p95 went from 59 ms to a few ms). It has the key and predicate
-- of 001's canonical_events_sort_idx, which it replaces.
create index canonical_events_active_sort_cover_idx on canonical_events ((coalesce(event_date, date '0001-01-01')) desc, id desc)
  include (event_date, latitude, longitude, fatalities, actors) where status = 'active';
drop index canonical_events_sort_idx;

-- A small box is found in the coordinates' index; with the date and the id in it, its newest rows
-- are sorted from the index alone. Replaces 002's canonical_events_active_latlon_idx.
create index canonical_events_active_latlon_cover_idx on canonical_events (latitude, longitude) include (event_date, id) where status = 'active';
drop index canonical_events_active_latlon_idx;

-- ---------------------------------------------------------------- 2. the write counter
--
-- GET /facets counts every active event four ways (225 ms p95 over 100,000 events unfiltered,
-- bench/api.ts); its answer only changes when canonical events do. The server caches it keyed by
-- this counter, which every write to canonical_events bumps, whoever the writer is (the server's
-- POST /articles, `sitrep ingest` or the merger in another process on the same database).
--
-- The counter is bumped by a deferred constraint trigger, i.e. at COMMIT of a transaction that
-- wrote canonical events, once per transaction (a transaction-local setting remembers it was done):
--   * a reader that sees the new counter also sees the writes (it is bumped inside the writing
--     transaction, so it becomes visible with them), and a reader that reads the counter *before*
--     computing an answer can only cache an answer at least as new as that counter;
--   * the counter's row lock is taken last, after the transaction's other locks, so two writers
--     wait for each other's commit at most and never deadlock on it.
-- TRUNCATE (tests, resets) bumps it at once.

create table api_writes (
  id boolean primary key default true check (id),
  n bigint not null
);
insert into api_writes (id, n) values (true, 0);

create function sitrep_api_write_bump() returns trigger
language plpgsql set search_path from current as $$
begin
  if current_setting('sitrep.api_write_bumped', true) is distinct from 'yes' then
    update api_writes set n = n + 1 where id;
    perform set_config('sitrep.api_write_bumped', 'yes', true);
  end if;
  return null;
end
$$;

create constraint trigger canonical_events_api_write
  after insert or update or delete on canonical_events
  deferrable initially deferred
  for each row execute function sitrep_api_write_bump();

create function sitrep_api_write_truncate() returns trigger
language plpgsql set search_path from current as $$
begin
  update api_writes set n = n + 1 where id;
  return null;
end
$$;

create trigger canonical_events_api_write_truncate
  after truncate on canonical_events
  for each statement execute function sitrep_api_write_truncate();
