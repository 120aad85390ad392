import { describe, expect, it } from 'vitest';
import {
  checkFloors,
  formatErrors,
  formatFloorFailure,
  formatTable,
  parseFloors,
  toJson,
  type Report,
} from '../../src/eval/report.js';

function report(over: Partial<Report> = {}): Report {
  return {
    set: 'acled-mali',
    kind: 'acled',
    file: 'acled-mali.dev.jsonl',
    records: 4,
    ms: 2000,
    metrics: { detected: { value: 0.75, n: 4 }, event_type: { value: 0.1 + 0.2, n: 4 }, extra_events: { value: 0.5, n: 4 } },
    outcomes: [
      { id: 'A1', metric: 'event_type', score: 0, ok: false, gold: 'Battles', predicted: 'Riots' },
      { id: 'A2', metric: 'event_type', score: 0, ok: false, gold: 'Protests', predicted: '(no event)' },
      { id: 'A3', metric: 'event_type', score: 1, ok: true, gold: 'Battles', predicted: 'Battles' },
    ],
    failures: [],
    texts: new Map([
      ['A1', 'Synthetic text one ' + 'x'.repeat(300)],
      ['A2', 'Synthetic   text\ntwo'],
    ]),
    ...over,
  };
}

describe('formatTable', () => {
  it('prints set, metric, value with 3 decimals and n, then timing', () => {
    const text = formatTable([report()]);
    expect(text).toMatch(/^set\s+metric\s+value\s+n$/m);
    expect(text).toMatch(/^acled-mali\s+detected\s+0\.750\s+4$/m);
    expect(text).toMatch(/^acled-mali\s+event_type\s+0\.300\s+4$/m);
    expect(text).toMatch(/extra_events \(lower is better\)\s+0\.500/);
    expect(text).toContain('acled-mali: 4 records in 2.0 s (500.0 ms/record)');
  });

  it('mentions records whose extraction failed', () => {
    const text = formatTable([report({ failures: [{ id: 'A9', message: 'A9: empty text' }] })]);
    expect(text).toContain('1 failed to extract (first: A9: A9: empty text)');
  });
});

describe('toJson', () => {
  it('gives { sets: { <set>: { <metric>: { value, n } } } } with rounded values', () => {
    const json = toJson([report()]);
    expect(json.sets['acled-mali']!['event_type']).toEqual({ value: 0.3, n: 4 });
    expect(json.sets['acled-mali']!['detected']).toEqual({ value: 0.75, n: 4 });
    expect(json.timing['acled-mali']).toEqual({ records: 4, ms: 2000, ms_per_record: 500, failures: 0 });
  });
});

describe('formatErrors', () => {
  it('lists wrong records of one metric with gold, prediction and 200 characters of text', () => {
    const text = formatErrors([report()], { metric: 'event_type', limit: 5 });
    expect(text).toContain('== acled-mali event_type: 2 wrong, showing 2');
    expect(text).toContain('A1  gold: Battles  predicted: Riots');
    expect(text).toContain('A2  gold: Protests  predicted: (no event)');
    expect(text).toContain('    Synthetic text two');
    expect(text).not.toContain('A3');
    const shown = text.split('\n').find((l) => l.startsWith('    Synthetic text one'))!;
    expect(shown.trim().length).toBe(201); // 200 characters and an ellipsis
  });

  it('respects the limit and ignores metrics with nothing wrong', () => {
    const text = formatErrors([report()], { metric: 'event_type', limit: 1 });
    expect(text).toContain('showing 1');
    expect(text).not.toContain('A2');
    expect(formatErrors([report()], { metric: 'detected', limit: 5 })).toBe('');
  });
});

describe('floors', () => {
  const sets = { 'acled-mali': report().metrics, gtd: { detected: { value: 0.9, n: 10 } } };

  it('fails a metric below its minimum and passes one at or above it', () => {
    const failures = checkFloors(sets, { 'acled-mali': { detected: 0.75, event_type: 0.35 }, gtd: { detected: 0.8 } });
    expect(failures).toEqual([{ set: 'acled-mali', metric: 'event_type', value: 0.1 + 0.2, floor: 0.35 }]);
    expect(formatFloorFailure(failures[0]!)).toBe('FLOOR FAILED acled-mali event_type 0.300 < 0.350');
  });

  it('treats the floor of a lower-is-better metric as a maximum', () => {
    const failures = checkFloors(sets, { 'acled-mali': { extra_events: 0.25 } });
    expect(failures).toHaveLength(1);
    expect(formatFloorFailure(failures[0]!)).toBe('FLOOR FAILED acled-mali extra_events 0.500 > 0.250');
    expect(checkFloors(sets, { 'acled-mali': { extra_events: 0.5 } })).toEqual([]);
  });

  it('ignores sets not scored in this run but fails an unknown metric of a scored set', () => {
    expect(checkFloors(sets, { muc4: { incident_f1: 0.9 } })).toEqual([]);
    const failures = checkFloors(sets, { gtd: { detcted: 0.5 } });
    expect(failures).toEqual([{ set: 'gtd', metric: 'detcted', value: null, floor: 0.5 }]);
  });

  it('prints more decimals when three would make value and floor look equal', () => {
    expect(formatFloorFailure({ set: 'gtd', metric: 'date', value: 0.7496, floor: 0.75 })).toBe(
      'FLOOR FAILED gtd date 0.7496 < 0.7500',
    );
  });

  it('validates the floors file shape', () => {
    expect(parseFloors({ gtd: { detected: 0.5 } })).toEqual({ gtd: { detected: 0.5 } });
    expect(() => parseFloors([])).toThrow();
    expect(() => parseFloors({ gtd: 0.5 })).toThrow(/gtd/);
    expect(() => parseFloors({ gtd: { detected: '0.5' } })).toThrow(/gtd\.detected/);
  });
});

describe('ratcheting floors', () => {
  it('enforces the best figure until the target is reached, then the target', async () => {
    const { enforcedFloor } = await import('../../src/eval/report.js');
    expect(enforcedFloor('fatalities', { floor: 0.8, best: 0.7 })).toBe(0.7);
    expect(enforcedFloor('fatalities', { floor: 0.8, best: 0.9 })).toBe(0.8);
    expect(enforcedFloor('extra_events', { floor: 0.2, best: 0.5 })).toBe(0.5);
    expect(enforcedFloor('detected', 0.95)).toBe(0.95);
  });

  it('raises best figures only upward, rounded down so the same run passes', async () => {
    const { ratchet, parseFloors } = await import('../../src/eval/report.js');
    const file = { gtd: { weapon: { floor: 0.8, best: 0.7 }, injured: { floor: 0.85, best: 0.75 }, country: 0.9 } };
    const sets = { gtd: { weapon: { value: 0.71876, n: 10 }, injured: { value: 0.74, n: 10 }, country: { value: 0.99, n: 10 } } };
    const { file: out, raised } = ratchet(file, sets);
    expect(out.gtd!.weapon).toEqual({ floor: 0.8, best: 0.718 });
    expect(out.gtd!.injured).toEqual({ floor: 0.85, best: 0.75 });
    expect(out.gtd!.country).toBe(0.9);
    expect(raised).toHaveLength(1);
    expect(parseFloors(out).gtd!.weapon).toBe(0.718);
    expect(() => parseFloors({ gtd: { weapon: { floor: 'x' } } })).toThrow(/gtd\.weapon/);
  });
});
