/**
 * Bytes fetched from the web to text, in the encoding they declare.
 *
 * In order (the WHATWG encoding sniffing order, simplified): a byte-order mark; the `charset` of
 * the Content-Type header; inside the document, `<meta charset>` / `<meta http-equiv=Content-Type
 * content="...; charset=...">` (HTML) or the XML declaration's `encoding` (feeds), in the first
 * 4 KB; else UTF-8 when the bytes are valid UTF-8, else windows-1252 (what browsers assume for
 * undeclared Western pages). TextDecoder knows the WHATWG labels: windows-1252, iso-8859-1 (read as
 * windows-1252, as browsers do; its 0x80–0x9F decoded here, Node 20's decoder gets them wrong), iso-8859-15, windows-1251, koi8-r, shift_jis, gbk, ...
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

/**
 * windows-1252's 0x80–0x9F: Node 20's TextDecoder('windows-1252') decodes them as ISO-8859-1's C1
 * controls (U+0080–U+009F) instead of the quotes, dashes, € and Š/Ž/Œ that windows-1252 has there.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** windows-1252 (and what WHATWG reads as it: iso-8859-1, latin1, ascii) decoded right. */
export function decodeWindows1252(buf: Uint8Array): string {
  const latin1 = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

interface Decoder {
  readonly encoding: string;
  decode(buf: Uint8Array): string;
}

function decoderFor(label: string, name: string, where: string): Decoder {
  try {
    const d = new TextDecoder(label.trim().toLowerCase());
    return d.encoding === 'windows-1252' ? { encoding: 'windows-1252', decode: decodeWindows1252 } : d;
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
    return { text: decodeWindows1252(buf), encoding: 'windows-1252', from: 'windows-1252 (fallback)' };
  }
}
