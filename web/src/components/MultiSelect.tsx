/**
 * A menu of checkboxes in a disclosure (`<details>`): Tab to it, Enter or Space opens it, Tab and
 * Space choose, Escape closes it and returns focus to its button. Long lists get a search box.
 * Choices the URL states that the facets do not list (no event matches them now) stay listed, so
 * they can be unticked.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export interface Option {
  value: string;
  label?: string;
  count?: number;
}

interface Props {
  id: string;
  label: string;
  options: readonly Option[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
  /** Shown instead of the list when there are no options. */
  empty?: string;
}

export function MultiSelect({ id, label, options, selected, onChange, empty }: Props) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [search, setSearch] = useState('');
  const all: Option[] = [...options];
  for (const v of selected) if (!all.some((o) => o.value === v)) all.push({ value: v, count: 0 });
  const needle = search.trim().toLowerCase();
  const shown = needle ? all.filter((o) => (o.label ?? o.value).toLowerCase().includes(needle)) : all;

  useEffect(() => {
    // A click outside closes the menu.
    const onDown = (e: MouseEvent) => {
      const d = ref.current;
      if (d?.open && e.target instanceof Node && !d.contains(e.target)) d.open = false;
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && ref.current?.open) {
      ref.current.open = false;
      ref.current.querySelector('summary')?.focus();
      e.preventDefault();
    }
  };

  const toggle = (value: string, on: boolean) => {
    const next = on ? [...selected, value] : selected.filter((v) => v !== value);
    onChange([...new Set(next)]);
  };

  const summary = selected.length === 0 ? 'any' : selected.length <= 2 ? selected.join(', ') : `${selected.length} chosen`;
  return (
    <details class="multi" id={id} ref={ref} onKeyDown={onKeyDown}>
      <summary aria-label={`${label}: ${summary}`}>
        <span class="multi-label">{label}</span>
        <span class={selected.length ? 'multi-value chosen' : 'multi-value'}>{summary}</span>
      </summary>
      <div class="multi-panel">
        {all.length > 8 && (
          <input
            type="search"
            class="multi-search"
            placeholder={`Find ${label.toLowerCase()}`}
            aria-label={`Find in ${label}`}
            value={search}
            onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)}
          />
        )}
        {all.length === 0 ? (
          <p class="multi-empty">{empty ?? 'Nothing to choose'}</p>
        ) : (
          <fieldset>
            <legend class="visually-hidden">{label}</legend>
            <ul>
              {shown.map((o) => {
                const inputId = `${id}-${all.indexOf(o)}`;
                return (
                  <li key={o.value}>
                    <input type="checkbox" id={inputId} value={o.value} checked={selected.includes(o.value)} onChange={(e) => toggle(o.value, (e.currentTarget as HTMLInputElement).checked)} />
                    <label for={inputId}>
                      {o.label ?? o.value}
                      {o.count !== undefined && <span class="count">{o.count.toLocaleString('en')}</span>}
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        )}
        {selected.length > 0 && (
          <button type="button" class="link-button" onClick={() => onChange([])}>
            Clear {label.toLowerCase()}
          </button>
        )}
      </div>
    </details>
  );
}
