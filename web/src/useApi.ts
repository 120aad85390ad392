/**
 * One request per change of its key: the previous one is aborted, so a slow old answer never
 * overwrites a newer one. While a new answer is on its way the old data stays shown (no flicker).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: key !== null });
  useEffect(() => {
    if (key === null) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        const msg = e instanceof ApiError ? (e.status ? `${e.message} (HTTP ${e.status})` : e.message) : e instanceof Error ? e.message : String(e);
        setState((s) => ({ data: s.data, error: msg, loading: false }));
      },
    );
    return () => ctl.abort();
  }, [key]);
  return state;
}
