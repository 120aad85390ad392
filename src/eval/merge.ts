/**
 * MUC-4 merging of reports (README, "Merging reports of one incident"), as pure functions.
 *
 * Gold: two incident templates from different messages are the same incident when their date,
 * location and type are equal strings (trimmed) and they share a quoted target name; gold incidents
 * are the connected components, and gold pairs are the pairs of different messages sharing one.
 * Predicted: pairs of different articles that share a canonical event in `sitrep export --format
 * jsonl` (its `sources[].article_id`). Precision and recall are over message pairs.
 */
import type { Muc4Record } from './gold.js';
import type { Metric } from './score.js';

/** Order-free key for a pair of message ids. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Adds every pair of different ids in `ids` to `pairs`. */
function addPairs(ids: Iterable<string>, pairs: Set<string>): void {
  const list = [...new Set(ids)];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) pairs.add(pairKey(list[i]!, list[j]!));
  }
}

/** Union-find over template indices. */
class Components {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root]!;
    // Path compression keeps later finds short.
    let node = i;
    while (this.parent[node] !== root) {
      const next = this.parent[node]!;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/**
 * How two templates' `INCIDENT: LOCATION` strings are compared: `equal` (the gold's rule), or
 * `nested`, where a place also matches the places inside it ("EL SALVADOR" matches "EL SALVADOR: SAN
 * SALVADOR (CITY)"), as two reports of one incident match when one names the city and the other only
 * the country. `nested` gives a reference figure, not the gold: see `muc4ReferencePairs`.
 */
export type LocationMatch = 'equal' | 'nested';

/** Whether location strings `a` and `b` match under `how` (both trimmed). */
export function locationsMatch(a: string, b: string, how: LocationMatch = 'equal'): boolean {
  if (a === b) return true;
  if (how === 'equal') return false;
  const [outer, inner] = a.length < b.length ? [a, b] : [b, a];
  return outer !== '' && inner.startsWith(`${outer}:`);
}

/**
 * Gold pairs of messages that report the same incident. With `locations: 'nested'` (not the gold):
 * the pairs of a merger that reproduced every template's date, type and target names as the gold
 * writes them, and matched a report placed at a city with one placed only in its country.
 */
export function muc4GoldPairs(records: Muc4Record[], opts: { locations?: LocationMatch } = {}): Set<string> {
  const how = opts.locations ?? 'equal';
  const templates = records.flatMap((r) => r.gold.incidents.map((incident) => ({ id: r.id, incident, location: incident.location.trim() })));
  const components = new Components(templates.length);
  // Only templates with equal date and type (and matching locations) can be linked: compare within those groups.
  const byKey = new Map<string, number[]>();
  templates.forEach(({ incident }, i) => {
    const key = [incident.date, incident.type].map((s) => s.trim()).join('\u0000');
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  for (const group of byKey.values()) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) {
        const a = templates[group[x]!]!;
        const b = templates[group[y]!]!;
        if (a.id !== b.id && locationsMatch(a.location, b.location, how) && a.incident.names.some((n) => b.incident.names.includes(n))) {
          components.union(group[x]!, group[y]!);
        }
      }
    }
  }
  const messagesByComponent = new Map<number, string[]>();
  templates.forEach(({ id }, i) => {
    const root = components.find(i);
    messagesByComponent.set(root, [...(messagesByComponent.get(root) ?? []), id]);
  });
  const pairs = new Set<string>();
  for (const ids of messagesByComponent.values()) addPairs(ids, pairs);
  return pairs;
}

/**
 * The reference merger's score against the gold: it knows every template (date, type, target names
 * as the gold writes them) and differs from the gold in one thing only, that a report placed at a
 * city matches a report of the same day, type and names placed only in its country. Its recall is 1
 * by construction; its precision is what the gold's exact location strings cost any merger that
 * joins such reports, as an analyst would (the same victims named, the same day).
 */
export function muc4ReferenceScore(records: Muc4Record[]): { merge_precision: Metric; merge_recall: Metric } {
  const gold = muc4GoldPairs(records);
  const nested = muc4GoldPairs(records, { locations: 'nested' });
  let shared = 0;
  for (const p of nested) if (gold.has(p)) shared++;
  return {
    merge_precision: { value: nested.size ? shared / nested.size : 0, n: nested.size },
    merge_recall: { value: gold.size ? shared / gold.size : 0, n: gold.size },
  };
}

/** Article-id groups (one per canonical event) from `sitrep export --format jsonl` output. */
export function mergeGroupsFromJsonl(text: string): string[][] {
  const groups: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as { sources?: { article_id?: unknown }[] };
    const ids = (event.sources ?? []).map((s) => String(s.article_id ?? '')).filter((id) => id !== '');
    groups.push(ids);
  }
  return groups;
}

/** `merge_precision` and `merge_recall` of predicted article groups against gold pairs. */
export function scoreMerges(goldPairs: Set<string>, groups: string[][]): { merge_precision: Metric; merge_recall: Metric } {
  const predicted = new Set<string>();
  for (const ids of groups) addPairs(ids, predicted);
  let shared = 0;
  for (const p of predicted) if (goldPairs.has(p)) shared++;
  return {
    merge_precision: { value: predicted.size ? shared / predicted.size : 0, n: predicted.size },
    merge_recall: { value: goldPairs.size ? shared / goldPairs.size : 0, n: goldPairs.size },
  };
}
