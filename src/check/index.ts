/**
 * `sitrep check`: verifies a store, read only. Each problem names what is wrong and where:
 *
 * - sources: every article event and every active canonical event has at least one source; a
 *   canonical event's sources name stored articles;
 * - spans: every claim's and every evidence span's offsets (in the `claims` and `evidence` tables
 *   and in the event JSON) lie inside its article's text, and its stored text is exactly the slice
 *   (offsets are JavaScript string offsets, UTF-16 units, so the slices are taken here, not in SQL,
 *   whose character offsets differ from them after any character outside the BMP);
 * - merges: every article event belongs to exactly one canonical event, and that one is active; an
 *   active canonical event has members; memberships refer to standing decisions (an undone merge is
 *   not in effect); every merge decision refers to events that exist (or existed, in a replaced
 *   version) and to a canonical event that exists;
 * - counts: the claims and evidence rows of an event are as many as its JSON lists, the filter
 *   columns that copy a count agree with the JSON, an event's id is its JSON's `event_id`, an
 *   article's version is one more than its replaced versions, a canonical event that is not stale
 *   has as sources exactly the articles of its members.
 */
import type { Conn } from '../store/driver.js';
import type { Store } from '../store/index.js';

export interface Problem {
  /** Which rule: "source", "span", "merge", "count". */
  check: 'source' | 'span' | 'merge' | 'count';
  /** What it is about: "claim 12 of event a-1:0 (article a-1)". */
  subject: string;
  detail: string;
}

export interface CheckReport {
  store: string;
  backend: string;
  /** What was looked at. */
  checked: { articles: number; article_events: number; claims: number; evidence: number; canonical_events: number; canonical_members: number; merge_decisions: number };
  problems: Problem[];
  /** True when more problems were found than were kept (`limit`). */
  truncated: boolean;
}

interface SpanRow {
  id: unknown;
  event_id: string;
  article_id: string;
  span_start: number;
  span_end: number;
  span_text: string;
}

interface EventJson {
  event_id?: unknown;
  sources?: Array<{ article_id?: unknown }>;
  claims?: Array<{ start?: unknown; end?: unknown; text?: unknown }>;
  evidence?: Array<{ field?: unknown; start?: unknown; end?: unknown }>;
  fatalities?: unknown;
}

const PAGE = 500;

/** Runs every check; keeps at most `limit` problems (the count of the rest is still known by `truncated`). */
export async function checkStore(store: Store, limit = 1000): Promise<CheckReport> {
  const problems: Problem[] = [];
  let truncated = false;
  const add = (p: Problem) => {
    if (problems.length < limit) problems.push(p);
    else truncated = true;
  };
  const checked = await store.runRead(async (c) => {
    const counts = await tableCounts(c);
    await checkArticles(c, add);
    await checkMerges(c, add);
    return counts;
  });
  return { store: store.where, backend: store.kind, checked, problems, truncated };
}

async function tableCounts(c: Conn): Promise<CheckReport['checked']> {
  const tables = ['articles', 'article_events', 'claims', 'evidence', 'canonical_events', 'canonical_members', 'merge_decisions'] as const;
  const [row] = await c.query<Record<string, number>>(`select ${tables.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`);
  return Object.fromEntries(tables.map((t) => [t, Number(row?.[t] ?? 0)])) as CheckReport['checked'];
}

const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Articles page by page: their events' JSON, claims and evidence rows against their text. */
async function checkArticles(c: Conn, add: (p: Problem) => void): Promise<void> {
  let after = '';
  for (;;) {
    const articles = await c.query<{ id: string; text: string; version: number; versions: number }>(
      `select a.id, a.text, a.version, (select count(*) from article_versions v where v.article_id = a.id)::int as versions
         from articles a where a.id > $1 collate "C" order by a.id collate "C" limit ${PAGE}`,
      [after],
    );
    if (articles.length === 0) return;
    after = articles[articles.length - 1]!.id;
    const ids = articles.map((a) => a.id);
    const texts = new Map(articles.map((a) => [a.id, a.text]));
    for (const a of articles) {
      if (a.version !== a.versions + 1) add({ check: 'count', subject: `article ${a.id}`, detail: `version ${a.version} but ${a.versions} replaced version(s) stored (expected version ${a.versions + 1})` });
    }
    const events = await c.query<{ event_id: string; article_id: string; fatalities: number; data: EventJson; claims: number; evidence: number }>(
      `select e.event_id, e.article_id, e.fatalities, e.data,
              (select count(*) from claims k where k.event_id = e.event_id)::int as claims,
              (select count(*) from evidence v where v.event_id = e.event_id)::int as evidence
         from article_events e where e.article_id = any($1::text[]) order by e.article_id, e.ordinal`,
      [ids],
    );
    for (const e of events) checkEventJson(e, texts.get(e.article_id) ?? '', add);
    for (const table of ['claims', 'evidence'] as const) {
      const rows = await c.query<SpanRow>(`select id, event_id, article_id, span_start, span_end, span_text from ${table} where article_id = any($1::text[])`, [ids]);
      for (const r of rows) {
        const subject = `${table === 'claims' ? 'claim' : 'evidence'} ${String(r.id)} of event ${r.event_id} (article ${r.article_id})`;
        spanProblem(subject, texts.get(r.article_id), r.span_start, r.span_end, r.span_text, add);
      }
    }
  }
}

function checkEventJson(e: { event_id: string; article_id: string; fatalities: number; data: EventJson; claims: number; evidence: number }, text: string, add: (p: Problem) => void): void {
  const subject = `event ${e.event_id} (article ${e.article_id})`;
  const d = e.data ?? {};
  if (d.event_id !== e.event_id) add({ check: 'count', subject, detail: `its JSON says event_id ${JSON.stringify(d.event_id)}` });
  if (!Array.isArray(d.sources) || d.sources.length === 0) add({ check: 'source', subject, detail: 'has no source' });
  const claims = Array.isArray(d.claims) ? d.claims : [];
  const evidence = Array.isArray(d.evidence) ? d.evidence : [];
  if (claims.length !== e.claims) add({ check: 'count', subject, detail: `its JSON lists ${claims.length} claim(s), the claims table holds ${e.claims}` });
  if (evidence.length !== e.evidence) add({ check: 'count', subject, detail: `its JSON lists ${evidence.length} evidence span(s), the evidence table holds ${e.evidence}` });
  if (Number(d.fatalities) !== e.fatalities) add({ check: 'count', subject, detail: `fatalities column ${e.fatalities}, JSON ${JSON.stringify(d.fatalities)}` });
  claims.forEach((k, i) => spanProblem(`claim ${i} in the JSON of ${subject}`, text, k.start, k.end, k.text, add));
  evidence.forEach((v, i) => spanProblem(`evidence ${i} (${String(v.field)}) in the JSON of ${subject}`, text, v.start, v.end, undefined, add));
}

/** An offset pair outside the text, or a stored text that is not the slice it names. */
function spanProblem(subject: string, text: string | undefined, start: unknown, end: unknown, stored: unknown, add: (p: Problem) => void): void {
  if (text === undefined) return add({ check: 'span', subject, detail: 'its article is not stored' });
  if (!int(start) || !int(end)) return add({ check: 'span', subject, detail: `offsets ${JSON.stringify(start)}–${JSON.stringify(end)} are not integers` });
  if (start < 0 || end > text.length || start > end) return add({ check: 'span', subject, detail: `offsets ${start}–${end} are outside the article text (length ${text.length})` });
  if (stored !== undefined && text.slice(start, end) !== stored) {
    add({ check: 'span', subject, detail: `text ${quote(String(stored))} is not the slice ${start}–${end} of the article, ${quote(text.slice(start, end))}` });
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/** Memberships, canonical events and merge decisions, in SQL (no offsets involved). */
async function checkMerges(c: Conn, add: (p: Problem) => void): Promise<void> {
  const rules: Array<{ check: Problem['check']; sql: string; subject: (r: Record<string, unknown>) => string; detail: (r: Record<string, unknown>) => string }> = [
    {
      check: 'merge',
      sql: `select e.event_id, e.article_id from article_events e where not exists (select 1 from canonical_members m where m.event_id = e.event_id) order by e.event_id`,
      subject: (r) => `event ${r.event_id} (article ${r.article_id})`,
      detail: () => 'belongs to no canonical event',
    },
    {
      check: 'merge',
      sql: `select m.event_id, m.canonical_id, c.status from canonical_members m left join canonical_events c on c.id = m.canonical_id where c.id is null or c.status <> 'active' order by m.event_id`,
      subject: (r) => `event ${r.event_id}`,
      detail: (r) => (r.status ? `is a member of canonical event ${r.canonical_id}, which is ${r.status}` : `is a member of canonical event ${r.canonical_id}, which does not exist`),
    },
    {
      check: 'merge',
      sql: `select m.event_id from canonical_members m where not exists (select 1 from article_events e where e.event_id = m.event_id) order by m.event_id`,
      subject: (r) => `membership of event ${r.event_id}`,
      detail: () => 'names an article event that does not exist',
    },
    {
      check: 'merge',
      sql: `select c.id from canonical_events c where c.status = 'active' and not exists (select 1 from canonical_members m where m.canonical_id = c.id) order by c.id`,
      subject: (r) => `canonical event ${r.id}`,
      detail: () => 'is active but has no members',
    },
    {
      check: 'merge',
      sql: `select m.event_id, m.canonical_id, d.id as decision from canonical_members m join merge_decisions d on d.id = m.decision_id where d.undone order by m.event_id`,
      subject: (r) => `event ${r.event_id}`,
      detail: (r) => `is in canonical event ${r.canonical_id} by merge decision ${String(r.decision)}, which was undone: the undone merge is still in effect`,
    },
    {
      check: 'merge',
      sql: `select d.id, d.canonical_id from merge_decisions d where d.canonical_id is not null and not exists (select 1 from canonical_events c where c.id = d.canonical_id) order by d.id`,
      subject: (r) => `merge decision ${String(r.id)}`,
      detail: (r) => `refers to canonical event ${r.canonical_id}, which does not exist`,
    },
    {
      check: 'merge',
      sql: `select d.id, x.event_id from merge_decisions d cross join lateral (select d.event_a as event_id union all select d.event_b where d.event_b is not null) x
             where not d.undone
               and not exists (select 1 from article_events e where e.event_id = x.event_id)
               and not exists (select 1 from article_versions v, jsonb_array_elements(v.events) ev where ev->>'event_id' = x.event_id)
             order by d.id`,
      subject: (r) => `merge decision ${String(r.id)}`,
      detail: (r) => `refers to event ${r.event_id}, which does not exist and never did in a stored version`,
    },
    {
      check: 'source',
      sql: `select c.id from canonical_events c where c.status = 'active' and jsonb_array_length(case when jsonb_typeof(c.data->'sources') = 'array' then c.data->'sources' else '[]'::jsonb end) = 0 order by c.id`,
      subject: (r) => `canonical event ${r.id}`,
      detail: () => 'has no source',
    },
    {
      check: 'source',
      sql: `select c.id, s->>'article_id' as article from canonical_events c, jsonb_array_elements(case when jsonb_typeof(c.data->'sources') = 'array' then c.data->'sources' else '[]'::jsonb end) s
             where c.status = 'active' and not exists (select 1 from articles a where a.id = s->>'article_id') order by c.id`,
      subject: (r) => `canonical event ${r.id}`,
      detail: (r) => `names source article ${JSON.stringify(r.article)}, which is not stored`,
    },
    {
      check: 'count',
      sql: `select c.id, c.fatalities, c.data->>'fatalities' as json, c.data->>'event_id' as json_id from canonical_events c
             where c.fatalities is distinct from (c.data->>'fatalities')::int or c.id is distinct from c.data->>'event_id' order by c.id`,
      subject: (r) => `canonical event ${r.id}`,
      detail: (r) => (r.json_id !== r.id ? `its JSON says event_id ${JSON.stringify(r.json_id)}` : `fatalities column ${String(r.fatalities)}, JSON ${String(r.json)}`),
    },
    {
      check: 'count',
      sql: `with members as (select m.canonical_id, array_agg(distinct e.article_id order by e.article_id) as articles
                               from canonical_members m join article_events e on e.event_id = m.event_id group by m.canonical_id),
                 sources as (select c.id, array_agg(distinct s->>'article_id' order by s->>'article_id') as articles
                               from canonical_events c, jsonb_array_elements(case when jsonb_typeof(c.data->'sources') = 'array' then c.data->'sources' else '[]'::jsonb end) s
                              where c.status = 'active' and not c.stale group by c.id)
            select s.id, array_to_string(s.articles, ', ') as sources, array_to_string(m.articles, ', ') as members
              from sources s join members m on m.canonical_id = s.id where s.articles <> m.articles order by s.id`,
      subject: (r) => `canonical event ${r.id}`,
      detail: (r) => `is not stale, but its sources (${r.sources}) are not its members' articles (${r.members})`,
    },
  ];
  for (const rule of rules) {
    for (const r of await c.query<Record<string, unknown>>(rule.sql)) add({ check: rule.check, subject: rule.subject(r), detail: rule.detail(r) });
  }
}

/** The report as text: one line per problem, then a summary line. */
export function formatReport(r: CheckReport): string {
  const lines = r.problems.map((p) => `problem (${p.check}): ${p.subject}: ${p.detail}`);
  const k = r.checked;
  const what = `${k.articles} articles, ${k.article_events} article events, ${k.claims} claims, ${k.evidence} evidence spans, ${k.canonical_events} canonical events, ${k.canonical_members} memberships, ${k.merge_decisions} merge decisions`;
  const n = r.problems.length;
  lines.push(
    n === 0
      ? `check: ${r.backend} store at ${r.store}: ${what}: no problems`
      : `check: ${r.backend} store at ${r.store}: ${what}: ${n}${r.truncated ? '+' : ''} problem${n === 1 ? '' : 's'}${r.truncated ? ' (only the first ones listed)' : ''}`,
  );
  return lines.join('\n');
}
