/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF; a field that holds a comma, a double
 * quote, a CR or an LF is put in double quotes, with its double quotes doubled. Other fields are
 * written as they are (leading and trailing spaces are data and are kept).
 */

export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

/** One field: null and undefined are empty; numbers as JavaScript writes them. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, with its CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
