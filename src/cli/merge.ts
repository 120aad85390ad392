/**
 * `sitrep merge --explain EVENT_ID [--json]`: the canonical event that holds an article event (or
 * the canonical event of that id), its members and sources, and every merge decision about it:
 * score, reasons, who decided, whether undone.
 *
 * `sitrep unmerge EVENT_ID [--reason TEXT]`: undoes the standing merge decision(s) that joined that
 * article event to others; each event the decisions had added leaves and becomes its own canonical
 * event again, and the canonical event left behind is reconciled from its remaining members. An
 * undone decision stays undone: the merger never joins that pair again (src/jobs/merge-step.ts).
 */
import type { Command } from 'commander';
import { InputError } from '../core/types.js';
import { rebuildCanonical, singletonId, singletonRecord } from '../jobs/merge-step.js';
import type { MergeDecision, Store } from '../store/index.js';
import { fail } from './io.js';

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../store/index.js');
  const store = await openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The canonical event id for an article event id or a canonical id. */
async function canonicalFor(store: Store, id: string): Promise<string> {
  const owner = await store.canonicalOf(id);
  if (owner) return owner;
  if (await store.getCanonical(id)) return id;
  throw new InputError(id, 'no such article event or canonical event in the store (or it belongs to none)');
}

function formatDecision(d: MergeDecision): string {
  const r = d.reasons as { joined?: string; into?: string; partner?: string; reasons?: { name: string; weight: number | null; detail: string }[] } | null;
  const lines = [`decision ${d.id}: ${d.kind} ${d.events.join(' + ')} → ${d.canonical_id ?? '-'}  score ${d.score}  by ${d.decided_by} at ${d.decided_at}`];
  if (d.undone) lines.push(`  UNDONE by ${d.undone_by ?? '?'} at ${d.undone_at ?? '?'}${d.undo_reason ? `: ${d.undo_reason}` : ''}`);
  if (r?.joined) lines.push(`  joined ${r.joined} into ${r.into}${r.partner ? ` (evidence matched best with ${r.partner})` : ''}`);
  for (const x of r?.reasons ?? []) lines.push(`  ${x.weight === null ? '  -∞' : (x.weight >= 0 ? '+' : '') + x.weight}  ${x.name}: ${x.detail}`);
  return lines.join('\n');
}

export async function explain(store: Store, id: string, json: boolean): Promise<string> {
  const cid = await canonicalFor(store, id);
  const c = (await store.getCanonical(cid))!;
  const decisions = [...new Map([...(await store.mergeDecisions({ canonicalId: cid })), ...(await store.mergeDecisions({ eventIds: [id, ...c.members] }))].map((d) => [d.id, d])).values()].sort((a, b) => a.id - b.id);
  if (json) return JSON.stringify({ canonical_id: cid, status: c.status, members: c.members, sources: c.event.sources.map((s) => s.article_id), fatalities: c.event.fatalities, decisions }, null, 2);
  const e = c.event;
  const head = [
    `canonical event ${cid} (${c.status}${c.stale ? ', stale' : ''}): ${e.event_date ?? 'undated'} ${e.event_type} / ${e.sub_event_type}, ${[e.location, e.admin1, e.country].filter(Boolean).join(', ')}`,
    `fatalities ${e.fatalities} (low ${e.fatalities_low}, best ${e.fatalities_best}, high ${e.fatalities_high}) from ${e.claims.length} claim(s)`,
    `members: ${c.members.join(', ')}`,
    `sources: ${e.sources.map((s) => s.article_id).join(', ')}`,
  ];
  const body = decisions.length ? decisions.map(formatDecision) : ['no merge decisions: a singleton made by ingest'];
  return [...head, ...body].join('\n');
}

export async function unmerge(store: Store, id: string, reason: string | null): Promise<string> {
  return store.transaction(async (tx) => {
    const cid = await tx.canonicalOf(id);
    if (!cid) throw new InputError(id, 'no such article event in a canonical event');
    const standing = (await tx.mergeDecisions({ eventIds: [id], undone: false })).filter((d) => d.canonical_id === cid);
    if (standing.length === 0) throw new InputError(id, `no standing merge decision joined it (canonical event ${cid} has no merge of it to undo)`);
    const out: string[] = [];
    for (const d of standing) {
      const undo = await tx.undoMergeDecision(d.id, { by: 'cli', ...(reason ? { reason } : {}) });
      out.push(`undid decision ${d.id} (${d.events.join(' + ')})`);
      for (const [, eventId] of undo.removedMembers) {
        const articleId = await articleOf(tx, eventId);
        if (!articleId) continue;
        const event = (await tx.articleEvents(articleId)).find((x) => x.event_id === eventId)!;
        await tx.putCanonicals([{ id: await singletonId(tx, eventId), event: singletonRecord(event, articleId), members: [eventId] }]);
        out.push(`${eventId} is its own canonical event again`);
      }
    }
    await rebuildCanonical(tx, cid);
    const left = await tx.getCanonical(cid);
    out.push(`canonical event ${cid}: ${left?.members.length ?? 0} member(s) left`);
    return out.join('\n');
  });
}

/** The article of an article event: ids are "<article id>:<n>:<hash>". */
async function articleOf(tx: Store, eventId: string): Promise<string | null> {
  const m = /^(.*):\d+:[^:]+$/.exec(eventId);
  if (m && (await tx.articleEvents(m[1]!)).some((e) => e.event_id === eventId)) return m[1]!;
  return null;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('show why events were merged: the canonical event holding EVENT_ID, its decisions, scores and reasons')
    .requiredOption('--explain <event_id>', 'an article event id or a canonical event id')
    .option('--json', 'print JSON')
    .action(async (opts: { explain: string; json?: boolean }) => {
      try {
        process.stdout.write((await withStore((s) => explain(s, opts.explain, !!opts.json))) + '\n');
      } catch (err) {
        process.exitCode = fail(err);
      }
    });
  program
    .command('unmerge')
    .description('undo the merge that joined EVENT_ID; it becomes its own canonical event and is not merged again')
    .argument('<event_id>', 'an article event id')
    .option('--reason <text>', 'why (kept with the decision)')
    .action(async (id: string, opts: { reason?: string }) => {
      try {
        process.stdout.write((await withStore((s) => unmerge(s, id, opts.reason ?? null))) + '\n');
      } catch (err) {
        process.exitCode = fail(err);
      }
    });
}
