/**
 * JSONL input read line by line as bytes, so that a line that is not UTF-8 is reported alone, where a
 * decoding stream (readline) would silently put U+FFFD in it. Used by `sitrep extract --jsonl` and
 * by `sitrep ingest`.
 */
import { firstInvalidUtf8 } from './read.js';

/** A stream's lines as raw bytes, split on "\n". */
export async function* byteLines(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  let pending: Buffer[] = []; // the pieces of a line that spans chunks
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      pending.push(buf.subarray(start, nl));
      yield Buffer.concat(pending);
      pending = [];
      start = nl + 1;
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length) yield Buffer.concat(pending);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * One line's text without its "\r" and byte-order mark. `badByte` is the offset of the first invalid
 * byte, or -1; the text is then decoded leniently, only to recover the line's id for the error line.
 */
export function decodeLine(bytes: Buffer): { text: string; badByte: number } {
  let text: string;
  let badByte = -1;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    badByte = Math.max(0, firstInvalidUtf8(bytes));
    text = lenientUtf8.decode(bytes);
  }
  return { text: text.replace(/^\ufeff/, '').replace(/\r$/, ''), badByte };
}
