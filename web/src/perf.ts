/**
 * Performance marks the app sets, read by bench/web.ts and visible in the browser's performance
 * panel: `sitrep:map-rendered` (the map has drawn its first events), `sitrep:table-filled` (the
 * table shows its first page) and `sitrep:first-render` when both have happened; its startTime is
 * the time from navigation start.
 */
const FIRST = ['sitrep:map-rendered', 'sitrep:table-filled'] as const;

export function markOnce(name: (typeof FIRST)[number]): void {
  if (performance.getEntriesByName(name, 'mark').length) return;
  performance.mark(name);
  if (performance.getEntriesByName('sitrep:first-render', 'mark').length) return;
  if (FIRST.every((n) => performance.getEntriesByName(n, 'mark').length)) {
    performance.mark('sitrep:first-render');
    document.documentElement.dataset['firstRender'] = 'done';
  }
}
