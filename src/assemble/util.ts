/** Small date and text helpers shared by the assembly steps. */

const DAY_MS = 86_400_000;

/** Whole days from `a` to `b` (both YYYY-MM-DD): positive when `a` is before `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function inRange(pos: number, r: { start: number; end: number }): boolean {
  return pos >= r.start && pos < r.end;
}

/** "2023-01-10" → "10 January 2023". */
export function longDate(iso: string): string {
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${months[(m ?? 1) - 1]} ${y}`;
}

/** A short stable hash (FNV-1a, 32 bits, hex) for event ids. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
