/**
 * The timeline: events per day, week or month as bars and fatalities as a line (its own axis, on
 * the right), from /stats/timeline with every filter but the dates, so the chosen range shows as a
 * shaded band in its context. Dragging across the chart chooses a date range (the From and To
 * fields do the same by keyboard). The interval is chosen from the span of the data unless the
 * user picks one.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { timeline, type Interval, type Timeline as TimelineData } from '../api';
import { filterKey, without, type Filter } from '../filters';
import { useApi } from '../useApi';
import { plural } from '../vocab';

interface Props {
  filter: Filter;
  onRange: (from: string | undefined, to: string | undefined) => void;
}

const DAY = 86400;
/** The plot's height in px: the chart fills its panel beside the 420 px map. */
const PLOT_HEIGHT = 250;

function toSeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

function toDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** The end of a bucket that starts at `start` (seconds), exclusive. */
function bucketEnd(start: number, interval: Interval): number {
  if (interval === 'day') return start + DAY;
  if (interval === 'week') return start + 7 * DAY;
  const d = new Date(start * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
}

/** Auto interval: days for up to two months of data, weeks for up to a year, else months. */
function autoInterval(monthly: TimelineData): Interval {
  const b = monthly.buckets;
  if (b.length < 2) return b.length ? 'day' : 'month';
  const span = (toSeconds(b[b.length - 1]!.start) - toSeconds(b[0]!.start)) / DAY;
  return span <= 62 ? 'day' : span <= 366 ? 'week' : 'month';
}

/** Every bucket from the first to the last, the ones the API leaves out (no events) as zeros, so the line does not bridge gaps. */
function fillGaps(data: TimelineData): { xs: number[]; events: number[]; dead: number[] } {
  const byStart = new Map(data.buckets.map((b) => [toSeconds(b.start), b]));
  const xs: number[] = [];
  const events: number[] = [];
  const dead: number[] = [];
  const first = data.buckets[0];
  const last = data.buckets[data.buckets.length - 1];
  if (!first || !last) return { xs, events, dead };
  const end = toSeconds(last.start);
  for (let t = toSeconds(first.start); t <= end && xs.length < 20000; t = bucketEnd(t, data.interval)) {
    const b = byStart.get(t);
    xs.push(t);
    events.push(b?.events ?? 0);
    dead.push(b?.fatalities ?? 0);
  }
  // Buckets that do not fall on the walk (an API's different week start): added where they are.
  if (byStart.size > xs.filter((x) => byStart.has(x)).length) {
    for (const [t, b] of byStart)
      if (!xs.includes(t)) {
        const i = xs.findIndex((x) => x > t);
        const at = i < 0 ? xs.length : i;
        xs.splice(at, 0, t);
        events.splice(at, 0, b.events);
        dead.splice(at, 0, b.fatalities);
      }
  }
  return { xs, events, dead };
}

export function Timeline({ filter, onRange }: Props) {
  const [choice, setChoice] = useState<'auto' | Interval>('auto');
  const base = without(filter, 'from', 'to');
  const key = filterKey(base);
  const monthly = useApi(`${key}|month`, (s) => timeline(base, 'month', s));
  const interval: Interval = choice !== 'auto' ? choice : monthly.data ? autoInterval(monthly.data) : 'month';
  const fine = useApi(interval === 'month' ? null : `${key}|${interval}`, (s) => timeline(base, interval, s));
  const data = interval === 'month' ? monthly.data : fine.data?.interval === interval ? fine.data : undefined;
  const error = monthly.error ?? (interval === 'month' ? undefined : fine.error);

  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const onRangeRef = useRef(onRange);
  onRangeRef.current = onRange;
  const intervalRef = useRef(interval);
  intervalRef.current = interval;

  // (Re)build the chart when the data changes.
  useEffect(() => {
    const el = box.current;
    if (!el || !data) return;
    plot.current?.destroy();
    plot.current = null;
    if (!data.buckets.length) return;
    const { xs, events, dead } = fillGaps(data);
    // Pad the x range by one bucket so single bars are not cut in half.
    const first = xs[0]!;
    const last = bucketEnd(xs[xs.length - 1]!, data.interval);
    // A margin of a bucket at least, so that a lone bar stands inside a readable axis.
    const pad = Math.max((last - first) * 0.02, bucketEnd(first, data.interval) - first);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: PLOT_HEIGHT,
      padding: [8, 4, 0, 4],
      // Buckets are UTC days: show them so, whatever the browser's time zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true, range: () => [first - pad, last + pad] }, ev: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] }, fat: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
      series: [
        { value: (_u, v) => (v === null ? '—' : toDate(v)) },
        { label: 'Events', scale: 'ev', stroke: '#1f2937', fill: 'rgba(31,41,55,0.45)', width: 0, paths: uPlot.paths.bars!({ size: [0.9, 60], align: 1 }), points: { show: false } },
        { label: 'Fatalities', scale: 'fat', stroke: '#c8102e', width: 1.5, points: { show: xs.length < 60, size: 4 } },
      ],
      axes: [
        { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#d1d5db' } },
        { scale: 'ev', stroke: '#1f2937', grid: { stroke: '#eef0f3' }, size: 40, label: 'events', labelSize: 14 },
        { scale: 'fat', side: 1, stroke: '#c8102e', grid: { show: false }, size: 44, label: 'fatalities', labelSize: 14 },
      ],
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      legend: { show: true, live: true },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            onRangeRef.current(toDate(Math.max(a, first)), toDate(Math.min(b, last - 1)));
          },
        ],
      },
    };
    plot.current = new uPlot(opts, [xs, events, dead], el);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [data]);

  // The chosen range as a band.
  useEffect(() => {
    const u = plot.current;
    if (!u || !data?.buckets.length) return;
    if (!filter.from && !filter.to) {
      u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
      return;
    }
    const [xmin, xmax] = [u.scales['x']!.min!, u.scales['x']!.max!];
    const a = filter.from ? Math.max(toSeconds(filter.from), xmin) : xmin;
    const b = filter.to ? Math.min(toSeconds(filter.to) + DAY, xmax) : xmax;
    const left = u.valToPos(a, 'x');
    const right = u.valToPos(b, 'x');
    u.setSelect({ left, top: 0, width: Math.max(0, right - left), height: u.bbox.height / devicePixelRatio }, false);
  }, [data, filter.from, filter.to]);

  // Follow the panel's width.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const u = plot.current;
      if (u && Math.abs(u.width - el.clientWidth) > 2) u.setSize({ width: Math.max(200, el.clientWidth), height: PLOT_HEIGHT });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const total = data?.buckets.reduce((s, b) => s + b.events, 0) ?? 0;
  const totalDead = data?.buckets.reduce((s, b) => s + b.fatalities, 0) ?? 0;
  return (
    <figure class="timeline">
      <figcaption>
        <span>
          Timeline{' '}
          <span class="muted">
            {data ? `${plural(total, 'dated event')}, ${plural(totalDead, 'fatality', 'fatalities')}, per ${data.interval}` : error ? 'unavailable' : 'loading…'}
          </span>
        </span>
        <span class="timeline-tools">
          <label for="t-interval">Interval</label>
          <select id="t-interval" value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value as 'auto' | Interval)}>
            <option value="auto">auto</option>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
          {(filter.from || filter.to) && (
            <button type="button" class="link-button" onClick={() => onRange(undefined, undefined)}>
              All dates
            </button>
          )}
        </span>
      </figcaption>
      {error && <p class="error" role="alert">Timeline: {error}</p>}
      <div class="timeline-plot" ref={box} aria-hidden="true" />
      {data && !data.buckets.length && <p class="muted">No dated events.</p>}
      <p class="hint">Drag across the chart to choose dates, or use the From and To fields.</p>
    </figure>
  );
}
