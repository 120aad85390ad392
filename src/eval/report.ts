/**
 * Presenting scores: the text table, the JSON document, the list of wrong records for one metric,
 * and the floors check that `sitrep eval --floors FILE` uses to guard against regressions.
 * Nothing here runs the extractor, so it is testable on hand-made reports.
 */
import type { SetKind } from './gold.js';
import { LOWER_IS_BETTER, type Metrics, type Outcome } from './score.js';

export interface RecordFailure {
  id: string;
  message: string;
}

export interface Report {
  /** Set name: "acled-mali", "acled-global", "gtd", "muc4". */
  set: string;
  kind: SetKind;
  file: string;
  records: number;
  /** Wall time spent extracting, in milliseconds. */
  ms: number;
  metrics: Metrics;
  outcomes: Outcome[];
  /** Records whose extraction threw (scored as no event). */
  failures: RecordFailure[];
  /** Input text per record id, for showing wrong records. */
  texts: Map<string, string>;
}

export interface JsonReport {
  sets: Record<string, Metrics>;
  timing: Record<string, { records: number; ms: number; ms_per_record: number; failures: number }>;
}

/** Rounds for output so that 0.1 + 0.2 does not print as 0.30000000000000004. */
function round(v: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function toJson(reports: Report[]): JsonReport {
  const out: JsonReport = { sets: {}, timing: {} };
  for (const r of reports) {
    const metrics: Metrics = {};
    for (const [name, m] of Object.entries(r.metrics)) metrics[name] = { value: round(m.value), n: m.n };
    out.sets[r.set] = metrics;
    out.timing[r.set] = {
      records: r.records,
      ms: Math.round(r.ms),
      ms_per_record: r.records ? round(r.ms / r.records, 3) : 0,
      failures: r.failures.length,
    };
  }
  return out;
}

function pad(cells: string[], widths: number[], rightAligned: boolean[]): string {
  return cells
    .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
}

/** A table of set, metric, value (3 decimals), n; then one timing line per set. */
export function formatTable(reports: Report[]): string {
  const rows: string[][] = [['set', 'metric', 'value', 'n']];
  for (const r of reports) {
    for (const [name, m] of Object.entries(r.metrics)) {
      const label = LOWER_IS_BETTER.has(name) ? `${name} (lower is better)` : name;
      rows.push([r.set, label, m.value.toFixed(3), String(m.n)]);
    }
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const right = [false, false, true, true];
  const lines = rows.map((row) => pad(row, widths, right));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('');
  for (const r of reports) {
    const per = r.records ? (r.ms / r.records).toFixed(1) : '0';
    let line = `${r.set}: ${r.records} records in ${(r.ms / 1000).toFixed(1)} s (${per} ms/record)`;
    if (r.failures.length > 0) {
      const first = r.failures[0]!;
      line += `; ${r.failures.length} failed to extract (first: ${first.id}: ${first.message})`;
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Up to `limit` wrong records per metric (only `metric` when given), each with id, gold value,
 * predicted value and the first 200 characters of its text. For a developer's terminal only.
 */
export function formatErrors(reports: Report[], opts: { metric?: string; limit: number }): string {
  const lines: string[] = [];
  for (const r of reports) {
    const metrics = opts.metric ? [opts.metric] : Object.keys(r.metrics);
    for (const metric of metrics) {
      if (!(metric in r.metrics)) continue;
      const wrong = r.outcomes.filter((o) => o.metric === metric && !o.ok);
      if (wrong.length === 0) continue;
      lines.push(`== ${r.set} ${metric}: ${wrong.length} wrong, showing ${Math.min(opts.limit, wrong.length)}`);
      for (const o of wrong.slice(0, opts.limit)) {
        lines.push(`${o.id}  gold: ${o.gold}  predicted: ${o.predicted}`);
        lines.push(`    ${oneLine(r.texts.get(o.id) ?? '', 200)}`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- floors

/** `{ "<set>": { "<metric>": minimum } }`; for lower-is-better metrics the number is a maximum. */
export type Floors = Record<string, Record<string, number>>;

export interface FloorFailure {
  set: string;
  metric: string;
  /** null when the set was scored but has no such metric. */
  value: number | null;
  floor: number;
}

/**
 * A ratcheting floor: `floor` is the target an issue sets, `best` the best figure reached so far.
 * Until the target is reached the best figure is what is enforced, so work lands on the way up and
 * never slides back.
 */
export interface RatchetFloor {
  floor: number;
  best: number;
}

export type FloorsFile = Record<string, Record<string, number | RatchetFloor>>;

/** The figure enforced for one entry: the target, or the best reached so far while it is not reached. */
export function enforcedFloor(metric: string, entry: number | RatchetFloor): number {
  if (typeof entry === 'number') return entry;
  return LOWER_IS_BETTER.has(metric) ? Math.max(entry.floor, entry.best) : Math.min(entry.floor, entry.best);
}

/** Validates a parsed floors file (plain minimums or { floor, best } entries); throws with the offending key. */
export function parseFloorsFile(json: unknown): FloorsFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('floors must be a JSON object { "<set>": { "<metric>": minimum | { "floor", "best" } } }');
  }
  const out: FloorsFile = {};
  for (const [set, metrics] of Object.entries(json)) {
    if (set.startsWith('_')) continue; // comments
    if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
      throw new Error(`floors: "${set}" must map metric names to numbers`);
    }
    out[set] = {};
    for (const [metric, entry] of Object.entries(metrics)) {
      const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
      if (ok(entry)) out[set]![metric] = entry;
      else if (entry && typeof entry === 'object' && ok((entry as RatchetFloor).floor) && ok((entry as RatchetFloor).best)) {
        out[set]![metric] = { floor: (entry as RatchetFloor).floor, best: (entry as RatchetFloor).best };
      } else throw new Error(`floors: ${set}.${metric} must be a number or { "floor": number, "best": number }`);
    }
  }
  return out;
}

/** Validates a parsed floors file; throws with the offending key. Ratchet entries give their enforced figure. */
export function parseFloors(json: unknown): Floors {
  const file = parseFloorsFile(json);
  const floors: Floors = {};
  for (const [set, metrics] of Object.entries(file)) {
    floors[set] = {};
    for (const [metric, entry] of Object.entries(metrics)) floors[set]![metric] = enforcedFloor(metric, entry);
  }
  return floors;
}

/** Raise each ratchet entry's `best` to this run's figure where the run did better; plain numbers stay. */
export function ratchet(file: FloorsFile, sets: Record<string, Metrics>): { file: FloorsFile; raised: string[] } {
  const raised: string[] = [];
  const out: FloorsFile = JSON.parse(JSON.stringify(file)) as FloorsFile;
  for (const [set, metrics] of Object.entries(out)) {
    const scored = sets[set];
    if (!scored) continue;
    for (const [metric, entry] of Object.entries(metrics)) {
      const m = scored[metric];
      if (!m || typeof entry === 'number') continue;
      const value = Math.floor(m.value * 1000) / 1000; // rounded down, so that the same run passes it
      const better = LOWER_IS_BETTER.has(metric) ? value < entry.best : value > entry.best;
      if (better) {
        raised.push(`${set} ${metric} ${entry.best.toFixed(3)} -> ${value.toFixed(3)}`);
        entry.best = value;
      }
    }
  }
  return { file: out, raised };
}

/**
 * Floors that the scores break. Sets not scored in this run are not checked (so `sitrep eval
 * gtd.dev.jsonl --floors all.json` works); a metric the scored set lacks fails, since a misspelt
 * floor would otherwise guard nothing.
 */
export function checkFloors(sets: Record<string, Metrics>, floors: Floors): FloorFailure[] {
  const failures: FloorFailure[] = [];
  for (const [set, metricFloors] of Object.entries(floors)) {
    const metrics = sets[set];
    if (!metrics) continue;
    for (const [metric, floor] of Object.entries(metricFloors)) {
      const m = metrics[metric];
      if (!m) {
        failures.push({ set, metric, value: null, floor });
        continue;
      }
      const broken = LOWER_IS_BETTER.has(metric) ? m.value > floor : m.value < floor;
      if (broken) failures.push({ set, metric, value: m.value, floor });
    }
  }
  return failures;
}

/** "FLOOR FAILED acled-mali event_type 0.712 < 0.750" (more decimals when 3 would look equal). */
export function formatFloorFailure(f: FloorFailure): string {
  if (f.value === null) return `FLOOR FAILED ${f.set} ${f.metric} (no such metric) < ${f.floor.toFixed(3)}`;
  let digits = 3;
  while (digits < 8 && f.value.toFixed(digits) === f.floor.toFixed(digits)) digits++;
  const op = LOWER_IS_BETTER.has(f.metric) ? '>' : '<';
  return `FLOOR FAILED ${f.set} ${f.metric} ${f.value.toFixed(digits)} ${op} ${f.floor.toFixed(digits)}`;
}
