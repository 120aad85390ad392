/**
 * The filters: every one the API has (dates, countries, first-level units, event types and
 * sub-event types, actor, full text, minimum fatalities; the map view's box is set from the map).
 * Each change is a new URL. Text fields apply on Enter or when they lose focus, not on every key.
 * The menus list what the facets endpoint counts under the other filters.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Facets } from '../api';
import { emptyFilter, isEmptyFilter, type Filter } from '../filters';
import { MultiSelect } from './MultiSelect';

interface Props {
  filter: Filter;
  facets: Facets | undefined;
  onChange: (f: Filter) => void;
}

function inputValue(e: Event): string {
  return (e.currentTarget as HTMLInputElement).value;
}

export function FilterBar({ filter, facets, onChange }: Props) {
  const set = (patch: Partial<Filter>) => {
    const next: Filter = { ...filter, ...patch };
    for (const k of Object.keys(patch) as (keyof Filter)[]) if (patch[k] === undefined) delete next[k];
    onChange(next);
  };
  const countries = (facets?.countries ?? []).map((c) => ({ value: c.value, count: c.count }));
  // Units of the chosen countries (all when none is chosen), labelled with their country.
  const chosenCountries = new Set(filter.country.map((c) => c.toLowerCase()));
  const admin1 = (facets?.admin1 ?? [])
    .filter((a) => chosenCountries.size === 0 || chosenCountries.has(a.country.toLowerCase()))
    .map((a) => ({ value: a.value, label: chosenCountries.size === 1 ? a.value : `${a.value} (${a.country})`, count: a.count }));
  const types = (facets?.event_types ?? []).map((t) => ({ value: t.value, count: t.count }));
  const chosenTypes = new Set(filter.event_type);
  const subTypes = (facets?.sub_event_types ?? [])
    .filter((s) => chosenTypes.size === 0 || chosenTypes.has(s.event_type))
    .map((s) => ({ value: s.value, count: s.count }));

  const onSubmit = (e: Event) => {
    // Enter in a text field: apply every text field's current value.
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const get = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
    const minF = get('min_fatalities');
    set({
      actor: get('actor') || undefined,
      q: get('q') || undefined,
      min_fatalities: /^\d+$/.test(minF) ? Number(minF) : undefined,
    });
  };

  return (
    <form class="filters" aria-label="Filters" onSubmit={onSubmit}>
      <div class="field">
        <label for="f-from">From</label>
        <input id="f-from" type="date" value={filter.from ?? ''} max={filter.to} onChange={(e) => set({ from: inputValue(e) || undefined })} />
      </div>
      <div class="field">
        <label for="f-to">To</label>
        <input id="f-to" type="date" value={filter.to ?? ''} min={filter.from} onChange={(e) => set({ to: inputValue(e) || undefined })} />
      </div>
      <MultiSelect id="f-country" label="Country" options={countries} selected={filter.country} onChange={(country) => set({ country, admin1: country.length ? filter.admin1 : [] })} />
      <MultiSelect id="f-admin1" label="Admin1" options={admin1} selected={filter.admin1} onChange={(a) => set({ admin1: a })} empty="No first-level units known" />
      <MultiSelect id="f-type" label="Event type" options={types} selected={filter.event_type} onChange={(event_type) => set({ event_type })} />
      <MultiSelect id="f-subtype" label="Sub-event type" options={subTypes} selected={filter.sub_event_type} onChange={(s) => set({ sub_event_type: s })} />
      <TextField id="f-actor" name="actor" label="Actor" type="text" placeholder="e.g. JNIM" value={filter.actor ?? ''} onCommit={(v) => set({ actor: v || undefined })} />
      <TextField id="f-q" name="q" label="Search" type="search" placeholder="e.g. ambush" value={filter.q ?? ''} onCommit={(v) => set({ q: v || undefined })} />
      <TextField
        id="f-minf"
        name="min_fatalities"
        label="Min. fatalities"
        type="number"
        narrow
        value={filter.min_fatalities === undefined ? '' : String(filter.min_fatalities)}
        onCommit={(v) => set({ min_fatalities: /^\d+$/.test(v) ? Number(v) : undefined })}
      />
      {/* Enter in a text field submits: a form needs a submit button for that. */}
      <button type="submit" class="visually-hidden" tabIndex={-1}>
        Apply
      </button>
      <button type="button" class="secondary clear" disabled={isEmptyFilter(filter)} onClick={() => onChange(emptyFilter())}>
        Clear filters
      </button>
    </form>
  );
}

interface TextFieldProps {
  id: string;
  name: string;
  label: string;
  type: 'text' | 'search' | 'number';
  value: string;
  placeholder?: string;
  narrow?: boolean;
  onCommit: (value: string) => void;
}

/**
 * A text filter that keeps what is being typed (re-renders from new data must not reset it) and
 * applies it on Enter (the form's submit) or when it loses focus; a new URL value replaces it.
 */
function TextField({ id, name, label, type, value, placeholder, narrow, onCommit }: TextFieldProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <div class={narrow ? 'field narrow' : 'field'}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        // (one type for the element's typings; the attribute is the field's own)
        type={type as 'text'}
        placeholder={placeholder}
        min={type === 'number' ? 0 : undefined}
        step={type === 'number' ? 1 : undefined}
        inputMode={type === 'number' ? 'numeric' : undefined}
        value={draft}
        onInput={(e) => setDraft(inputValue(e))}
        onChange={(e) => {
          const v = inputValue(e).trim();
          if (v !== value) onCommit(v);
        }}
      />
    </div>
  );
}
