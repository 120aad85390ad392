/**
 * The view is the location hash (see filters.ts): `useView()` re-renders on every hash change
 * (links, the back button, a pasted URL), and `navigate()` changes it. A new hash is a new history
 * entry, so the back button walks back through filter changes too.
 */
import { useEffect, useState } from 'preact/hooks';
import { parseHash, viewHash, type View } from './filters';

export function currentView(): View {
  return parseHash(location.hash);
}

export function useView(): View {
  const [view, setView] = useState<View>(currentView);
  useEffect(() => {
    const onChange = () => setView(currentView());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return view;
}

/** Goes to a view; `replace` changes the current history entry instead of adding one. */
export function navigate(v: View, opts: { replace?: boolean } = {}): void {
  const hash = viewHash(v);
  if (hash === location.hash || (hash === '#/' && location.hash === '')) return;
  if (opts.replace) {
    history.replaceState(history.state, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = hash;
}

/** The href of a view, for links (so they open in a new tab too). */
export function href(v: View): string {
  return viewHash(v);
}
