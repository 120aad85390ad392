/**
 * Bytes fetched from the web to text, in the encoding they declare.
 *
 * In order (the WHATWG encoding sniffing order, simplified): a byte-order mark; the `charset` of
 * the Content-Type header; inside the document, `<meta charset>` / `<meta http-equiv=Content-Type
 * content="...; charset=...">` (HTML) or the XML declaration's `encoding` (feeds), in the first
 * 4 KB; else UTF-8 when the bytes are valid UTF-8, else windows-1252 (what browsers assume for
 * undeclared Western pages). TextDecoder knows the WHATWG labels: windows-1252, iso-8859-1 (read as
 * windows-1252, as browsers do), iso-8859-15, windows-1251, koi8-r, shift_jis, gbk, ...
 *
 * A declared charset that no decoder knows is an error naming the input; bytes invalid in the
 * declared charset become U+FFFD, as in a browser.
 */
import { InputError } from '../core/types.js';

/** The charset parameter of a Content-Type value ("text/html; charset=ISO-8859-1" → "ISO-8859-1"). */
export function charsetOfContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  const v = (m?.[1] ?? m?.[2])?.trim();
  return v ? v : null;
}

function bomEncoding(buf: Uint8Array): { encoding: string; skip: number } | null {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return null;
}

const PRESCAN_BYTES = 4096;

/** The charset an HTML document declares in a <meta> element near its start. */
export function htmlMetaCharset(buf: Uint8Array): string | null {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, PRESCAN_BYTES)).toString('latin1');
  const withoutComments = head.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of withoutComments.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(tag);
    if (direct) return direct[1]!;
  }
  return null;
}

/** The encoding an XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`). */
export function xmlDeclaredEncoding(buf: Uint8Array): string | null {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 200)).toString('latin1');
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1] ?? null;
}

function decoderFor(label: string, name: string, where: string): InstanceType<typeof TextDecoder> {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    throw new InputError(name, `declares the charset ${JSON.stringify(label)} (${where}), which no decoder here reads`);
  }
}

export interface Decoded {
  text: string;
  /** The encoding used (TextDecoder's name for it: "windows-1252", "utf-8", ...). */
  encoding: string;
  /** Where the encoding came from. */
  from: 'bom' | 'header' | 'document' | 'utf-8 (valid)' | 'windows-1252 (fallback)';
}

/** Decodes an HTML page (`kind` html) or a feed (`kind` xml) fetched with this Content-Type. */
export function decodeBody(buf: Uint8Array, contentType: string | null, name: string, kind: 'html' | 'xml'): Decoded {
  const bom = bomEncoding(buf);
  if (bom) return { text: new TextDecoder(bom.encoding).decode(buf.subarray(bom.skip)), encoding: bom.encoding, from: 'bom' };
  const header = charsetOfContentType(contentType);
  if (header) {
    const d = decoderFor(header, name, 'in its Content-Type header');
    return { text: d.decode(buf), encoding: d.encoding, from: 'header' };
  }
  const inDoc = kind === 'html' ? htmlMetaCharset(buf) : xmlDeclaredEncoding(buf);
  if (inDoc) {
    const d = decoderFor(inDoc, name, kind === 'html' ? 'in a <meta> element' : 'in its XML declaration');
    // A page that says UTF-16 in ASCII-compatible bytes is not UTF-16 (the HTML rule): read it as UTF-8.
    const dec = d.encoding.startsWith('utf-16') ? new TextDecoder('utf-8') : d;
    return { text: dec.decode(buf), encoding: dec.encoding, from: 'document' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8', from: 'utf-8 (valid)' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(buf), encoding: 'windows-1252', from: 'windows-1252 (fallback)' };
  }
}
