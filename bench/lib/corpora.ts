/**
 * Corpora the benchmarks share, made from the gold sets in ../shared/eval (their texts only).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every dev text once, in one stream (MUC-4, ACLED Mali, ACLED global, GTD: about 8,000 articles of
 * every shape, shuffled with a fixed seed), or null without ../shared/eval: what a long ingest sees,
 * where the one-off costs (gazetteer load, compiling, the first look-up of each name) are spread
 * over many articles.
 */
export function streamCorpus(evalDir: string): string[] | null {
  if (!existsSync(join(evalDir, 'gtd.dev.jsonl'))) return null;
  const read = (f: string): Record<string, unknown>[] => readFileSync(join(evalDir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  const out: string[] = [];
  read('muc4.dev.jsonl').forEach((r) => out.push(JSON.stringify({ id: `muc-${String(r.message_id)}`, text: r.text })));
  for (const set of ['acled-mali', 'acled-global']) {
    read(`${set}.dev.jsonl`).forEach((r, i) => out.push(JSON.stringify({ id: `${set}-${i}`, text: r.notes, published: `${String(r.year)}-12-31` })));
  }
  read('gtd.dev.jsonl').forEach((r, i) => out.push(JSON.stringify({ id: `gtd-${i}`, text: r.summary, published: `${String(r.iyear)}-12-31` })));
  let seed = 42;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out.filter((l) => (JSON.parse(l) as { text?: unknown }).text);
}
