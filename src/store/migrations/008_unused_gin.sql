-- 008: three GIN indexes that no query reads, dropped (each stored article paid for them).
-- articles.search is read only through canonical_events.sources_search (006), never searched by
-- itself; the canonical events' text and actor filters all ask for active events (queries.ts,
-- canonical.ts) and use the partial indexes of 002 (canonical_events_active_search_idx,
-- canonical_events_active_actors_idx). Together these three took about half of the GIN entries
-- written per article (a MUC-4 story: some 300 lexemes in its text's vector alone).
drop index if exists articles_search_idx;
drop index if exists canonical_events_search_idx;
drop index if exists canonical_events_actors_idx;
