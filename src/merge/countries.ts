/**
 * Which countries an article names, and which countries a report may be in for the merger.
 *
 * A report's country normally comes from its place. When the article never names that country (nor
 * its people or its capital), or names another country far more often, the place is most likely a
 * namesake: a person's name or a common word read as a town abroad ("HECTOR OQUELI" as Hector,
 * Minnesota; the victims' nationality placing a murder in their country). Such a report may then be
 * in the country its article names most (`mergeCountries`): the merger compares it with reports of
 * either country, by evidence alone (its place says nothing), instead of refusing the pair for
 * `other_country`.
 */
import { allCountries } from '../geo/countries.js';
import type { SitrepEvent } from '../core/types.js';
import { words } from './evidence.js';

/** Folded name (words joined by one space) → ISO3, for names, demonyms and capitals; the longest names are tried first. */
let nameIndex: { byName: Map<string, string>; maxWords: number } | null = null;

function index(): { byName: Map<string, string>; maxWords: number } {
  if (!nameIndex) {
    const byName = new Map<string, string>();
    let maxWords = 1;
    // Names first, then demonyms, then capitals: a country's own name always wins over another's demonym or capital.
    for (const kind of ['names', 'demonyms', 'capital'] as const) {
      for (const c of allCountries()) {
        const list = kind === 'capital' ? (c.capital ? [c.capital] : []) : c[kind];
        for (const n of list) {
          const w = words(n);
          // One- and two-letter forms ("US", "UK") are too ambiguous in capitals-only wire copy.
          if (w.length === 0 || (w.length === 1 && w[0]!.length < 3)) continue;
          const key = w.join(' ');
          if (!byName.has(key)) byName.set(key, c.iso3);
          maxWords = Math.max(maxWords, w.length);
        }
      }
    }
    nameIndex = { byName, maxWords: Math.min(maxWords, 4) };
  }
  return nameIndex;
}

/** How many times the text names each country (its names, demonyms and capital), by ISO3; longest names first, no overlaps. */
export function namedCountries(text: string): Map<string, number> {
  const { byName, maxWords } = index();
  const w = words(text).map((t) => (t.endsWith("'s") ? t.slice(0, -2) : t));
  const out = new Map<string, number>();
  for (let i = 0; i < w.length; i++) {
    for (let n = Math.min(maxWords, w.length - i); n >= 1; n--) {
      const iso = byName.get(n === 1 ? w[i]! : w.slice(i, i + n).join(' '));
      if (iso) {
        out.set(iso, (out.get(iso) ?? 0) + 1);
        i += n - 1;
        break;
      }
    }
  }
  return out;
}

/** Another country named at least this many times as often as the report's own makes the own one doubtful. */
const DOMINANCE = 3;

/**
 * The countries a report may be in (ISO3, upper case): its own first; then, when its article does
 * not name its own country or names another at least `DOMINANCE` times as often, the country (or the
 * countries tied) the article names most. Empty for a report without a country.
 */
export function mergeCountries(event: Pick<SitrepEvent, 'iso3' | 'country'>, named: ReadonlyMap<string, number>): string[] {
  const own = (event.iso3 || event.country || '').toUpperCase();
  if (!own) return [];
  const ownCount = named.get(own) ?? 0;
  let top = 0;
  for (const n of named.values()) top = Math.max(top, n);
  if (top === 0 || (ownCount > 0 && top < DOMINANCE * ownCount)) return [own];
  const others = [...named].filter(([iso, n]) => n === top && iso !== own).map(([iso]) => iso).sort();
  return [own, ...others.slice(0, 2)];
}
