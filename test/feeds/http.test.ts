/**
 * Fetching and decoding (src/feeds/http.ts, decode.ts) against a real server on 127.0.0.1: the
 * User-Agent and validators sent, 304, error statuses, the timeout, the size limit (declared and
 * counted), a refused connection, and text decoded by the charset the header or the document
 * declares.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charsetOfContentType, decodeBody, htmlMetaCharset, xmlDeclaredEncoding } from '../../src/feeds/decode.js';
import { FetchError, fetchUrl, StoppedError, type FetchOptions } from '../../src/feeds/http.js';
import { startServer, type TestServer } from './server.js';

const OPTS: FetchOptions = { timeoutMs: 1000, maxBytes: 1024, userAgent: 'sitrep-test/1', accept: 'text/html' };

describe('decodeBody', () => {
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  it('reads the charset of the Content-Type header first', () => {
    expect(charsetOfContentType('text/html; charset="ISO-8859-1"')).toBe('ISO-8859-1');
    expect(charsetOfContentType('text/html;charset=windows-1252; foo=bar')).toBe('windows-1252');
    expect(charsetOfContentType('text/html')).toBeNull();
    const d = decodeBody(latin1('<p>Ségou, Ménaka, Tombouctou – “quoted”</p>'.replace('–', '\x96').replace('“', '\x93').replace('”', '\x94')), 'text/html; charset=windows-1252', 'x', 'html');
    expect(d).toEqual({ text: '<p>Ségou, Ménaka, Tombouctou – “quoted”</p>', encoding: 'windows-1252', from: 'header' });
    // ISO-8859-1 is read as windows-1252 (as browsers do): 0x93/0x94 are quotes, not C1 controls.
    expect(decodeBody(Buffer.from([0x93, 0x53, 0xe9, 0x67, 0x6f, 0x75, 0x94, 0x20, 0x80]), 'text/html; charset=ISO-8859-1', 'x', 'html').text).toBe('“Ségou” €');
  });
  it('then a <meta> charset (both forms) in an HTML page, or the XML declaration in a feed', () => {
    expect(htmlMetaCharset(latin1('<html><head><meta charset="iso-8859-1"><title>x</title>'))).toBe('iso-8859-1');
    expect(htmlMetaCharset(latin1('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">'))).toBe('ISO-8859-15');
    expect(htmlMetaCharset(latin1('<!-- <meta charset="koi8-r"> --><p>x</p>'))).toBeNull();
    expect(decodeBody(latin1('<meta charset="iso-8859-1"><p>Ségou</p>'), 'text/html', 'x', 'html').text).toBe('<meta charset="iso-8859-1"><p>Ségou</p>');
    expect(xmlDeclaredEncoding(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss/>'))).toBe('ISO-8859-1');
    expect(decodeBody(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Ségou</title></rss>'), null, 'x', 'xml').text).toContain('<title>Ségou</title>');
  });
  it('a byte-order mark wins; undeclared text is UTF-8 when valid, else windows-1252', () => {
    expect(decodeBody(Buffer.from('\ufeffSégou', 'utf8'), 'text/html; charset=windows-1252', 'x', 'html')).toMatchObject({ text: 'Ségou', from: 'bom' });
    expect(decodeBody(Buffer.from('<p>Ségou</p>', 'utf8'), null, 'x', 'html')).toMatchObject({ text: '<p>Ségou</p>', from: 'utf-8 (valid)' });
    expect(decodeBody(latin1('<p>Ségou</p>'), null, 'x', 'html')).toMatchObject({ text: '<p>Ségou</p>', encoding: 'windows-1252' });
  });
  it('refuses a charset no decoder reads, naming the input', () => {
    expect(() => decodeBody(latin1('x'), 'text/html; charset=klingon-8', 'http://h/p.html', 'html')).toThrow(
      'http://h/p.html: declares the charset "klingon-8" (in its Content-Type header), which no decoder here reads',
    );
  });
});

describe('fetchUrl', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('sends the User-Agent and the validators; a 304 is not-modified', async () => {
    server.route('/f', { body: 'hello', contentType: 'text/plain', etag: '"1"', lastModified: 'Sun, 03 Mar 2024 10:00:00 GMT' });
    const first = await fetchUrl(server.url('/f'), OPTS);
    expect(first).toMatchObject({ status: 'ok', etag: '"1"', lastModified: 'Sun, 03 Mar 2024 10:00:00 GMT', contentType: 'text/plain' });
    expect(first.status === 'ok' && Buffer.from(first.body).toString()).toBe('hello');
    expect(await fetchUrl(server.url('/f'), { ...OPTS, etag: '"1"' })).toEqual({ status: 'not-modified', url: server.url('/f') });
    expect(await fetchUrl(server.url('/f'), { ...OPTS, lastModified: 'Sun, 03 Mar 2024 10:00:00 GMT' })).toMatchObject({ status: 'not-modified' });
    const hits = server.hits('/f');
    expect(hits.map((h) => h.headers['user-agent'])).toEqual(['sitrep-test/1', 'sitrep-test/1', 'sitrep-test/1']);
    expect(hits[1]!.headers['if-none-match']).toBe('"1"');
    expect(hits[2]!.headers['if-modified-since']).toBe('Sun, 03 Mar 2024 10:00:00 GMT');
  });

  it('says what went wrong, naming the URL: status, timeout, size (declared or counted), connection', async () => {
    server.route('/e', { status: 500 });
    server.route('/nf', { status: 404 });
    server.route('/slow', { body: 'late', delayMs: 3000 });
    server.route('/big', { body: 'x'.repeat(5000) });
    const err = async (url: string, opts = OPTS) => {
      try {
        await fetchUrl(url, opts);
      } catch (e) {
        return e as FetchError;
      }
      throw new Error(`${url} did not fail`);
    };
    expect(await err(server.url('/e'))).toMatchObject({ message: `${server.url('/e')}: HTTP 500 Internal Server Error`, transient: true });
    expect(await err(server.url('/nf'))).toMatchObject({ message: `${server.url('/nf')}: HTTP 404 Not Found`, transient: false });
    expect(await err(server.url('/slow'), { ...OPTS, timeoutMs: 300 })).toMatchObject({ message: `${server.url('/slow')}: no complete answer within 0.3 s (timed out)`, transient: true });
    expect((await err(server.url('/big'))).message).toBe(`${server.url('/big')}: is 5 KB, more than the limit of 1 KB`);
    expect((await err('ftp://127.0.0.1/x')).message).toBe('ftp://127.0.0.1/x: is not an http(s) URL (ftp)');

    // A body with no Content-Length: counted while read.
    const chunked = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('y'.repeat(800));
      res.end('y'.repeat(800));
    });
    await new Promise<void>((r) => chunked.listen(0, '127.0.0.1', r));
    const port = (chunked.address() as AddressInfo).port;
    try {
      expect((await err(`http://127.0.0.1:${port}/`)).message).toBe(`http://127.0.0.1:${port}/: is more than the limit of 1 KB`);
    } finally {
      await new Promise<void>((r) => chunked.close(() => r()));
    }
    // Nothing listens there any more.
    expect((await err(`http://127.0.0.1:${port}/`)).message).toBe(`http://127.0.0.1:${port}/: connection refused (ECONNREFUSED)`);
  });

  it('stops when its signal fires, without calling it the server’s fault', async () => {
    server.route('/wait', { body: 'late', delayMs: 3000 });
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    await expect(fetchUrl(server.url('/wait'), { ...OPTS, timeoutMs: 5000, signal: c.signal })).rejects.toBeInstanceOf(StoppedError);
  });
});
