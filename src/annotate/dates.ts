/**
 * Date mentions in news text, resolved to calendar dates the way ACLED codes them.
 *
 * Two layers find mentions:
 *  1. News rules (regular expressions over a lower-cased copy of the text, same offsets): datelines,
 *     day ranges ("between 1 and 5 March", "the night of 3 to 4 May"), parts of months ("mid-May",
 *     "end of May"), relative periods ("last week", "earlier this month", "two years ago"), bare
 *     years after a preposition ("since 2012") and numeric dates ("09/01/2016", "2020-12-29").
 *  2. chrono-node for everything else (calendar dates with month names, weekdays, "yesterday",
 *     "last night"). Only chrono's certain components are used; resolution is ours, because news
 *     wants the most recent such day on or before the anchor, never a future one.
 *
 * The anchor is the publication date, else the dateline's date, else the first full date in the
 * text; without one, relative dates resolve to null.
 */
import * as chrono from 'chrono-node/en'; // the English locale alone: loading every locale costs start-up time
import type { DateGranularity, DateMention } from '../core/types.js';

// ---------------------------------------------------------------- calendar helpers

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function utc(y: number, m: number, d: number): Date {
  return new Date(Date.UTC(y, m - 1, d));
}

function toIso(dt: Date): string {
  return dt.toISOString().slice(0, 10);
}

function iso(y: number, m: number, d: number): string {
  return toIso(utc(y, m, d));
}

function parseIso(s: string): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return validDay(y, mo, d) ? { y, m: mo, d } : null;
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const dt = utc(y, m, d);
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function lastDayOfMonth(y: number, m: number): number {
  return utc(y, m + 1, 0).getUTCDate();
}

/** `iso` plus `n` days (n may be negative), as YYYY-MM-DD. */
export function addDays(isoDate: string, n: number): string {
  const p = parseIso(isoDate);
  if (p === null) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  return iso(p.y, p.m, p.d + n);
}

function minIso(a: string, b: string): string {
  return a < b ? a : b;
}

/** ACLED time_precision: 1 day, 2 week, 3 month; null for a year (ACLED does not code it). */
export function timePrecision(m: DateMention): 1 | 2 | 3 | null {
  switch (m.granularity) {
    case 'day':
      // ACLED codes "around 9 May (as reported)" as week precision: the exact day is not known.
      return m.approximate ? 2 : 1;
    case 'week':
      return 2;
    case 'month':
      return 3;
    case 'year':
      return null;
  }
}

/** Two-digit years in datelines and numeric dates: 00–29 → 2000s, 30–99 → 1900s. */
function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 30 ? 2000 + n : 1900 + n;
}

// ---------------------------------------------------------------- lexicon

const MONTHS = new Map<string, number>([
  ['jan', 1], ['january', 1], ['feb', 2], ['february', 2], ['mar', 3], ['march', 3], ['apr', 4], ['april', 4],
  ['may', 5], ['jun', 6], ['june', 6], ['jul', 7], ['july', 7], ['aug', 8], ['august', 8], ['sep', 9],
  ['sept', 9], ['september', 9], ['oct', 10], ['october', 10], ['nov', 11], ['november', 11], ['dec', 12],
  ['december', 12],
]);

const WEEKDAYS = new Map<string, number>([
  ['sunday', 0], ['monday', 1], ['tuesday', 2], ['wednesday', 3], ['thursday', 4], ['friday', 5], ['saturday', 6],
]);

const NUMBER_WORDS = new Map<string, number>(
  'a one two three four five six seven eight nine ten eleven twelve'.split(' ').map((w, k): [string, number] => [w, Math.max(k, 1)]),
);

/** Regex source for a month name or abbreviation, as one capture group. */
const MONTH = '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const ORD = '(?:st|nd|rd|th)?';
const DASH = '\\s*(?:-|–|—|to|and|until|till|through|into)\\s*';

/** After "may", words that make it the modal verb ("10 MAY HAVE DIED"), not the month. */
const MODAL_FOLLOWERS = /^\s+(?:be|have|not|also|well|never|still|only|soon|yet|already|even|face|need|take|become|lose|die|remain|rise|continue|go|come|seek|want|try|use|make|get|help|affect|hold|do)\b/;

function monthNum(name: string | undefined): number | null {
  if (name === undefined) return null;
  return MONTHS.get(name.replace(/\.$/, '')) ?? null;
}

// ---------------------------------------------------------------- specs

type Part = 'whole' | 'early' | 'mid' | 'late' | 'end';
type Rel = 'bare' | 'last' | 'this' | 'next';

/** What a mention says, before it is resolved against the anchor. */
type Spec =
  | { t: 'ymd'; y: number | null; m: number; d: number; wd: number | null; end: { y: number | null; m: number; d: number } | null }
  | { t: 'ym'; y: number | null; m: number; part: Part; rel: Rel }
  | { t: 'year'; y: number; endY: number | null }
  | { t: 'weekday'; wd: number; rel: Rel }
  | { t: 'offset'; days: number }
  | { t: 'week'; weeks: number }
  | { t: 'weekend'; rel: Rel }
  | { t: 'month'; months: number; part: Part }
  | { t: 'relyear'; years: number }
  | { t: 'past'; days: number; granularity: DateGranularity };

interface Candidate {
  start: number;
  end: number;
  spec: Spec;
  kind: DateMention['kind'];
  yearStated: boolean;
  approximate: boolean;
}

// ---------------------------------------------------------------- datelines

// "SAN SALVADOR, 4 JAN 90 -- [TEXT]", "BOGOTA, 28 MAY 89 (EFE) --", "MOGADISHU, March 3 (Reuters) -",
// "BAMAKO, 12 January 2023 (AFP) -", "GAO, Mali, May 4 (Reuters) -". The place may name its country
// after a comma; the date is day-month or month-day.
const DATELINE_RE = new RegExp(
  `^[ \\t]*[A-Z][^\\n,]{1,60}(?:,[ \\t]+[A-Z][^\\n,\\d]{1,30})?,[ \\t]+(?:(\\d{1,2})[ \\t]+${MONTH}(?:[ \\t]+(\\d{4}|\\d{2}))?|${MONTH}[ \\t]+(\\d{1,2})(?:,?[ \\t]+(\\d{4}))?)[ \\t]*(?:\\([^)\\n]{1,80}\\)[ \\t]*)?(?:--|-|–|—)`,
  'imd',
);

function findDateline(text: string): Candidate | null {
  // Only the first lines can hold a dateline.
  const m = DATELINE_RE.exec(text.slice(0, 600));
  if (!m || !m.indices || !/^[ \t]*[A-Z]/.test(m[0])) return null;
  const dayFirst = m[1] !== undefined;
  const d = Number(dayFirst ? m[1] : m[5]);
  const mo = monthNum((dayFirst ? m[2] : m[4])?.toLowerCase());
  const yRaw = dayFirst ? m[3] : m[6];
  if (mo === null) return null;
  // The span is the date inside the dateline: from its first part to its last.
  const groups = dayFirst ? [1, 2, 3] : [4, 5, 6];
  const present = groups.filter((g) => m.indices![g] !== undefined);
  const start = m.indices[present[0]!]![0];
  const end = m.indices[present[present.length - 1]!]![1];
  const y = yRaw !== undefined ? fullYear(yRaw) : null;
  if (y !== null && !validDay(y, mo, d)) return null;
  return { start, end, spec: { t: 'ymd', y, m: mo, d, wd: null, end: null }, kind: 'dateline', yearStated: y !== null, approximate: false };
}

// ---------------------------------------------------------------- news rules

interface Rule {
  re: RegExp;
  make: (m: RegExpExecArray) => Omit<Candidate, 'start' | 'end' | 'approximate'> | null;
  /** Which capture group starts the span (default: the whole match). */
  spanFrom?: (m: RegExpExecArray) => number;
}

// Day ranges, day first: "between 1 and 5 March", "from 1 to 5 March 2020", "30 November - 1 December 2020",
// "12-14 May", "(on) the night of 3 to 4 May" (the night counts as its first day).
const RANGE_DAY_FIRST = new RegExp(
  `\\b(?:((?:on\\s+)?(?:the\\s+)?night\\s+of\\s+(?:the\\s+)?)|between\\s+|from\\s+)?(\\d{1,2})${ORD}(?:\\s+(?:of\\s+)?${MONTH})?(?:,?\\s+(\\d{4}))?${DASH}(?:the\\s+)?(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`,
  'g',
);

// Month first: "May 3-5, 2020", "between May 3 and 5".
const RANGE_MONTH_FIRST = new RegExp(
  `\\b(?:between\\s+|from\\s+)?${MONTH}\\s+(\\d{1,2})${ORD}${DASH}(?:${MONTH}\\s+)?(\\d{1,2})${ORD}(?:,?\\s+(\\d{4}))?\\b`,
  'g',
);

// A single night: "the night of 3 May", "on the night of 3 May 2020".
const NIGHT_OF = new RegExp(`\\b(?:on\\s+)?(?:the\\s+)?night\\s+of\\s+(?:the\\s+)?(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`, 'g');

// Parts of a named month: "early May", "mid-May 2020", "the end of May", "late March 2017".
const MONTH_PART = new RegExp(
  `\\b(early|mid|late|(?:the\\s+)?end\\s+of|(?:the\\s+)?beginning\\s+of|(?:the\\s+)?start\\s+of|(?:the\\s+)?middle\\s+of)[\\s-]+(?:the\\s+month\\s+of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`,
  'g',
);

// Relative periods: "last week", "earlier this month", "end of last month", "over the weekend", "the past week".
const REL_PERIOD = /\b(?:(early|earlier|mid|late|later|(?:at\s+)?the\s+end\s+of|end\s+of|(?:at\s+)?the\s+beginning\s+of|beginning\s+of|(?:at\s+)?the\s+start\s+of|start\s+of|the\s+middle\s+of|middle\s+of)[\s-]+)?(?:the\s+)?(last|this|next|previous|past|coming|current)\s+(week|weekend|month|year)\b(?!\s+of\b)|\b(?:over|at|during)\s+the\s+weekend\b/g;

// "two years ago", "a week ago", "3 days ago", "a few days ago".
const AGO = /\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|several|\d{1,3})\s+(day|week|month|year)s?\s+ago\b/g;

// "the day before yesterday"
const DAY_BEFORE_YESTERDAY = /\bthe\s+day\s+before\s+yesterday\b/g;

// A year after a preposition or period word: "in 2012", "since 2012", "mid-2012", "from 2012 to 2014".
const YEAR = /\b(?:in|since|during|throughout|by|until|till|before|after|from|between|around|circa|early|late|mid|(?:the\s+)?end\s+of|(?:the\s+)?beginning\s+of)[\s-]+((?:19|20)\d\d)(?:\s*(?:-|–|to|and|until)\s*((?:19|20)\d\d))?\b(?![-/.]\d|['’]?s\b)/g;

// Numeric dates: US month/day/year (day/month when the first number exceeds 12), ISO, and dotted day.month.year.
const SLASH_DATE = /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?![\d/])/g;
const ISO_DATE = /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/g;
const DOTTED_DATE = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])/g;

function rangeDayFirst(m: RegExpExecArray): Omit<Candidate, 'start' | 'end' | 'approximate'> | null {
  const night = m[1] !== undefined;
  const d1 = Number(m[2]);
  const d2 = Number(m[5]);
  const m2 = monthNum(m[6]);
  const m1 = monthNum(m[3]) ?? m2;
  if (m1 === null || m2 === null) return null;
  const y2 = m[7] !== undefined ? Number(m[7]) : null;
  const y1 = m[4] !== undefined ? Number(m[4]) : y2 !== null && m1 > m2 ? y2 - 1 : y2;
  if (m1 === m2 && d2 <= d1 && y1 === y2) return null;
  if (!validDay(y1 ?? 2000, m1, d1) || !validDay(y2 ?? 2000, m2, d2)) return null;
  // "the night of 3 to 4 May" is one night: ACLED codes its first day.
  const end = night ? null : { y: y2, m: m2, d: d2 };
  return { spec: { t: 'ymd', y: y1, m: m1, d: d1, wd: null, end }, kind: 'absolute', yearStated: y1 !== null || y2 !== null };
}

function rangeMonthFirst(m: RegExpExecArray): Omit<Candidate, 'start' | 'end' | 'approximate'> | null {
  const m1 = monthNum(m[1]);
  const m2 = monthNum(m[3]) ?? m1;
  if (m1 === null || m2 === null) return null;
  const d1 = Number(m[2]);
  const d2 = Number(m[4]);
  const y2 = m[5] !== undefined ? Number(m[5]) : null;
  const y1 = y2 !== null && m1 > m2 ? y2 - 1 : y2;
  if (m1 === m2 && d2 <= d1) return null;
  if (!validDay(y1 ?? 2000, m1, d1) || !validDay(y2 ?? 2000, m2, d2)) return null;
  return { spec: { t: 'ymd', y: y1, m: m1, d: d1, wd: null, end: { y: y2, m: m2, d: d2 } }, kind: 'absolute', yearStated: y2 !== null };
}

function partOf(word: string): Part {
  const w = word.replace(/\s+/g, ' ').replace(/^(?:at )?the /, '');
  if (w === 'early' || w === 'beginning of' || w === 'start of') return 'early';
  if (w === 'mid' || w === 'middle of') return 'mid';
  if (w === 'late') return 'late';
  if (w === 'end of') return 'end';
  return 'whole';
}

function relPeriod(m: RegExpExecArray): Omit<Candidate, 'start' | 'end' | 'approximate'> | null {
  if (m[2] === undefined) return { spec: { t: 'weekend', rel: 'bare' }, kind: 'relative', yearStated: false };
  const mod = (m[1] ?? '').replace(/\s+/g, ' ');
  const which = m[2];
  const unit = m[3]!;
  const offset = which === 'last' || which === 'previous' ? -1 : which === 'next' || which === 'coming' ? 1 : 0;
  if (which === 'past') {
    // "the past week": the days up to the anchor; its middle.
    const days = unit === 'week' || unit === 'weekend' ? 3 : unit === 'month' ? 15 : 182;
    const granularity: DateGranularity = unit === 'year' ? 'year' : unit === 'month' ? 'month' : 'week';
    return { spec: { t: 'past', days, granularity }, kind: 'relative', yearStated: false };
  }
  const part: Part = mod === 'earlier' || mod === 'later' || mod === '' ? 'whole' : partOf(mod);
  if (unit === 'week') return { spec: { t: 'week', weeks: offset }, kind: 'relative', yearStated: false };
  if (unit === 'weekend') return { spec: { t: 'weekend', rel: offset < 0 ? 'last' : offset > 0 ? 'next' : 'this' }, kind: 'relative', yearStated: false };
  if (unit === 'month') return { spec: { t: 'month', months: offset, part }, kind: 'relative', yearStated: false };
  return { spec: { t: 'relyear', years: offset }, kind: 'relative', yearStated: false };
}

function ago(m: RegExpExecArray): Omit<Candidate, 'start' | 'end' | 'approximate'> | null {
  const q = m[1]!.replace(/\s+/g, ' ');
  const n = /^\d/.test(q) ? Number(q) : q === 'a few' || q === 'several' ? 3 : NUMBER_WORDS.get(q === 'an' ? 'a' : q) ?? null;
  if (n === null) return null;
  const unit = m[2]!;
  if (unit === 'day') return { spec: { t: 'offset', days: -n }, kind: 'relative', yearStated: false };
  if (unit === 'week') return { spec: { t: 'past', days: 7 * n, granularity: 'week' }, kind: 'relative', yearStated: false };
  if (unit === 'month') return { spec: { t: 'month', months: -n, part: 'whole' }, kind: 'relative', yearStated: false };
  return { spec: { t: 'relyear', years: -n }, kind: 'relative', yearStated: false };
}

function slashDate(m: RegExpExecArray): Omit<Candidate, 'start' | 'end' | 'approximate'> | null {
  const a = Number(m[1]);
  const b = Number(m[2]);
  const y = fullYear(m[3]!);
  // US order (month/day) unless the first number cannot be a month.
  const [mo, d] = a > 12 ? [b, a] : [a, b];
  if (!validDay(y, mo, d)) return null;
  return { spec: { t: 'ymd', y, m: mo, d, wd: null, end: null }, kind: 'absolute', yearStated: true };
}

function isoDate(m: RegExpExecArray): Omit<Candidate, 'start' | 'end' | 'approximate'> | null {
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!validDay(y, mo, d)) return null;
  return { spec: { t: 'ymd', y, m: mo, d, wd: null, end: null }, kind: 'absolute', yearStated: true };
}

function dottedDate(m: RegExpExecArray): Omit<Candidate, 'start' | 'end' | 'approximate'> | null {
  const d = Number(m[1]);
  const mo = Number(m[2]);
  const y = Number(m[3]);
  if (!validDay(y, mo, d)) return null;
  return { spec: { t: 'ymd', y, m: mo, d, wd: null, end: null }, kind: 'absolute', yearStated: true };
}

const RULES: Rule[] = [
  { re: RANGE_DAY_FIRST, make: rangeDayFirst },
  { re: RANGE_MONTH_FIRST, make: rangeMonthFirst },
  {
    re: NIGHT_OF,
    make: (m) => {
      const mo = monthNum(m[2]);
      const y = m[3] !== undefined ? Number(m[3]) : null;
      if (mo === null || !validDay(y ?? 2000, mo, Number(m[1]))) return null;
      return { spec: { t: 'ymd', y, m: mo, d: Number(m[1]), wd: null, end: null }, kind: 'absolute', yearStated: y !== null };
    },
  },
  {
    re: MONTH_PART,
    make: (m) => {
      const mo = monthNum(m[2]);
      if (mo === null) return null;
      const y = m[3] !== undefined ? Number(m[3]) : null;
      return { spec: { t: 'ym', y, m: mo, part: partOf(m[1]!), rel: 'bare' }, kind: 'absolute', yearStated: y !== null };
    },
  },
  { re: REL_PERIOD, make: relPeriod },
  { re: AGO, make: ago },
  { re: DAY_BEFORE_YESTERDAY, make: () => ({ spec: { t: 'offset', days: -2 }, kind: 'relative', yearStated: false }) },
  {
    re: YEAR,
    make: (m) => ({ spec: { t: 'year', y: Number(m[1]), endY: m[2] !== undefined ? Number(m[2]) : null }, kind: 'absolute', yearStated: true }),
    // The span starts at the year, or at a period word glued to it ("mid-2012", "early 2012").
    spanFrom: (m) => {
      const lead = /^(early|late|mid)[\s-]+/.exec(m[0]);
      return lead ? m.index : m.index + m[0].indexOf(m[1]!);
    },
  },
  { re: SLASH_DATE, make: slashDate },
  { re: ISO_DATE, make: isoDate },
  { re: DOTTED_DATE, make: dottedDate },
];

function applyRules(lo: string): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(lo); m !== null; m = rule.re.exec(lo)) {
      const made = rule.make(m);
      if (made === null) continue;
      let start = rule.spanFrom ? rule.spanFrom(m) : m.index;
      const end = m.index + m[0].length;
      start = skipLeadingPreposition(lo, start, end);
      if (endsInModalMay(lo, start, end)) continue;
      out.push({ ...made, start, end, approximate: false });
    }
  }
  return out;
}

/** "on 3 May" → "3 May": the span starts at the date itself. */
function skipLeadingPreposition(lo: string, start: number, end: number): number {
  const m = /^(?:on|in|at|by|since|during|from|between)\s+(?=\S)/.exec(lo.slice(start, end));
  return m ? start + m[0].length : start;
}

/** A mention that ends in "may" followed by a verb is the modal ("10 may have died"). */
function endsInModalMay(lo: string, start: number, end: number): boolean {
  return /\bmay\.?$/.test(lo.slice(start, end)) && MODAL_FOLLOWERS.test(lo.slice(end, end + 20));
}

// ---------------------------------------------------------------- chrono

const CASUAL: [RegExp, number][] = [
  [/\bday before yesterday\b/, -2],
  [/\byesterday\b/, -1],
  [/\blast night\b/, -1],
  [/\btoday\b/, 0],
  [/\btonight\b/, 0],
  [/\bthis (?:morning|afternoon|evening)\b/, 0],
  [/\btomorrow\b/, 1],
];

const PREPOSITION_BEFORE = /\b(?:in|since|during|until|till|by|of|last|this|next|early|late|mid|throughout|from|to|before|after|between|and|or)[\s-]+$/;

/** Chrono's reference instant: irrelevant, since only the components chrono is certain of are used. */
const CHRONO_REF = { instant: new Date(Date.UTC(2000, 0, 1, 12)), timezone: 0 };

/** Chrono reads the text in pieces of about this many characters, cut at line ends. */
const CHRONO_CHUNK = 4000;

function chronoCandidates(text: string, lo: string, upperText: boolean): Candidate[] {
  // Chrono reads 3 KB in about 0.2 ms, so pre-filtering would not pay; but one of its refiners
  // matches a `...$` pattern against all the text before each result, which made a 200 KB article
  // cost a second (quadratic): it reads pieces of a few KB, cut at line ends (no date spans lines) or
  // sentence ends.
  const out: Candidate[] = [];
  for (let from = 0; from < lo.length; ) {
    let to = lo.length;
    if (to - from > CHRONO_CHUNK) {
      // A line end; in a text without them (one long paragraph), a sentence end.
      const nl = lo.indexOf('\n', from + CHRONO_CHUNK);
      const stop = nl >= 0 && nl < from + 4 * CHRONO_CHUNK ? nl : lo.indexOf('. ', from + CHRONO_CHUNK);
      to = stop < 0 ? lo.length : stop + 1;
    }
    for (const r of chrono.casual.parse(from === 0 && to === lo.length ? lo : lo.slice(from, to), CHRONO_REF)) {
      const c = fromChrono(r, from + r.index, text, lo, upperText);
      if (c !== null) out.push(c);
    }
    from = to;
  }
  return out;
}

/** The candidate for the text of a chrono result cut short at `cut` (re-parsed without its tail). */
function trimmedCandidate(at: number, cut: number, text: string, lo: string, upperText: boolean): Candidate | null {
  const again = chrono.casual.parse(lo.slice(at, cut), CHRONO_REF)[0];
  return again ? fromChrono(again, at + again.index, text, lo, upperText) : null;
}

/** Turn one chrono result into a candidate, or null for times, durations and false months. */
function fromChrono(r: chrono.ParsedResult, at: number, text: string, lo: string, upperText: boolean): Candidate | null {
  const s = r.start;
  const tags = r.tags();
  const rtext = r.text;
  let start = skipLeadingPreposition(lo, at, at + rtext.length);
  const end = at + rtext.replace(/[\s,;:]+$/, '').length;
  // "On February 26, 17 villagers were killed": a two-digit number after the comma that a word
  // follows counts people, it is not the year.
  const shortYear = /,\s*(\d{2})$/.exec(lo.slice(start, end));
  if (shortYear && /^\s+[a-z]/.test(lo.slice(end, end + 3))) return trimmedCandidate(at, end - shortYear[0].length, text, lo, upperText);
  if (tags.has('result/relativeDate')) return null; // "for three days", "three days later": our rules cover "ago"/"last week"
  if (/^\d+\/\d+$/.test(rtext.trim())) return null; // "3/4" without a year is a fraction or a score
  const certain = (k: chrono.Component) => s.isCertain(k);
  const after = lo.slice(end, end + 20);
  if (/^\s+movement\b/.test(after)) return null; // "the 19 April movement" names a group

  // A month word alone or with a day: guard against "may" the verb and "march" the noun.
  const monthWord = /\b(may|march)\b/.exec(lo.slice(start, end));
  if (monthWord && MODAL_FOLLOWERS.test(after) && /may\.?$/.test(lo.slice(start, end))) return null;
  if (monthWord && !upperText) {
    const orig = text.slice(start + monthWord.index, start + monthWord.index + monthWord[0].length);
    if (orig[0] !== orig[0]!.toUpperCase()) return null; // news capitalises months: "a march", "may be" are words
  }

  if (certain('month') && certain('day')) {
    const y = certain('year') ? yearFromText(rtext, s.get('year')!) : null;
    const m = s.get('month')!;
    const d = s.get('day')!;
    const casualIdx = CASUAL.findIndex(([re]) => re.test(lo.slice(start, end)));
    if (casualIdx >= 0) return { start, end, spec: { t: 'offset', days: CASUAL[casualIdx]![1] }, kind: 'relative', yearStated: false, approximate: false };
    if (tags.has('casualReference/now')) return null;
    // "(end of month)", "end of the year": chrono fills a day from its reference instant; no day is stated.
    if (!/\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/.test(lo.slice(start, end))) return null;
    if (!validDay(y ?? 2000, m, d)) return null;
    const wd = certain('weekday') ? s.get('weekday') : null;
    return { start, end, spec: { t: 'ymd', y, m, d, wd, end: null }, kind: 'absolute', yearStated: y !== null, approximate: false };
  }
  if (certain('weekday')) {
    // Chrono also reads "sat", "sun", "wed" as weekdays; demand the full name.
    const name = /\b(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(lo.slice(start, end));
    if (!name) return null;
    const before = lo.slice(Math.max(0, start - 12), start);
    const inside = lo.slice(start, start + name.index);
    const rel: Rel = /\blast\s+$/.test(inside) || /\blast\s+$/.test(before) ? 'last' : /\bnext\s+$/.test(inside) || /\bnext\s+$/.test(before) ? 'next' : 'bare';
    return { start, end, spec: { t: 'weekday', wd: WEEKDAYS.get(name[1]!)!, rel }, kind: 'relative', yearStated: false, approximate: false };
  }
  // Casual words whose day chrono leaves implied ("this morning").
  const casualIdx = CASUAL.findIndex(([re]) => re.test(lo.slice(start, end)));
  if (casualIdx >= 0) {
    return { start, end, spec: { t: 'offset', days: CASUAL[casualIdx]![1] }, kind: 'relative', yearStated: false, approximate: false };
  }
  if (certain('month')) {
    const y = certain('year') ? yearFromText(rtext, s.get('year')!) : null;
    const before = lo.slice(Math.max(0, start - 25), start);
    // A month name alone must follow a preposition ("in May", "since March"), unless a year follows it.
    if (y === null && !PREPOSITION_BEFORE.test(before)) return null;
    const relWord = /\b(last|this|next)\s+$/.exec(before);
    const rel: Rel = relWord ? (relWord[1] as Rel) : 'bare';
    if (relWord && start - relWord[0].length >= 0) start -= relWord[0].length;
    return { start, end, spec: { t: 'ym', y, m: s.get('month')!, part: 'whole', rel }, kind: 'absolute', yearStated: y !== null, approximate: false };
  }
  return null; // a time alone ("at 10 pm", "noon")
}

/** Chrono's year, except that two-digit years follow the news pivot (00–29 → 2000s). */
function yearFromText(rtext: string, chronoYear: number): number {
  if (/\b\d{4}\b/.test(rtext)) return chronoYear;
  const two = /\b(\d{2})\s*$/.exec(rtext.trim());
  return two ? fullYear(two[1]!) : chronoYear;
}

// ---------------------------------------------------------------- approximation marks

const APPROX_BEFORE = /\b(?:around|about|approximately|approx\.?|circa|c\.|on or about|on or around|sometime|some time|roughly)\s+(?:on\s+|the\s+)?$/;
const APPROX_AFTER = /^\s*\((as reported|approximately|approx\.?|week of|midweek|month of|end of month|estimated|or about|around)\)/;

/** "Around 9 May 2020 (as reported)": approximate; "(week of)"/"(month of)" widen the granularity. */
function markApproximate(lo: string, c: Candidate): DateGranularity | null {
  if (APPROX_BEFORE.test(lo.slice(Math.max(0, c.start - 30), c.start))) c.approximate = true;
  const after = APPROX_AFTER.exec(lo.slice(c.end, c.end + 30));
  if (!after) return null;
  c.approximate = true;
  const note = after[1]!;
  if (note === 'week of' || note === 'midweek') return 'week';
  if (note === 'month of' || note === 'end of month') return 'month';
  return null;
}

// ---------------------------------------------------------------- resolution

interface Resolved {
  date: string | null;
  end_date: string | null;
  granularity: DateGranularity;
}

/**
 * The latest year in which month/day falls on or before the anchor. A stated weekday may move it
 * one year further back ("Saturday 11 November" when last 11 November was no Saturday), no more:
 * a wrong weekday in the text must not send the date years away.
 */
function yearOnOrBefore(anchor: Ymd, m: number, d: number, wd: number | null): number | null {
  const anchorIso = iso(anchor.y, anchor.m, anchor.d);
  const years: number[] = [];
  for (let y = anchor.y; y >= anchor.y - 8 && years.length < 2; y--) {
    if (validDay(y, m, d) && iso(y, m, d) <= anchorIso) years.push(y);
  }
  if (wd !== null) {
    const match = years.find((y) => utc(y, m, d).getUTCDay() === wd);
    if (match !== undefined) return match;
  }
  return years[0] ?? null;
}

/** Date at a part of a month: early → 1st, mid → 15th, late → 20th, end → last day, whole → 15th. */
function monthPartDate(y: number, m: number, part: Part): { date: string; granularity: DateGranularity } {
  switch (part) {
    case 'early':
      return { date: iso(y, m, 1), granularity: 'month' };
    case 'mid':
      return { date: iso(y, m, 15), granularity: 'week' };
    case 'late':
      // Late in the month: the start of its last third, coded like a week.
      return { date: iso(y, m, 20), granularity: 'week' };
    case 'end':
      return { date: iso(y, m, lastDayOfMonth(y, m)), granularity: 'month' };
    case 'whole':
      return { date: iso(y, m, 15), granularity: 'month' };
  }
}

/** Wednesday of the Monday-to-Sunday week that contains `day`, shifted by `weeks`. */
function weekMiddle(day: Ymd, weeks: number): string {
  const dow = (utc(day.y, day.m, day.d).getUTCDay() + 6) % 7; // Monday 0
  return iso(day.y, day.m, day.d - dow + 2 + 7 * weeks);
}

function resolve(spec: Spec, anchor: Ymd | null): Resolved | null {
  const anchorIso = anchor ? iso(anchor.y, anchor.m, anchor.d) : null;
  const none = (granularity: DateGranularity): Resolved => ({ date: null, end_date: null, granularity });
  switch (spec.t) {
    case 'ymd': {
      let y = spec.y;
      if (y === null) {
        if (anchor === null) return none('day');
        y = yearOnOrBefore(anchor, spec.m, spec.d, spec.wd);
        if (y === null) return none('day');
      }
      if (!validDay(y, spec.m, spec.d)) return null;
      let endDate: string | null = null;
      if (spec.end) {
        const ey = spec.end.y ?? (spec.end.m < spec.m ? y + 1 : y);
        if (validDay(ey, spec.end.m, spec.end.d)) endDate = iso(ey, spec.end.m, spec.end.d);
      }
      return { date: iso(y, spec.m, spec.d), end_date: endDate, granularity: 'day' };
    }
    case 'ym': {
      let y = spec.y;
      const g = monthPartDate(2000, spec.m, spec.part).granularity;
      if (y === null) {
        if (anchor === null) return none(g);
        // The latest such month that has begun by the anchor; "last May" skips the current month.
        y = spec.m <= anchor.m ? anchor.y : anchor.y - 1;
        if (spec.rel === 'last' && spec.m === anchor.m) y -= 1;
        if (spec.rel === 'next') y = spec.m > anchor.m ? anchor.y : anchor.y + 1;
        const r = monthPartDate(y, spec.m, spec.part);
        return { date: spec.rel === 'next' ? r.date : minIso(r.date, anchorIso!), end_date: null, granularity: r.granularity };
      }
      const r = monthPartDate(y, spec.m, spec.part);
      return { date: r.date, end_date: null, granularity: r.granularity };
    }
    case 'year':
      return { date: iso(spec.y, 7, 1), end_date: spec.endY !== null ? iso(spec.endY, 7, 1) : null, granularity: 'year' };
    case 'weekday': {
      if (anchor === null) return none('day');
      const dow = utc(anchor.y, anchor.m, anchor.d).getUTCDay();
      let back = (dow - spec.wd + 7) % 7;
      if (spec.rel === 'last' && back === 0) back = 7;
      if (spec.rel === 'next') return { date: addDays(anchorIso!, (spec.wd - dow + 7) % 7 || 7), end_date: null, granularity: 'day' };
      return { date: addDays(anchorIso!, -back), end_date: null, granularity: 'day' };
    }
    case 'offset':
      return anchor === null ? none('day') : { date: addDays(anchorIso!, spec.days), end_date: null, granularity: 'day' };
    case 'week': {
      if (anchor === null) return none('week');
      const mid = weekMiddle(anchor, spec.weeks);
      return { date: spec.weeks === 0 ? minIso(mid, anchorIso!) : mid, end_date: null, granularity: 'week' };
    }
    case 'weekend': {
      if (anchor === null) return none('week');
      // The Saturday of the most recent weekend (this one when the anchor is a Saturday or Sunday).
      const dow = utc(anchor.y, anchor.m, anchor.d).getUTCDay();
      const back = (dow - 6 + 7) % 7;
      const sat = addDays(anchorIso!, -back);
      return { date: spec.rel === 'next' ? addDays(sat, 7) : sat, end_date: null, granularity: 'week' };
    }
    case 'month': {
      if (anchor === null) return none(monthPartDate(2000, 1, spec.part).granularity);
      const first = utc(anchor.y, anchor.m + spec.months, 1);
      const r = monthPartDate(first.getUTCFullYear(), first.getUTCMonth() + 1, spec.part);
      return { date: spec.months === 0 ? minIso(r.date, anchorIso!) : r.date, end_date: null, granularity: r.granularity };
    }
    case 'relyear': {
      if (anchor === null) return none('year');
      const d = iso(anchor.y + spec.years, 7, 1);
      return { date: spec.years === 0 ? minIso(d, anchorIso!) : d, end_date: null, granularity: 'year' };
    }
    case 'past':
      return anchor === null ? none(spec.granularity) : { date: addDays(anchorIso!, -spec.days), end_date: null, granularity: spec.granularity };
  }
}

// ---------------------------------------------------------------- main

/** Lower-case without changing length, so offsets into the copy are offsets into the text. */
function lowerSameLength(text: string): string {
  const lo = text.toLowerCase();
  if (lo.length === text.length) return lo;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/** Mostly upper-case text (MUC-4 wire copy): capitalisation says nothing about month names there. */
function isUpperText(text: string): boolean {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length && upper + lower < 2000; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  return upper > 4 * lower;
}

/** Keep the earliest, then longest, of overlapping candidates (the dateline overlaps nothing by then). */
function nonOverlapping(cands: Candidate[]): Candidate[] {
  const sorted = [...cands].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const out: Candidate[] = [];
  for (const c of sorted) {
    const prev = out[out.length - 1];
    if (prev === undefined || c.start >= prev.end) out.push(c);
  }
  return out;
}

/** The anchor: publication date, else the dateline, else the first full date stated in the text. */
function findAnchor(published: string | null | undefined, dateline: Candidate | null, cands: Candidate[]): Ymd | null {
  const pub = published ? parseIso(published.trim()) : null;
  if (pub) return pub;
  for (const c of dateline ? [dateline, ...cands] : cands) {
    if (c.spec.t === 'ymd' && c.spec.y !== null && validDay(c.spec.y, c.spec.m, c.spec.d)) return { y: c.spec.y, m: c.spec.m, d: c.spec.d };
  }
  return null;
}

/**
 * Every date mention in `text`, resolved against `published` (YYYY-MM-DD) or the text's own dateline
 * or first full date. Non-overlapping, in text order; `text` of each mention is `text.slice(start, end)`.
 */
export function annotateDates(text: string, published?: string | null): DateMention[] {
  const lo = lowerSameLength(text);
  const dateline = findDateline(text);
  const rules = applyRules(lo).filter((c) => !dateline || c.end <= dateline.start || c.start >= dateline.end);
  const claimed = [...(dateline ? [dateline] : []), ...rules];
  const fromChrono = chronoCandidates(text, lo, isUpperText(text)).filter((c) => !claimed.some((k) => c.start < k.end && k.start < c.end));
  const cands = nonOverlapping([...claimed, ...fromChrono]);
  const anchor = findAnchor(published, dateline, cands.filter((c) => c.kind === 'absolute' && c.yearStated));

  const out: DateMention[] = [];
  for (const c of cands) {
    const widen = markApproximate(lo, c);
    const r = resolve(c.spec, anchor);
    if (r === null) continue;
    out.push({
      start: c.start,
      end: c.end,
      text: text.slice(c.start, c.end),
      date: r.date,
      end_date: r.end_date,
      granularity: widen ?? r.granularity,
      kind: c.kind,
      year_stated: c.yearStated,
      approximate: c.approximate,
    });
  }
  return out;
}
