/**
 * Publication dates as the readers meet them: a strict form for what users and JSON inputs give
 * (YYYY-MM-DD or an ISO timestamp), and a lenient one for what web pages put in their metadata.
 * Both return YYYY-MM-DD for a real calendar date and null for anything else.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** YYYY-MM-DD for a real calendar date (no 30 February), else null. */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date written as YYYY-MM-DD, optionally followed by an ISO time ("2023-01-12T08:30:00Z",
 * "2023-01-12 08:30+01:00"). The date part is kept as written: the time zone is the publisher's,
 * and the day they printed is the day the article says it ran.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Strict: YYYY-MM-DD or an ISO timestamp cut to its date; null when it is neither or not a real date. */
export function strictDate(value: string): string | null {
  const m = ISO_DATE.exec(value.trim());
  if (!m) return null;
  return calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** True when the value has the YYYY-MM-DD shape, whether or not the day exists. */
export function looksLikeIsoDate(value: string): boolean {
  return ISO_DATE.test(value.trim());
}

const LOOSE_FORMS: Array<{ re: RegExp; parts: (m: RegExpExecArray) => [number, number, number] | null }> = [
  // 2023-01-12T..., 2023/01/12, 2023.01.12 at the start, whatever follows
  {
    re: /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/,
    parts: (m) => [Number(m[1]), Number(m[2]), Number(m[3])],
  },
  // 20230112 (Dublin Core dates on some sites)
  { re: /^(\d{4})(\d{2})(\d{2})(?:$|T)/, parts: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  // "12 January 2023", "Thu, 12 Jan 2023 10:00:00 GMT"
  {
    re: /\b(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})\b/i,
    parts: (m) => monthParts(Number(m[3]), m[2] ?? '', Number(m[1])),
  },
  // "January 12, 2023"
  {
    re: /\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i,
    parts: (m) => monthParts(Number(m[3]), m[1] ?? '', Number(m[2])),
  },
];

function monthParts(year: number, monthName: string, day: number): [number, number, number] | null {
  // Only a real month name counts, not any word that happens to start like one ("Mayor", "Marching").
  if (!isMonthName(monthName)) return null;
  const month = MONTHS[monthName.slice(0, 3).toLowerCase()];
  return month === undefined ? null : [year, month, day];
}

function isMonthName(word: string): boolean {
  return /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/i.test(
    word,
  );
}

/** Lenient: the strict forms plus the ones page metadata uses (2023/01/12, 20230112, "12 Jan 2023"). */
export function looseDate(value: string): string | null {
  const text = value.trim();
  if (text === '') return null;
  for (const form of LOOSE_FORMS) {
    const m = form.re.exec(text);
    if (!m) continue;
    const parts = form.parts(m);
    if (!parts) continue;
    const date = calendarDate(...parts);
    if (date) return date;
  }
  return null;
}
