-- 005: the feed watcher's state (src/feeds/, `sitrep watch`), read and written only by
-- src/feeds/state.ts.
--
-- `feeds`: one row per feed URL: the validators of the last complete fetch (ETag, Last-Modified:
-- sent back as If-None-Match / If-Modified-Since), and the error backoff (consecutive failures,
-- when to try again), so that both survive a restart and hold across `sitrep watch --once` runs.
-- `feed_items`: the items of each feed already handled, by key (the item's link, else a hash of
-- its title and text), so that no item is processed twice across restarts. Bounded per feed by the
-- watcher (the newest N, plus whatever the feed lists now).

create table feeds (
  url             text primary key,
  title           text,
  etag            text,
  last_modified   text,
  -- Consecutive failed polls; 0 after a good one.
  failures        integer not null default 0,
  last_error      text,
  -- While failing: no poll before this time.
  retry_at        timestamptz,
  last_polled_at  timestamptz,
  last_ok_at      timestamptz,
  created_at      timestamptz not null default now()
);

create table feed_items (
  feed_url    text not null references feeds (url) on delete cascade,
  item_key    text not null,
  -- done: handed to the store (or the queue); failed: given up (refused, or out of attempts);
  -- retry: its page could not be fetched for now, tried again at the next poll.
  status      text not null check (status in ('done', 'failed', 'retry')),
  attempts    integer not null default 1,
  article_id  text,
  error       text,
  first_seen_at timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  -- Order of the last write (a clock may give several writes one timestamp): the bound keeps the newest.
  seq         bigserial not null,
  primary key (feed_url, item_key)
);

create index feed_items_recent_idx on feed_items (feed_url, seq desc);
