/**
 * The event table: one page of /events at a time (50 rows, the API's keyset cursor for the next
 * page, a stack of cursors for the previous ones), sortable by the API's sort fields (the sort is in
 * the URL). Each row's date is a link to the event; Enter or a click anywhere on a row opens it, and
 * the arrow keys move between rows.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { listEvents, type EventRecord } from '../api';
import { DEFAULT_SORT, filterKey, type Filter, type SortField, type View } from '../filters';
import { markOnce } from '../perf';
import { href, navigate } from '../router';
import { useApi } from '../useApi';
import { eventTypeClass, plural } from '../vocab';

export const PAGE_SIZE = 50;

interface Props {
  view: View;
  /** Called with the total once known (for the results line). */
  onTotal?: (total: number | undefined) => void;
}

interface Column {
  label: string;
  sort?: SortField;
  cell: (e: EventRecord) => string;
  className?: string;
}

const COLUMNS: Column[] = [
  { label: 'Event type', sort: 'event_type', cell: (e) => e.event_type ?? '' },
  { label: 'Sub-event type', cell: (e) => e.sub_event_type ?? '' },
  { label: 'Actor 1', cell: (e) => [e.actor1, e.assoc_actor_1].filter(Boolean).join('; ') },
  { label: 'Actor 2', cell: (e) => [e.actor2, e.assoc_actor_2].filter(Boolean).join('; ') },
  { label: 'Location', sort: 'location', cell: (e) => e.location ?? '' },
  { label: 'Admin1', cell: (e) => e.admin1 ?? '' },
  { label: 'Country', sort: 'country', cell: (e) => e.country ?? '' },
  { label: 'Fatalities', sort: 'fatalities', cell: (e) => String(e.fatalities ?? 0), className: 'num' },
];

export function EventTable({ view, onTotal }: Props) {
  const { filter, sort } = view;
  const key = `${filterKey(filter)}|${sort}`;
  // Cursors of the pages before this one; reset when the filter or sort changes.
  const [stack, setStack] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = stack.key === key ? stack.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useApi(`${key}|${cursor ?? ''}`, (s) => listEvents(filter, { sort, limit: PAGE_SIZE, cursor }, s));
  const tbody = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    if (page.data && !page.loading) {
      onTotal?.(page.data.total);
      // Drawn: the first page is in the DOM once this effect runs.
      markOnce('sitrep:table-filled');
    }
  }, [page.data, page.loading]);

  const field = sort.replace(/^-/, '');
  const descending = sort.startsWith('-');
  const sortBy = (f: SortField) => {
    // A new column starts in its natural order: dates and fatalities descending, text ascending.
    const next = f === field ? (descending ? f : `-${f}`) : f === 'event_date' || f === 'fatalities' ? `-${f}` : f;
    navigate({ ...view, sort: next });
  };
  const sortButton = (label: string, f: SortField) => (
    <button type="button" class="sort" onClick={() => sortBy(f)} aria-label={`${label}: sort ${f === field && !descending ? 'descending' : f === field ? 'ascending' : ''}`.trim()}>
      {label}
      <span class="sort-mark" aria-hidden="true">
        {f === field ? (descending ? '▼' : '▲') : '↕'}
      </span>
    </button>
  );
  const ariaSort = (f?: SortField) => (f && f === field ? (descending ? 'descending' : 'ascending') : undefined);

  const open = (e: EventRecord) => navigate({ ...view, route: { page: 'event', id: e.event_id } });
  const onRowKey = (ev: KeyboardEvent, i: number) => {
    const rows = tbody.current?.querySelectorAll<HTMLAnchorElement>('a.row-link');
    if (!rows) return;
    const go = (j: number) => {
      rows[Math.max(0, Math.min(rows.length - 1, j))]?.focus();
      ev.preventDefault();
    };
    if (ev.key === 'ArrowDown') go(i + 1);
    else if (ev.key === 'ArrowUp') go(i - 1);
    else if (ev.key === 'Home' && ev.ctrlKey) go(0);
    else if (ev.key === 'End' && ev.ctrlKey) go(rows.length - 1);
  };

  const events = page.data?.events ?? [];
  const total = page.data?.total;
  const from = (cursors.length - 1) * PAGE_SIZE;
  return (
    <section class="table-panel" aria-labelledby="events-heading">
      <div class="table-head">
        <h2 id="events-heading">Events</h2>
        <p class="results" role="status" aria-live="polite" aria-atomic="true">
          {page.error
            ? ''
            : total === undefined
              ? 'Loading events…'
              : total === 0
                ? 'No events match these filters.'
                : page.data?.total_is_lower_bound
                  ? `More than ${total.toLocaleString('en')} events match; showing ${(from + 1).toLocaleString('en')}–${(from + events.length).toLocaleString('en')}.`
                  : `${plural(total, 'event matches', 'events match')}; showing ${(from + 1).toLocaleString('en')}–${(from + events.length).toLocaleString('en')}.`}
        </p>
        <Pager
          hasPrev={cursors.length > 1}
          hasNext={!!page.data?.next_cursor}
          onPrev={() => setStack({ key, cursors: cursors.slice(0, -1) })}
          onNext={() => page.data?.next_cursor && setStack({ key, cursors: [...cursors, page.data.next_cursor] })}
        />
      </div>
      {page.error && (
        <p class="error" role="alert">
          Could not load events: {page.error}
        </p>
      )}
      <div class="table-scroll">
        <table class="events" aria-busy={page.loading ? 'true' : 'false'} data-sort={sort}>
          <thead>
            <tr>
              <th scope="col" aria-sort={ariaSort('event_date')}>
                {sortButton('Date', 'event_date')}
              </th>
              {COLUMNS.map((c) => (
                <th scope="col" key={c.label} aria-sort={ariaSort(c.sort)} class={c.className}>
                  {c.sort ? sortButton(c.label, c.sort) : c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={tbody}>
            {events.map((e, i) => (
              <tr key={e.event_id} data-event-id={e.event_id} onClick={(ev) => !(ev.target instanceof HTMLAnchorElement) && open(e)}>
                <td class="date">
                  <a class="row-link" href={href({ ...view, route: { page: 'event', id: e.event_id } })} onKeyDown={(ev) => onRowKey(ev, i)}>
                    {e.event_date ?? 'undated'}
                  </a>
                </td>
                {COLUMNS.map((c) => (
                  <td key={c.label} class={c.className}>
                    {c.label === 'Event type' && <span class={`dot ${eventTypeClass(e.event_type)}`} aria-hidden="true" />}
                    {c.cell(e)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length > 20 && (
        <div class="table-foot">
          <Pager
            hasPrev={cursors.length > 1}
            hasNext={!!page.data?.next_cursor}
            onPrev={() => setStack({ key, cursors: cursors.slice(0, -1) })}
            onNext={() => page.data?.next_cursor && setStack({ key, cursors: [...cursors, page.data.next_cursor] })}
          />
        </div>
      )}
      {sort !== DEFAULT_SORT && <p class="hint">Sorted by {field.replace('_', ' ')}, {descending ? 'descending' : 'ascending'}.</p>}
    </section>
  );
}

function Pager({ hasPrev, hasNext, onPrev, onNext }: { hasPrev: boolean; hasNext: boolean; onPrev: () => void; onNext: () => void }) {
  return (
    <div class="pager" role="group" aria-label="Pages">
      <button type="button" class="secondary" disabled={!hasPrev} onClick={onPrev}>
        ← Previous
      </button>
      <button type="button" class="secondary" disabled={!hasNext} onClick={onNext}>
        Next →
      </button>
    </div>
  );
}
