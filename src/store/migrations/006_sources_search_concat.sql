-- 006: `sources_search` (002) from the articles' own vectors. Each article's text is parsed once,
-- into articles.search (001, a generated column); 002 parsed it again for every canonical event
-- that an article reports, each time a membership changed, which was about a third of the CPU of
-- storing an article. The vector of a canonical event is now the concatenation of its articles'
-- vectors (tsvector `||`: the same lexemes, each article's positions after the previous one's),
-- in the order of the article ids as before.

create aggregate sitrep_tsvector_agg(tsvector) (sfunc = tsvector_concat, stype = tsvector, initcond = '');

create or replace function sitrep_refresh_sources_search(ids text[]) returns void
language sql set search_path from current as $$
  update canonical_events c
     set sources_search = coalesce((
       select sitrep_tsvector_agg(a.search order by a.id)
         from articles a
        where a.id in (select e.article_id from canonical_members m join article_events e on e.event_id = m.event_id
                        where m.canonical_id = c.id)), ''::tsvector)
   where c.id = any(ids);
$$;
