/**
 * Canonical (merged) events, their members and the merge decisions: the primitives the merger uses.
 * The store decides nothing about which events are the same; it keeps what the merger decided,
 * with its score and reasons, and keeps undone decisions so that the merger can leave them undone.
 */
import { randomUUID } from 'node:crypto';
import { InputError } from '../core/types.js';
import type { SitrepEvent } from '../core/types.js';
import { markChanged } from './articles.js';
import type { Conn } from './driver.js';
import { checkLimit, encodeCursor, pageSql } from './filter.js';
import type { EventFilter, Page } from './filter.js';
import { compareBytes } from './hash.js';
import { CANONICAL_COLUMNS, DECISION_COLUMNS, toCanonical, toDecision } from './rows.js';
import type { CanonicalEvent, Json, MergeDecision, StoredArticleEvent } from './rows.js';
import { checkCanonicalEvent } from './validate.js';
import type { EventRow } from './validate.js';

export interface CanonicalInput {
  /** Default: a random UUID. Pass a stable id to keep it across re-runs. */
  id?: string;
  /** The merged record; its `event_id` is set to the canonical id. */
  event: SitrepEvent;
  /** Article event ids to add as members. */
  members?: readonly string[];
  /** The decision that created it (recorded on the memberships). */
  decisionId?: number;
}

export type MergeDecisionInput =
  | { kind: 'pair'; events: readonly [string, string]; canonicalId?: string | null; score: number; reasons: Json; decidedBy?: string }
  | { kind: 'member'; eventId: string; canonicalId: string; score: number; reasons: Json; decidedBy?: string };

export interface DecisionFilter {
  /** Decisions naming any of these article events. */
  eventIds?: readonly string[];
  canonicalId?: string;
  /** true: only undone ones; false: only standing ones; default both. */
  undone?: boolean;
}

export interface UndoResult {
  decision: MergeDecision;
  /** The memberships that the decision had made and that were removed: [canonical_id, event_id]. */
  removedMembers: Array<[string, string]>;
}

export interface ArticleEventFilter extends EventFilter {
  articleId?: string;
  /** true: only events in no canonical event; false: only merged ones. */
  unmerged?: boolean;
}

const fail = (what: string, reason: string): never => {
  throw new InputError(what, reason);
};

const COLUMNS = `event_date, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2, actors, country, iso3,
  admin1, admin2, location, latitude, longitude, fatalities, notes, data`;

function columnValues(row: EventRow, event: SitrepEvent, id: string): unknown[] {
  return [
    row.event_date, row.event_type, row.sub_event_type, row.actor1, row.assoc_actor_1, row.actor2, row.assoc_actor_2,
    row.actors, row.country, row.iso3, row.admin1, row.admin2, row.location, row.latitude, row.longitude, row.fatalities,
    row.notes, JSON.stringify({ ...event, event_id: id }),
  ];
}

export async function createCanonical(conn: Conn, input: CanonicalInput): Promise<string> {
  const id = input.id ?? randomUUID();
  if (typeof id !== 'string' || id.trim() === '') fail('canonical event', 'id must be a non-empty string');
  const row = checkCanonicalEvent(input.event, id);
  const values = columnValues(row, input.event, id);
  try {
    await conn.query(
      `insert into canonical_events (id, ${COLUMNS}) values ($1, ${values.map((_, i) => `$${i + 2}${i === values.length - 1 ? '::jsonb' : ''}`).join(', ')})`,
      [id, ...values],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') fail(`canonical event ${id}`, 'already exists');
    throw err;
  }
  if (input.members?.length) await addMembers(conn, id, input.members, input.decisionId);
  return id;
}

/**
 * Writes several canonical events whose records are final for their members, in three statements
 * whatever their number (the merger's output, or the ingest's singleton step before there is a
 * merger). Each input's canonical event is created, or, when one with its id exists (say, retired
 * after its article was replaced and now reported again under the same event id), rewritten and made
 * active again; its members are added. None is stale afterwards. A member that does not exist or
 * belongs to another canonical event refuses the whole call. Each row is written with the text
 * vector (`sources_search`) of its final members (the stored ones and the given ones), and the
 * membership insert tells the trigger so (`sitrep.members_vector`, consumed by the trigger:
 * migration 007): one row version per canonical event, and no second computation of the vector.
 */
export async function putCanonicals(conn: Conn, inputs: readonly CanonicalInput[]): Promise<string[]> {
  if (inputs.length === 0) return [];
  const ids = new Set<string>();
  const rows: Array<Record<string, unknown>> = [];
  const members: Array<{ event_id: string; canonical_id: string; decision_id: number | null }> = [];
  for (const input of inputs) {
    const id = input.id;
    if (typeof id !== 'string' || id.trim() === '') fail('canonical event', 'putCanonicals needs an id for every event');
    if (ids.has(id!)) fail(`canonical event ${id}`, 'appears twice in one call');
    ids.add(id!);
    const row = checkCanonicalEvent(input.event, id!);
    const [event_date, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2, actors, country, iso3, admin1, admin2, location, latitude, longitude, fatalities, notes] =
      columnValues(row, input.event, id!);
    const own = [...new Set(input.members ?? [])];
    rows.push({
      id, event_date, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2, actors, country, iso3, admin1, admin2,
      location, latitude, longitude, fatalities, notes, data: { ...input.event, event_id: id }, members: own,
    });
    for (const m of own) members.push({ event_id: m, canonical_id: id!, decision_id: input.decisionId ?? null });
  }
  if (members.length) {
    const problems = await conn.query<{ event_id: string; canonical_id: string; known: boolean; owner: string | null }>(
      `select r.event_id, r.canonical_id, exists (select 1 from article_events e where e.event_id = r.event_id) as known,
              (select m.canonical_id from canonical_members m where m.event_id = r.event_id) as owner
         from jsonb_to_recordset($1::jsonb) as r(event_id text, canonical_id text)`,
      [JSON.stringify(members)],
    );
    const seen = new Map<string, string>();
    for (const p of problems) {
      if (!p.known) fail(`canonical event ${p.canonical_id}`, `no article event ${p.event_id}`);
      if (p.owner !== null && p.owner !== p.canonical_id) fail(`canonical event ${p.canonical_id}`, `article event already in another canonical event: ${p.event_id} (in ${p.owner})`);
      const other = seen.get(p.event_id);
      if (other !== undefined && other !== p.canonical_id) fail(`canonical event ${p.canonical_id}`, `article event ${p.event_id} is also given to ${other}`);
      seen.set(p.event_id, p.canonical_id);
    }
  }
  await conn.query(
    `insert into canonical_events as c (id, ${COLUMNS}, stale, status, sources_search)
     select r.id, r.event_date::date, r.event_type, r.sub_event_type, r.actor1, r.assoc_actor_1, r.actor2, r.assoc_actor_2,
            coalesce(r.actors, '{}'), r.country, r.iso3, r.admin1, r.admin2, r.location, r.latitude, r.longitude, r.fatalities,
            r.notes, r.data, false, 'active',
            coalesce((select sitrep_tsvector_agg(a.search order by a.id) from articles a
                       where a.id = any(array(
                               select e.article_id from article_events e where e.event_id = any(r.members)
                               union
                               select e.article_id from canonical_members m join article_events e on e.event_id = m.event_id
                                where m.canonical_id = r.id))), ''::tsvector)
       from jsonb_to_recordset($1::jsonb) as r(id text, event_date text, event_type text, sub_event_type text, actor1 text,
            assoc_actor_1 text, actor2 text, assoc_actor_2 text, actors text[], country text, iso3 text, admin1 text, admin2 text,
            location text, latitude double precision, longitude double precision, fatalities int, notes text, data jsonb,
            members text[])
     on conflict (id) do update set
       event_date = excluded.event_date, event_type = excluded.event_type, sub_event_type = excluded.sub_event_type,
       actor1 = excluded.actor1, assoc_actor_1 = excluded.assoc_actor_1, actor2 = excluded.actor2,
       assoc_actor_2 = excluded.assoc_actor_2, actors = excluded.actors, country = excluded.country, iso3 = excluded.iso3,
       admin1 = excluded.admin1, admin2 = excluded.admin2, location = excluded.location, latitude = excluded.latitude,
       longitude = excluded.longitude, fatalities = excluded.fatalities, notes = excluded.notes, data = excluded.data,
       sources_search = excluded.sources_search, stale = false, status = 'active', updated_at = now()`,
    [JSON.stringify(rows)],
  );
  if (members.length) {
    await conn.query(
      `insert into canonical_members (event_id, canonical_id, decision_id)
       select r.event_id, r.canonical_id, r.decision_id
         from jsonb_to_recordset($1::jsonb) as r(event_id text, canonical_id text, decision_id bigint),
              (select set_config('sitrep.members_vector', 'written', true)) as written
       on conflict (event_id) do nothing`,
      [JSON.stringify(members)],
    );
  }
  return [...ids];
}

/** Writes the merged record again (after reconciling claims): no longer stale. */
export async function updateCanonical(conn: Conn, id: string, event: SitrepEvent): Promise<void> {
  const row = checkCanonicalEvent(event, id);
  const values = columnValues(row, event, id);
  const sets = COLUMNS.split(',').map((c, i) => `${c.trim()} = $${i + 2}${i === values.length - 1 ? '::jsonb' : ''}`);
  const rows = await conn.query(`update canonical_events set ${sets.join(', ')}, stale = false, updated_at = now() where id = $1 returning id`, [id, ...values]);
  if (rows.length === 0) fail(`canonical event ${id}`, 'does not exist');
}

async function requireCanonical(conn: Conn, id: string): Promise<void> {
  const rows = await conn.query('select 1 from canonical_events where id = $1 for update', [id]);
  if (rows.length === 0) fail(`canonical event ${id}`, 'does not exist');
}

/**
 * Adds article events to a canonical event; returns how many were not members yet. An event that
 * belongs to another canonical event is refused (remove it there first): an article event is in
 * at most one.
 */
export async function addMembers(conn: Conn, canonicalId: string, eventIds: readonly string[], decisionId?: number): Promise<number> {
  await requireCanonical(conn, canonicalId);
  const ids = [...new Set(eventIds)];
  if (ids.length === 0) return 0;
  const missing = await conn.query<{ id: string }>(
    'select x as id from unnest($1::text[]) as x where not exists (select 1 from article_events e where e.event_id = x)',
    [ids],
  );
  if (missing.length) fail(`canonical event ${canonicalId}`, `no article event ${missing.map((r) => r.id).join(', ')}`);
  const elsewhere = await conn.query<{ event_id: string; canonical_id: string }>(
    'select event_id, canonical_id from canonical_members where event_id = any($1::text[]) and canonical_id <> $2 order by event_id',
    [ids, canonicalId],
  );
  if (elsewhere.length) {
    const list = elsewhere.map((r) => `${r.event_id} (in ${r.canonical_id})`).join(', ');
    fail(`canonical event ${canonicalId}`, `article event already in another canonical event: ${list}`);
  }
  const added = await conn.query(
    `insert into canonical_members (event_id, canonical_id, decision_id)
     select x, $1, $3 from unnest($2::text[]) as x
     on conflict (event_id) do nothing returning event_id`,
    [canonicalId, ids, decisionId ?? null],
  );
  if (added.length) {
    await conn.query(`update canonical_events set stale = true, status = 'active', updated_at = now() where id = $1`, [canonicalId]);
  }
  return added.length;
}

/** Removes one member; false when it was not a member. A canonical event left empty is retired. */
export async function removeMember(conn: Conn, canonicalId: string, eventId: string): Promise<boolean> {
  const rows = await conn.query('delete from canonical_members where canonical_id = $1 and event_id = $2 returning event_id', [canonicalId, eventId]);
  if (rows.length) await markChanged(conn, [canonicalId]);
  return rows.length > 0;
}

export async function getCanonical(conn: Conn, id: string): Promise<CanonicalEvent | null> {
  const [row] = await conn.query<Record<string, unknown>>(`select ${CANONICAL_COLUMNS} from canonical_events c where c.id = $1`, [id]);
  return row ? toCanonical(row) : null;
}

export async function canonicalOf(conn: Conn, eventId: string): Promise<string | null> {
  const [row] = await conn.query<{ canonical_id: string }>('select canonical_id from canonical_members where event_id = $1', [eventId]);
  return row?.canonical_id ?? null;
}

export async function recordMergeDecision(conn: Conn, d: MergeDecisionInput): Promise<MergeDecision> {
  const what = 'merge decision';
  if (typeof d.score !== 'number' || !Number.isFinite(d.score)) fail(what, `score must be a finite number, got ${String(d.score)}`);
  let a: string;
  let b: string | null = null;
  if (d.kind === 'pair') {
    const [x, y] = d.events;
    if (typeof x !== 'string' || typeof y !== 'string' || !x || !y) fail(what, 'a pair decision needs two article event ids');
    if (x === y) fail(what, `a pair decision needs two different events, got ${x} twice`);
    [a, b] = compareBytes(x, y) < 0 ? [x, y] : [y, x];
  } else if (d.kind === 'member') {
    if (typeof d.eventId !== 'string' || !d.eventId) fail(what, 'a member decision needs an article event id');
    if (typeof d.canonicalId !== 'string' || !d.canonicalId) fail(what, 'a member decision needs a canonical event id');
    a = d.eventId;
  } else {
    fail(what, `kind must be "pair" or "member", got ${JSON.stringify((d as { kind: unknown }).kind)}`);
  }
  if (d.canonicalId) {
    const found = await conn.query('select 1 from canonical_events where id = $1', [d.canonicalId]);
    if (found.length === 0) fail(what, `canonical event ${d.canonicalId} does not exist`);
  }
  const [row] = await conn.query<Record<string, unknown>>(
    `insert into merge_decisions as d (kind, canonical_id, event_a, event_b, score, reasons, decided_by)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7) returning ${DECISION_COLUMNS}`,
    [d.kind, d.canonicalId ?? null, a!, b, d.score, JSON.stringify(d.reasons ?? []), d.decidedBy ?? 'merger'],
  );
  return toDecision(row!);
}

/**
 * Marks a decision undone (who, why, when) and removes the memberships it made; the canonical
 * events concerned turn stale, or retired when left empty. Undoing an undone decision changes nothing.
 */
export async function undoMergeDecision(conn: Conn, id: number, by: string, reason: string | null): Promise<UndoResult> {
  const [row] = await conn.query<Record<string, unknown>>(
    `update merge_decisions d set undone = true, undone_at = now(), undone_by = $2, undo_reason = $3
      where d.id = $1 and not d.undone returning ${DECISION_COLUMNS}`,
    [id, by, reason],
  );
  if (!row) {
    const [old] = await conn.query<Record<string, unknown>>(`select ${DECISION_COLUMNS} from merge_decisions d where d.id = $1`, [id]);
    if (!old) fail(`merge decision ${id}`, 'does not exist');
    return { decision: toDecision(old!), removedMembers: [] };
  }
  const removed = await conn.query<{ canonical_id: string; event_id: string }>(
    'delete from canonical_members where decision_id = $1 returning canonical_id, event_id',
    [id],
  );
  const canonical = [...new Set(removed.map((r) => r.canonical_id))];
  if (canonical.length) await markChanged(conn, canonical);
  return {
    decision: toDecision(row),
    removedMembers: removed.map((r): [string, string] => [r.canonical_id, r.event_id]).sort((x, y) => compareBytes(x.join('\0'), y.join('\0'))),
  };
}

export async function mergeDecisions(conn: Conn, f: DecisionFilter): Promise<MergeDecision[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.eventIds) {
    params.push([...f.eventIds]);
    where.push(`(d.event_a = any($${params.length}::text[]) or d.event_b = any($${params.length}::text[]))`);
  }
  if (f.canonicalId !== undefined) {
    params.push(f.canonicalId);
    where.push(`d.canonical_id = $${params.length}`);
  }
  if (f.undone !== undefined) where.push(f.undone ? 'd.undone' : 'not d.undone');
  const rows = await conn.query<Record<string, unknown>>(
    `select ${DECISION_COLUMNS} from merge_decisions d ${where.length ? `where ${where.join(' and ')}` : ''} order by d.id`,
    params,
  );
  return rows.map(toDecision);
}

/** Active canonical events matching `filter`, newest first, one page. */
export async function listCanonical(conn: Conn, filter: EventFilter, cursor: string | null | undefined, limit?: number): Promise<Page<CanonicalEvent>> {
  const n = checkLimit(limit);
  const params: unknown[] = [];
  const tail = pageSql('c.id', filter, cursor, n, params, [`c.status = 'active'`]);
  const rows = await conn.query<Record<string, unknown>>(`select ${CANONICAL_COLUMNS}, c.event_date::text as d from canonical_events c ${tail}`, params);
  const items = rows.slice(0, n);
  const last = items[items.length - 1];
  return {
    items: items.map(toCanonical),
    next: rows.length > n && last ? encodeCursor(last['d'] as string | null, last['id'] as string) : null,
  };
}

/** Article events matching `filter`, newest first, one page: the merger's candidate scan. */
export async function listArticleEvents(conn: Conn, filter: ArticleEventFilter, cursor: string | null | undefined, limit?: number): Promise<Page<StoredArticleEvent>> {
  const n = checkLimit(limit);
  const params: unknown[] = [];
  const extra: string[] = [];
  if (filter.articleId !== undefined) {
    params.push(filter.articleId);
    extra.push(`e.article_id = $${params.length}`);
  }
  if (filter.unmerged !== undefined) extra.push(`${filter.unmerged ? 'not ' : ''}exists (select 1 from canonical_members m where m.event_id = e.event_id)`);
  const tail = pageSql('e.event_id', filter, cursor, n, params, extra);
  const rows = await conn.query<Record<string, unknown>>(
    `select e.event_id, e.article_id, e.data, e.event_date::text as d,
            (select m.canonical_id from canonical_members m where m.event_id = e.event_id) as canonical_id
       from article_events e ${tail}`,
    params,
  );
  const items = rows.slice(0, n);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({ article_id: r['article_id'] as string, canonical_id: (r['canonical_id'] as string | null) ?? null, event: r['data'] as SitrepEvent })),
    next: rows.length > n && last ? encodeCursor(last['d'] as string | null, last['event_id'] as string) : null,
  };
}
