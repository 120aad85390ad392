-- 007: a canonical event's row is written once per change of its members, not twice, and the
-- refresh is planned once per connection, not on every call.
--
-- putCanonicals now writes `sources_search` (006: the concatenation of its members' articles'
-- vectors) with the row itself; the membership trigger (002) then recomputed the same vector and
-- rewrote the row anyway: a second row version with an entry in each of the table's ~30 indexes
-- (three of them GIN), for every canonical event ingest writes. The refresh now rewrites only the
-- rows whose vector differs from the one their members give (a membership added by the merger, a
-- member removed by unmerge or by a replaced article), so the trigger stays the one place that
-- keeps the vector true, whoever writes the memberships.
--
-- The refresh was a SQL function, which PostgreSQL parses and plans again on every call (about
-- 0.9 ms of server CPU per call, once per canonical write, against 0.2 ms for its UPDATE); in
-- PL/pgSQL its statement is prepared once per connection. `c.id = any(ids)` as well as the join:
-- without it the planner, which takes unnest() for 10 rows, may hash the whole table on every call.

create or replace function sitrep_refresh_sources_search(ids text[]) returns void
language plpgsql set search_path from current as $$
begin
  update canonical_events c
     set sources_search = v.vector
    from (select k.id, coalesce((
            select sitrep_tsvector_agg(a.search order by a.id)
              from articles a
             where a.id in (select e.article_id from canonical_members m join article_events e on e.event_id = m.event_id
                             where m.canonical_id = k.id)), ''::tsvector) as vector
            from unnest(ids) as k(id)) v
   where c.id = any(ids) and c.id = v.id and c.sources_search is distinct from v.vector;
end
$$;

-- The membership trigger skips the refresh once when the statement that inserted the memberships
-- says it wrote the vectors of their canonical events itself (putCanonicals: it knows each event's
-- final members). The flag is set by that statement (transaction-local, undone with it on an error)
-- and consumed here, so it never covers a later statement.
create or replace function sitrep_members_changed() returns trigger
language plpgsql set search_path from current as $$
begin
  if tg_op = 'INSERT' and current_setting('sitrep.members_vector', true) = 'written' then
    perform set_config('sitrep.members_vector', '', true);
  elsif tg_op = 'INSERT' then
    perform sitrep_refresh_sources_search(array(select distinct canonical_id from new_members));
  elsif tg_op = 'DELETE' then
    perform sitrep_refresh_sources_search(array(select distinct canonical_id from old_members));
  else
    perform sitrep_refresh_sources_search(array(select canonical_id from new_members union select canonical_id from old_members));
  end if;
  return null;
end
$$;
