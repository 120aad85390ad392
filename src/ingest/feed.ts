/**
 * RSS and Atom feeds (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 1.0) to article inputs, parsed by feedsmith.
 *
 * Each item becomes `{ title, url, published, html | text }`: the link as URL (an RSS guid that is a
 * URL when there is no link; for Atom the `alternate` link, else the first), the publication date
 * from pubDate / dc:date / published / updated as YYYY-MM-DD (the day as the feed writes it, in the
 * publisher's time zone), and the body from the fullest of content:encoded, content and description /
 * summary, read as HTML by the HTML reader. An item with no text is refused alone, naming the feed
 * and the item; the other items go on.
 */
import { createRequire } from 'node:module';
import type { AnyFeed, parseFeed as ParseFeed } from 'feedsmith';
import { InputError, type ArticleInput } from '../core/types.js';
import { looseDate } from './dates.js';

const require = createRequire(import.meta.url);

/** feedsmith is loaded on the first feed: other inputs (and other commands) do not pay for it. */
let parser: typeof ParseFeed | null = null;
function parseFeed<T>(content: string): AnyFeed<T> {
  parser ??= (require('feedsmith') as { parseFeed: typeof ParseFeed }).parseFeed;
  return parser<T>(content);
}

/** One item of a feed: the input for the article readers, or why it cannot be one. */
export interface FeedItem {
  /** 1-based position of the item in the feed. */
  index: number;
  /** "item 3 ("Title") of feed.xml": names the item in messages and is the article's `source`. */
  label: string;
  /** The item's link, title and date (YYYY-MM-DD), also when it has no text (a feed watcher fetches the page). */
  url?: string;
  title?: string;
  published?: string;
  input?: ArticleInput;
  error?: InputError;
}

export interface Feed {
  format: 'rss' | 'atom' | 'rdf';
  title: string | null;
  items: FeedItem[];
}

export const FEED_EXTENSIONS = new Set(['.xml', '.rss', '.atom', '.rdf']);

/**
 * True when the text is a feed: after an optional XML declaration, comments, doctype or processing
 * instructions, its root element is <rss>, <feed> (Atom) or <rdf:RDF>.
 */
export function looksLikeFeed(content: string): boolean {
  const head = content.slice(0, 4096).replace(/^\ufeff/, '');
  const root = /^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w.:-]*)/.exec(head);
  if (!root) return false;
  const name = root[1]!.toLowerCase();
  return name === 'rss' || name === 'feed' || name.endsWith(':feed') || name === 'rdf:rdf';
}

/** Text of an HTML title ("Hello &lt;i&gt;x&lt;/i&gt;" once decoded by feedsmith): tags dropped, spaces collapsed. */
function plainTitle(value: string | undefined | null): string | null {
  if (!value) return null;
  const text = value
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text || null;
}

/** How an item is named in messages: `item 3 ("Title")`. */
function itemName(index: number, title: string | null): string {
  const t = title ? ` (${JSON.stringify(title.length > 60 ? `${title.slice(0, 60)}…` : title)})` : '';
  return `item ${index}${t}`;
}

const hasText = (s: string | undefined | null): s is string => typeof s === 'string' && s.replace(/<[^>]*>/g, '').trim() !== '';

/** The longest of the bodies that have text: a feed's description is often the first paragraph of content:encoded. */
function fullest(...bodies: Array<string | undefined | null>): string | null {
  let best: string | null = null;
  for (const b of bodies) if (hasText(b) && (best === null || b.length > best.length)) best = b;
  return best;
}

const isUrl = (s: string | undefined | null): s is string => typeof s === 'string' && /^https?:\/\/\S+$/i.test(s.trim());

interface RawItem {
  title: string | null;
  url: string | null;
  date: string | null;
  body: string | null;
  /** The feed declares the body plain text (Atom `type="text"`, the default there). */
  plain?: boolean;
}

/** Plain text stays text unless it holds markup after all (feeds that leave out type="html"). */
const looksLikeMarkup = (s: string): boolean => /<\/?[a-z][a-z0-9]*(?:\s[^>]*)?\/?>/i.test(s);

function toItem(raw: RawItem, index: number, name: string): FeedItem {
  const item = itemName(index, raw.title);
  const label = `${item} of ${name}`;
  if (raw.body === null) {
    const date = raw.date ? looseDate(raw.date) : null;
    const meta = { ...(raw.url ? { url: raw.url.trim() } : {}), ...(raw.title ? { title: raw.title } : {}), ...(date ? { published: date } : {}) };
    return { index, label, ...meta, error: new InputError(`${name}: ${item}`, 'has no text (no content:encoded, content, description or summary)') };
  }
  const input: ArticleInput = raw.plain && !looksLikeMarkup(raw.body) ? { text: raw.body, source: label } : { html: raw.body, source: label };
  if (raw.title) input.title = raw.title;
  if (raw.url) input.url = raw.url.trim();
  const published = raw.date ? looseDate(raw.date) : null;
  if (published) input.published = published;
  return { index, label, ...(input.url ? { url: input.url } : {}), ...(input.title ? { title: input.title } : {}), ...(input.published ? { published: input.published } : {}), input };
}

/**
 * Parses a feed. Throws InputError naming the file when it is not a readable RSS/Atom feed; items
 * without text come back with an `error`, the others with an `input` for `toArticle`.
 */
export function readFeed(content: string, name: string): Feed {
  let parsed: AnyFeed<string>;
  try {
    parsed = parseFeed<string>(content);
  } catch (err) {
    const why = (err as Error).message || 'unreadable';
    throw new InputError(name, `is not a readable RSS or Atom feed (${why.charAt(0).toLowerCase()}${why.slice(1)})`);
  }
  const raws: RawItem[] = [];
  if (parsed.format === 'rss') {
    for (const it of parsed.feed.items ?? []) {
      const guid = it.guid?.value;
      raws.push({
        title: plainTitle(it.title),
        url: isUrl(it.link) ? it.link : isUrl(guid) ? guid : null,
        date: it.pubDate ?? it.dc?.dates?.[0] ?? it.dcterms?.modified?.[0] ?? null,
        body: fullest(it.content?.encoded, it.description),
      });
    }
    return { format: 'rss', title: plainTitle(parsed.feed.title), items: raws.map((r, i) => toItem(r, i + 1, name)) };
  }
  if (parsed.format === 'atom') {
    for (const e of parsed.feed.entries ?? []) {
      const links = e.links ?? [];
      const link = links.find((l) => (l.rel ?? 'alternate') === 'alternate' && l.href) ?? links.find((l) => l.href);
      const content = e.content?.src ? undefined : e.content?.value;
      const summary = e.summary?.value;
      const body = fullest(content, summary);
      const type = (body === content ? e.content?.type : e.summary?.type) ?? 'text';
      raws.push({
        title: plainTitle(e.title?.value),
        url: isUrl(link?.href) ? link.href : isUrl(e.id) ? e.id : null,
        date: e.published ?? e.updated ?? e.dc?.dates?.[0] ?? null,
        body,
        plain: type === 'text',
      });
    }
    return { format: 'atom', title: plainTitle(parsed.feed.title?.value), items: raws.map((r, i) => toItem(r, i + 1, name)) };
  }
  if (parsed.format === 'rdf') {
    for (const it of parsed.feed.items ?? []) {
      raws.push({
        title: plainTitle(it.title),
        url: isUrl(it.link) ? it.link : null,
        date: it.dc?.dates?.[0] ?? null,
        body: fullest(it.content?.encoded, it.description),
      });
    }
    return { format: 'rdf', title: plainTitle(parsed.feed.title), items: raws.map((r, i) => toItem(r, i + 1, name)) };
  }
  throw new InputError(name, `is a ${parsed.format} feed; only RSS and Atom (XML) feeds are read`);
}
