-- 002: what the HTTP API's reads need (src/store/queries.ts), measured by bench/api.ts with
-- 100,000 canonical events in PostgreSQL.
--
-- 1. Partial indexes over active canonical events (the API lists nothing else). Because they are
--    partial, a count or an aggregate that an index answers reads no table page (the bitmap heap
--    scan skips all-visible pages, index-only scans apply): GET /events' `total`, the timeline and
--    the facets do not read 100,000 rows of JSON.
-- 2. `sources_search`: the full text of the articles that report each canonical event, kept by
--    triggers on canonical_members (so every writer, ingest or merger, keeps it without knowing),
--    so that `q` searches the events' words and their reports' text with one GIN index each.
-- 3. `actor_names`: every actor name of a canonical event, kept by triggers, so that the actor
--    substring filter (ILIKE) scans a few thousand names instead of every event, then uses the GIN
--    index on `actors`.

-- ---------------------------------------------------------------- 1. indexes for active events

-- The country filter takes names and ISO3 codes: one column to match instead of `country or iso3`,
-- which no single index answers (the API passes both spellings, and the name alone for events
-- without a code).
alter table canonical_events add column country_key text generated always as (coalesce(iso3, country)) stored;

-- Filters, each with event_date (a date range narrows the index scan itself) and fatalities (the
-- timeline of a filtered set is then read from the index alone).
create index canonical_events_active_country_date_idx on canonical_events (country_key, event_date, fatalities) where status = 'active';
create index canonical_events_active_admin1_idx on canonical_events (admin1, event_date, fatalities) where status = 'active';
create index canonical_events_active_type_idx on canonical_events (event_type, event_date, fatalities) where status = 'active';
create index canonical_events_active_sub_type_idx on canonical_events (sub_event_type, event_date, fatalities) where status = 'active';
create index canonical_events_active_latlon_idx on canonical_events (latitude, longitude) where status = 'active';
create index canonical_events_active_fatalities_idx on canonical_events (fatalities, event_date) where status = 'active';
create index canonical_events_active_actors_idx on canonical_events using gin (actors) where status = 'active';
create index canonical_events_active_search_idx on canonical_events using gin (search) where status = 'active';
-- The timeline: events and fatalities per day, from the index alone.
create index canonical_events_active_timeline_idx on canonical_events (event_date, fatalities) where status = 'active' and event_date is not null;
-- The facets: counts per value from the index alone.
create index canonical_events_active_facet_admin1_idx on canonical_events (country, admin1) where status = 'active';
create index canonical_events_active_facet_type_idx on canonical_events (event_type, sub_event_type) where status = 'active';

-- Sort orders of GET /events (keyset: the key, then the id), besides event_date (001's sort index).
create index canonical_events_active_fatalities_sort_idx on canonical_events (fatalities desc, id desc) where status = 'active';
create index canonical_events_active_country_sort_idx on canonical_events ((coalesce(country, '')), id) where status = 'active';
create index canonical_events_active_type_sort_idx on canonical_events (event_type, id) where status = 'active';
create index canonical_events_active_location_sort_idx on canonical_events ((coalesce(location, '')), id) where status = 'active';

-- ---------------------------------------------------------------- 2. the reports' text

alter table canonical_events add column sources_search tsvector not null default ''::tsvector;

-- Recomputes sources_search of these canonical events from their members' articles (title and text).
create function sitrep_refresh_sources_search(ids text[]) returns void
language sql set search_path from current as $$
  update canonical_events c
     set sources_search = coalesce((
       select to_tsvector('simple'::regconfig, string_agg(coalesce(a.title, '') || ' ' || a.text, ' ' order by a.id))
         from articles a
        where a.id in (select e.article_id from canonical_members m join article_events e on e.event_id = m.event_id
                        where m.canonical_id = c.id)), ''::tsvector)
   where c.id = any(ids);
$$;

create function sitrep_members_changed() returns trigger
language plpgsql set search_path from current as $$
begin
  if tg_op = 'INSERT' then
    perform sitrep_refresh_sources_search(array(select distinct canonical_id from new_members));
  elsif tg_op = 'DELETE' then
    perform sitrep_refresh_sources_search(array(select distinct canonical_id from old_members));
  else
    perform sitrep_refresh_sources_search(array(select canonical_id from new_members union select canonical_id from old_members));
  end if;
  return null;
end
$$;

-- Statement triggers: one UPDATE per statement, however many memberships it wrote (putCanonicals
-- writes a batch in one). An article replaced by a new text loses its memberships first (delete),
-- then gets them back with the new text (insert), so the vector follows the text.
create trigger canonical_members_sources_insert after insert on canonical_members
  referencing new table as new_members for each statement execute function sitrep_members_changed();
create trigger canonical_members_sources_delete after delete on canonical_members
  referencing old table as old_members for each statement execute function sitrep_members_changed();
create trigger canonical_members_sources_update after update on canonical_members
  referencing old table as old_members new table as new_members for each statement execute function sitrep_members_changed();

select sitrep_refresh_sources_search(array(select distinct canonical_id from canonical_members));

create index canonical_events_active_sources_search_idx on canonical_events using gin (sources_search) where status = 'active';

-- ---------------------------------------------------------------- 3. actor names

-- Every name that has appeared in a canonical event's `actors` (never pruned: a name no event has
-- any more only costs a row, and matches nothing through the GIN index).
create table actor_names (name text primary key);

create function sitrep_actor_names_add() returns trigger
language plpgsql set search_path from current as $$
begin
  insert into actor_names (name)
  select distinct a from new_events, unnest(new_events.actors) as a where a is not null and a <> ''
  on conflict do nothing;
  return null;
end
$$;

create trigger canonical_events_actor_names_insert after insert on canonical_events
  referencing new table as new_events for each statement execute function sitrep_actor_names_add();
create trigger canonical_events_actor_names_update after update on canonical_events
  referencing new table as new_events for each statement execute function sitrep_actor_names_add();

insert into actor_names (name)
select distinct a from canonical_events, unnest(actors) as a where a is not null and a <> ''
on conflict do nothing;
