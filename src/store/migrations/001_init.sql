-- 001: articles, their versions, per-article events with claims and evidence, canonical (merged)
-- events with their members, and merge decisions.
--
-- Plain SQL for PostgreSQL 15+ and PGlite: no extensions (no PostGIS, no pg_trgm). Applied inside
-- one transaction by src/store/migrate.ts, which records it in schema_migrations. Never edit an
-- applied migration: add the next numbered file instead (the migrator checks each file's checksum).
--
-- Conventions: ids of things that come from the pipeline are text (article ids, event ids);
-- ids the store makes are bigint identities. Every event table keeps the whole event JSON in
-- `data` (exactly what was stored, so reads round-trip) and copies the fields that the filters
-- need into indexed columns.

-- Where articles come from: a site (the URL's host) or a name the caller gives.
create table sources (
  id          bigint generated always as identity primary key,
  name        text not null unique,
  url         text,
  created_at  timestamptz not null default now()
);

create table articles (
  id            text primary key,
  url           text unique,
  title         text,
  published     date,
  -- Where the article was read from, as given (file path, "stdin", "line 3 of x.jsonl").
  source        text,
  source_id     bigint references sources(id),
  text          text not null,
  removed       jsonb not null default '[]',
  -- sha256 of the text with case folded and whitespace collapsed (src/store/hash.ts).
  content_hash  text not null,
  -- 1 for the first text; +1 each time a changed text replaces the stored one.
  version       integer not null default 1,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  search        tsvector generated always as (
                  to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)
                ) stored
);
create index articles_content_hash_idx on articles (content_hash);
create index articles_published_idx on articles (published);
create index articles_source_id_idx on articles (source_id);
create index articles_search_idx on articles using gin (search);

-- The texts (and events) that a changed article replaced: one row per replaced version.
create table article_versions (
  id            bigint generated always as identity primary key,
  article_id    text not null references articles(id) on delete cascade,
  version       integer not null,
  url           text,
  title         text,
  published     date,
  source        text,
  text          text not null,
  removed       jsonb not null,
  content_hash  text not null,
  -- The events extracted from that text, as they were stored.
  events        jsonb not null,
  -- When that version was stored, and when it was replaced.
  stored_at     timestamptz not null,
  replaced_at   timestamptz not null default now(),
  unique (article_id, version)
);
create index article_versions_content_hash_idx on article_versions (content_hash);

-- The events extracted from one article (SitrepEvent JSON in `data`).
create table article_events (
  event_id        text primary key,
  article_id      text not null references articles(id) on delete cascade,
  -- Position in the article's event list (0-based): reads return events in this order.
  ordinal         integer not null,
  event_date      date,
  time_precision  smallint,
  event_type      text not null,
  sub_event_type  text not null,
  disorder_type   text,
  actor1          text,
  assoc_actor_1   text,
  actor2          text,
  assoc_actor_2   text,
  -- actor1, actor2 and each "; "-separated associated actor: the actor filter.
  actors          text[] not null default '{}',
  inter1          smallint,
  inter2          smallint,
  country         text,
  iso3            text,
  admin1          text,
  admin2          text,
  location        text,
  latitude        double precision,
  longitude       double precision,
  geo_precision   smallint,
  fatalities      integer not null default 0,
  fatalities_low  integer,
  fatalities_best integer,
  fatalities_high integer,
  injured_low     integer,
  injured_best    integer,
  injured_high    integer,
  notes           text,
  data            jsonb not null,
  created_at      timestamptz not null default now(),
  search          tsvector generated always as (
                    to_tsvector('simple'::regconfig,
                      coalesce(notes, '') || ' ' || coalesce(actor1, '') || ' ' || coalesce(assoc_actor_1, '') || ' ' ||
                      coalesce(actor2, '') || ' ' || coalesce(assoc_actor_2, '') || ' ' || coalesce(location, '') || ' ' ||
                      coalesce(admin2, '') || ' ' || coalesce(admin1, '') || ' ' || coalesce(country, ''))
                  ) stored,
  unique (article_id, ordinal)
);
create index article_events_sort_idx on article_events ((coalesce(event_date, date '0001-01-01')) desc, event_id desc);
create index article_events_iso3_date_idx on article_events (iso3, event_date);
create index article_events_country_idx on article_events (country);
create index article_events_admin1_idx on article_events (admin1);
create index article_events_type_idx on article_events (event_type, sub_event_type);
create index article_events_fatalities_idx on article_events (fatalities);
create index article_events_latlon_idx on article_events (latitude, longitude);
create index article_events_actors_idx on article_events using gin (actors);
create index article_events_search_idx on article_events using gin (search);

-- Every number a source states about an article event.
create table claims (
  id          bigint generated always as identity primary key,
  event_id    text not null references article_events(event_id) on delete cascade,
  article_id  text not null references articles(id) on delete cascade,
  ordinal     integer not null,
  kind        text not null,
  count       integer,
  count_high  integer,
  qualifier   text not null,
  claimant    text,
  victim      text,
  span_start  integer not null,
  span_end    integer not null,
  span_text   text not null,
  check (0 <= span_start and span_start <= span_end)
);
create index claims_event_idx on claims (event_id);
create index claims_article_idx on claims (article_id);
create index claims_kind_idx on claims (kind);

-- For each field of an article event filled from the text, the span that supports it.
create table evidence (
  id          bigint generated always as identity primary key,
  event_id    text not null references article_events(event_id) on delete cascade,
  article_id  text not null references articles(id) on delete cascade,
  ordinal     integer not null,
  field       text not null,
  span_start  integer not null,
  span_end    integer not null,
  span_text   text not null,
  check (0 <= span_start and span_start <= span_end)
);
create index evidence_event_idx on evidence (event_id);
create index evidence_article_idx on evidence (article_id);

-- Canonical events: one real-world event, merged from the article events that report it. The
-- merger writes `data` (the reconciled SitrepEvent); the store copies the filter columns from it.
create table canonical_events (
  id              text primary key,
  -- 'active' is listed; 'retired' when its last member left (kept for history and decisions).
  status          text not null default 'active' check (status in ('active', 'retired')),
  -- True when members changed (an article was replaced, a member removed) since `data` was written.
  stale           boolean not null default false,
  event_date      date,
  event_type      text not null,
  sub_event_type  text not null,
  actor1          text,
  assoc_actor_1   text,
  actor2          text,
  assoc_actor_2   text,
  actors          text[] not null default '{}',
  country         text,
  iso3            text,
  admin1          text,
  admin2          text,
  location        text,
  latitude        double precision,
  longitude       double precision,
  fatalities      integer not null default 0,
  notes           text,
  data            jsonb not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  search          tsvector generated always as (
                    to_tsvector('simple'::regconfig,
                      coalesce(notes, '') || ' ' || coalesce(actor1, '') || ' ' || coalesce(assoc_actor_1, '') || ' ' ||
                      coalesce(actor2, '') || ' ' || coalesce(assoc_actor_2, '') || ' ' || coalesce(location, '') || ' ' ||
                      coalesce(admin2, '') || ' ' || coalesce(admin1, '') || ' ' || coalesce(country, ''))
                  ) stored
);
-- The listing order (newest first, undated last, id as tie-break) is also the cursor's key.
create index canonical_events_sort_idx on canonical_events ((coalesce(event_date, date '0001-01-01')) desc, id desc)
  where status = 'active';
create index canonical_events_iso3_date_idx on canonical_events (iso3, event_date);
create index canonical_events_country_idx on canonical_events (country);
create index canonical_events_admin1_idx on canonical_events (admin1);
create index canonical_events_type_idx on canonical_events (event_type, sub_event_type);
create index canonical_events_fatalities_idx on canonical_events (fatalities);
create index canonical_events_latlon_idx on canonical_events (latitude, longitude);
create index canonical_events_actors_idx on canonical_events using gin (actors);
create index canonical_events_search_idx on canonical_events using gin (search);
create index canonical_events_stale_idx on canonical_events (stale) where stale;

-- Why events were (or were not) merged. A 'pair' decision links two article events (event_a <
-- event_b); a 'member' decision puts one article event (event_a) into a canonical event. Event ids
-- are plain text, not foreign keys: a decision outlives the events it names (a replaced article
-- gets the same event ids back), so an undone merge stays undone when the merger runs again.
create table merge_decisions (
  id            bigint generated always as identity primary key,
  kind          text not null check (kind in ('pair', 'member')),
  canonical_id  text references canonical_events(id) on delete set null,
  event_a       text not null,
  event_b       text,
  score         double precision not null,
  reasons       jsonb not null default '[]',
  decided_by    text not null default 'merger',
  decided_at    timestamptz not null default now(),
  -- The unmerge record: who undid it, when, and why. An undone decision is never redone.
  undone        boolean not null default false,
  undone_at     timestamptz,
  undone_by     text,
  undo_reason   text,
  check ((kind = 'pair') = (event_b is not null)),
  check (event_b is null or event_a < event_b collate "C"),
  check (undone = (undone_at is not null))
);
create index merge_decisions_event_a_idx on merge_decisions (event_a);
create index merge_decisions_event_b_idx on merge_decisions (event_b);
create index merge_decisions_canonical_idx on merge_decisions (canonical_id);

-- Which article events a canonical event is made of. An article event belongs to at most one.
create table canonical_members (
  event_id      text primary key references article_events(event_id) on delete cascade,
  canonical_id  text not null references canonical_events(id) on delete cascade,
  -- The decision that put it there, when there was one (undoing it removes the membership).
  decision_id   bigint references merge_decisions(id) on delete set null,
  added_at      timestamptz not null default now()
);
create index canonical_members_canonical_idx on canonical_members (canonical_id);
create index canonical_members_decision_idx on canonical_members (decision_id);
