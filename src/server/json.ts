/**
 * The server's JSON: JSON.stringify with `<`, `>`, `&`, U+2028 and U+2029 written as \u escapes.
 * The value is the same JSON, but no answer can be taken for markup: an article containing
 * `<script>` comes back as `\u003cscript\u003e`, whatever a client or a sniffing browser does with it.
 */
const UNSAFE = /[<>&\u2028\u2029]/g;
const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

export function safeJson(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? 'null' : s.replace(UNSAFE, escape);
}

/** JSON text written elsewhere (the database) with the same escapes: `<`, `>`, `&` and U+2028/9 only occur inside strings, where \u escapes mean the same. */
export function safeJsonText(json: string): string {
  return json.replace(UNSAFE, escape);
}
