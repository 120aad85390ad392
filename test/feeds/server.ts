/**
 * A real HTTP server on 127.0.0.1 (node:http, a free port) that serves feeds and pages for the
 * watcher tests, answers conditional requests the way servers do (ETag → If-None-Match,
 * Last-Modified → If-Modified-Since → 304), can answer an error status or stall, and records every
 * request it gets with its headers. No outside network.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  body?: string | Uint8Array;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** What the server answered. */
  status: number;
}

export interface TestServer {
  /** "http://127.0.0.1:PORT" */
  origin: string;
  url(path: string): string;
  /** Sets (or replaces) what a path answers. */
  route(path: string, route: Route): void;
  requests: SeenRequest[];
  /** Requests for one path. */
  hits(path: string): SeenRequest[];
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes.get(path);
    const answer = () => {
      if (!route) {
        requests.push({ path, headers: req.headers, status: 404 });
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const headers: Record<string, string> = { ...(route.headers ?? {}) };
      if (route.contentType) headers['content-type'] = route.contentType;
      if (route.etag) headers['etag'] = route.etag;
      if (route.lastModified) headers['last-modified'] = route.lastModified;
      const status = route.status ?? 200;
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      const notModified = status === 200 && ((route.etag && inm === route.etag) || (!inm && route.lastModified && ims === route.lastModified));
      if (notModified) {
        requests.push({ path, headers: req.headers, status: 304 });
        res.writeHead(304, headers).end();
        return;
      }
      requests.push({ path, headers: req.headers, status });
      const body = typeof route.body === 'string' ? Buffer.from(route.body, 'utf8') : (route.body ?? Buffer.alloc(0));
      headers['content-length'] = String(body.byteLength);
      res.writeHead(status, headers).end(body);
    };
    if (route?.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) answer();
      }, route.delayMs);
      timers.add(t);
    } else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, route) => routes.set(path, route),
    requests,
    hits: (path) => requests.filter((r) => r.path === path),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------- content

export interface TestItem {
  title: string;
  link?: string;
  description?: string;
  pubDate?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 feed, its items listed newest first as given. */
export function rss(title: string, items: TestItem[], encoding = 'UTF-8'): string {
  const body = items
    .map(
      (i) =>
        `<item><title>${esc(i.title)}</title>${i.link ? `<link>${esc(i.link)}</link>` : ''}` +
        `${i.description ? `<description>${esc(i.description)}</description>` : ''}<pubDate>${i.pubDate ?? 'Sun, 03 Mar 2024 10:00:00 GMT'}</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="${encoding}"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>http://example.org/</link><description>test</description>\n${body}\n</channel></rss>\n`;
}

/** A news page with scraped-page chrome around the article's paragraphs. */
export function page(title: string, paragraphs: string[], head = ''): string {
  return `<!DOCTYPE html><html><head>${head}<title>${esc(title)}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>${esc(title)}</h1>
${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</article>
<footer>Subscribe to our newsletter</footer></body></html>`;
}

/** A conflict report of a few paragraphs: something the pipeline finds an event in. */
export function report(place: string, n: number, day = 3): string[] {
  return [
    `Gunmen killed ${n} civilians in an attack on the village of ${place} in central Mali on ${day} March 2024, local officials said.`,
    `The assailants arrived on motorcycles in the early morning and set fire to houses and granaries, a resident told reporters.`,
    `No group has claimed responsibility for the attack on ${place}, which comes after weeks of violence in the region.`,
  ];
}
