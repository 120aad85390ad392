/**
 * What `sitrep ingest PATH...` reads: files, folders (recursively), JSONL files (one article per
 * line) and RSS/Atom feeds (one article per item), turned into a stream of cleaned articles, or of
 * the reasons an input could not be read (each naming the input: "a.txt: file is empty",
 * "x.jsonl: line 3: invalid JSON (...)", "f.xml: item 2 ("Title"): has no text").
 *
 * - A file given by name is read whatever its extension: JSONL by `.jsonl`/`.ndjson` or by content
 *   (several lines that are JSON objects), a feed by `.xml`/`.rss`/`.atom`/`.rdf` or by content
 *   (its root element is <rss>, <feed> or <rdf:RDF>), else one article (text, HTML or JSON) as
 *   `sitrep extract` reads it.
 * - In a folder, only files with a known extension are read (`.txt`, `.text`, `.html`, `.htm`,
 *   `.xhtml`, `.json`, `.jsonl`, `.ndjson`, `.xml`, `.rss`, `.atom`, `.rdf`); names starting with "." are
 *   skipped. A folder's `index.json` that is a JSON array of `{ "file", "published"?, "title"?, "url"? }`
 *   is a manifest (as in samples/): it gives those values to the files it names and is not an input.
 * - The ids: an id the input gives (JSON, JSONL) is kept (`idGiven`); the runner derives the others.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError, type Article, type ArticleInput } from '../core/types.js';
import { readFeed, FEED_EXTENSIONS, looksLikeFeed } from '../ingest/feed.js';
import { parseArticleJson, readJsonlLine, validatePublished } from '../ingest/json.js';
import { byteLines, decodeLine } from '../ingest/lines.js';
import { decodeText, detectFormat, firstInvalidUtf8, MAX_ARTICLE_BYTES, toArticle } from '../ingest/read.js';

/** One article read from an input, or why it could not be read. */
export interface IngestInput {
  /** Names the input in messages: "samples/x.txt", "line 3 of a.jsonl", "item 2 of f.xml". */
  label: string;
  article?: Article;
  /** True when the input itself gave the article's id (a JSON or JSONL `id`). */
  idGiven?: boolean;
  error?: Error;
}

export type SourceKind = 'article' | 'jsonl' | 'feed' | 'auto';

/** A file to read, found on the command line or in a folder. */
export interface InputSource {
  path: string;
  kind: SourceKind;
  /** Values from the folder's index.json manifest. */
  manifest?: ManifestEntry;
}

export interface ManifestEntry {
  file: string;
  published?: string | null;
  title?: string | null;
  url?: string | null;
}

export interface ReadInputOptions {
  /** Publication date for articles that state none (YYYY-MM-DD). */
  published?: string;
}

const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson']);
const ARTICLE_EXTENSIONS = new Set(['.txt', '.text', '.html', '.htm', '.xhtml', '.json']);
/** Feeds can hold many articles: allow more than one article's size. */
export const MAX_FEED_BYTES = 64 * 1024 * 1024;

/** The extensions a folder walk reads. */
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([...ARTICLE_EXTENSIONS, ...JSONL_EXTENSIONS, ...FEED_EXTENSIONS]);

function kindOf(path: string): SourceKind {
  const ext = extname(path).toLowerCase();
  if (JSONL_EXTENSIONS.has(ext)) return 'jsonl';
  if (FEED_EXTENSIONS.has(ext)) return 'feed';
  return 'auto';
}

function fileError(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(path, 'file not found');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(path, 'permission denied');
  if (code === 'ELOOP') return new InputError(path, 'is a symbolic link loop');
  return new InputError(path, `cannot be read (${(err as Error).message})`);
}

/** An index.json that is a manifest: a JSON array of objects that each name a `file`. */
function readManifest(path: string): Map<string, ManifestEntry> | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length === 0) return null;
  const out = new Map<string, ManifestEntry>();
  for (const e of value) {
    if (e === null || typeof e !== 'object' || typeof (e as ManifestEntry).file !== 'string') return null;
    out.set((e as ManifestEntry).file, e as ManifestEntry);
  }
  return out;
}

/**
 * The files that the paths stand for, in order (a folder's files sorted by name, depth first), each
 * once, and an error for each path that cannot be read.
 */
export function expandPaths(paths: readonly string[]): { sources: InputSource[]; errors: IngestInput[] } {
  const sources: InputSource[] = [];
  const errors: IngestInput[] = [];
  const seen = new Set<string>();
  const add = (path: string, kind: SourceKind, manifest?: ManifestEntry) => {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = resolve(path);
    }
    if (seen.has(real)) return;
    seen.add(real);
    sources.push(manifest ? { path, kind, manifest } : { path, kind });
  };
  const walk = (dir: string, visiting: Set<string>) => {
    let real: string;
    let entries: import('node:fs').Dirent[];
    try {
      real = realpathSync(dir);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({ label: dir, error: fileError(dir, err) });
      return;
    }
    if (visiting.has(real)) return; // a symbolic link back up the tree
    visiting.add(real);
    const names = entries.map((e) => e.name).filter((n) => !n.startsWith('.')).sort();
    const manifest = names.includes('index.json') ? readManifest(join(dir, 'index.json')) : null;
    for (const name of names) {
      const path = join(dir, name);
      let st: import('node:fs').Stats;
      try {
        st = statSync(path);
      } catch (err) {
        errors.push({ label: path, error: fileError(path, err) });
        continue;
      }
      if (st.isDirectory()) walk(path, visiting);
      else if (st.isFile()) {
        if (manifest && name === 'index.json') continue;
        if (!KNOWN_EXTENSIONS.has(extname(name).toLowerCase())) continue;
        add(path, kindOf(path), manifest?.get(name));
      }
    }
    visiting.delete(real);
  };
  for (const p of paths) {
    let st: import('node:fs').Stats;
    try {
      st = statSync(p);
    } catch (err) {
      errors.push({ label: p, error: fileError(p, err) });
      continue;
    }
    if (st.isDirectory()) {
      const before = sources.length + errors.length;
      walk(p, new Set());
      if (sources.length + errors.length === before) {
        errors.push({ label: p, error: new InputError(p, `is a folder with no file that sitrep reads (${[...KNOWN_EXTENSIONS].join(', ')})`) });
      }
    } else {
      // A file named on its own can still have its folder's manifest entry.
      const manifestPath = join(dirname(p), 'index.json');
      const manifest = basename(p) !== 'index.json' ? safeManifest(manifestPath)?.get(basename(p)) : undefined;
      add(p, kindOf(p), manifest);
    }
  }
  return { sources, errors };
}

const manifests = new Map<string, Map<string, ManifestEntry> | null>();
function safeManifest(path: string): Map<string, ManifestEntry> | null {
  if (!manifests.has(path)) {
    let m: Map<string, ManifestEntry> | null = null;
    try {
      if (statSync(path).isFile()) m = readManifest(path);
    } catch {
      m = null;
    }
    manifests.set(path, m);
  }
  return manifests.get(path) ?? null;
}

/** How many articles a source holds, as far as can be told cheaply (for the progress bar). */
export function estimateArticles(source: InputSource): number {
  try {
    if (source.kind === 'jsonl') return countLines(source.path);
    if (source.kind === 'feed') {
      const text = readFileSync(source.path, 'utf8');
      return Math.max(1, (text.match(/<(?:item|entry)[\s>]/g) ?? []).length);
    }
  } catch {
    // reported when read
  }
  return 1;
}

/** Non-blank lines of a file, counted without decoding it. */
function countLines(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let lines = 0;
    let blank = true;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) {
        const b = buf[i]!;
        if (b === 0x0a) {
          if (!blank) lines++;
          blank = true;
        } else if (b !== 0x20 && b !== 0x09 && b !== 0x0d) blank = false;
      }
    }
    return lines + (blank ? 0 : 1);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------- reading

/** Applies the manifest's values (as `sitrep demo` does: they win over the file's own) and checks the date. */
function withManifest(input: ArticleInput, manifest: ManifestEntry | undefined, name: string): ArticleInput {
  if (!manifest) return input;
  const out = { ...input };
  if (typeof manifest.published === 'string' && manifest.published) out.published = validatePublished(manifest.published, 'index.json "published"', name);
  if (typeof manifest.title === 'string' && manifest.title) out.title = manifest.title;
  if (typeof manifest.url === 'string' && manifest.url) out.url = manifest.url;
  return out;
}

/** Reads the input into an article: the `--published` default only where the article states no date. */
function finish(input: ArticleInput, name: string, opts: ReadInputOptions): Article {
  const article = toArticle(input, name);
  if (article.published === null && opts.published) article.published = opts.published;
  return article;
}

function attempt(label: string, fn: () => IngestInput): IngestInput {
  try {
    return fn();
  } catch (err) {
    return { label, error: err as Error };
  }
}

/** The first bytes of a file (to tell a feed or JSONL from an article without reading it all). */
function head(path: string, bytes = 64 * 1024): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Several non-blank lines, the first of them a JSON object: JSONL. */
function looksLikeJsonl(start: string): boolean {
  const lines = start.replace(/^\ufeff/, '').split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  try {
    const first: unknown = JSON.parse(lines[0]!);
    return first !== null && typeof first === 'object' && !Array.isArray(first) && lines[1]!.trimStart().startsWith('{');
  } catch {
    return false;
  }
}

/** What kind of input an `auto` file is. */
function sniff(path: string): 'article' | 'jsonl' | 'feed' {
  const start = head(path);
  if (looksLikeFeed(start)) return 'feed';
  if (looksLikeJsonl(start)) {
    // A pretty-printed JSON object is not JSONL: only when the whole file is not one JSON value.
    try {
      if (statSync(path).size <= MAX_ARTICLE_BYTES) JSON.parse(readFileSync(path, 'utf8'));
      else return 'jsonl';
    } catch {
      return 'jsonl';
    }
  }
  return 'article';
}

/** Reads every article of a source, in order. */
export async function* readSource(source: InputSource, opts: ReadInputOptions = {}): AsyncGenerator<IngestInput> {
  let kind = source.kind;
  if (kind === 'auto') {
    try {
      kind = sniff(source.path);
    } catch (err) {
      yield { label: source.path, error: fileError(source.path, err) };
      return;
    }
  }
  if (kind === 'jsonl') yield* readJsonlSource(source.path, opts);
  else if (kind === 'feed') yield* readFeedSource(source.path, opts);
  else yield readArticleSource(source, opts);
}

function readArticleSource(source: InputSource, opts: ReadInputOptions): IngestInput {
  const path = source.path;
  return attempt(path, () => {
    let buf: Buffer;
    try {
      const size = statSync(path).size;
      if (size > MAX_ARTICLE_BYTES) {
        throw new InputError(path, `is ${(size / 1048576).toFixed(1)} MB; articles larger than ${MAX_ARTICLE_BYTES / 1048576} MB are refused`);
      }
      buf = readFileSync(path);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw fileError(path, err);
    }
    const content = decodeText(buf, path);
    if (content.trim() === '') throw new InputError(path, 'file is empty');
    const detected = detectFormat(content, path);
    let input: ArticleInput;
    if (detected.format === 'json') input = parseArticleJson(detected.json, path);
    else if (detected.format === 'html') input = { html: content };
    else input = { text: content };
    const idGiven = input.id !== undefined;
    return { label: path, article: finish(withManifest(input, source.manifest, path), path, opts), idGiven };
  });
}

async function* readFeedSource(path: string, opts: ReadInputOptions): AsyncGenerator<IngestInput> {
  let content: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_FEED_BYTES) throw new InputError(path, `is ${(size / 1048576).toFixed(1)} MB; feeds larger than ${MAX_FEED_BYTES / 1048576} MB are refused`);
    const buf = readFileSync(path);
    if (buf.length === 0) throw new InputError(path, 'file is empty');
    content = decodeXml(buf, path);
  } catch (err) {
    yield { label: path, error: err instanceof InputError ? err : fileError(path, err) };
    return;
  }
  let feed: ReturnType<typeof readFeed>;
  try {
    feed = readFeed(content, path);
  } catch (err) {
    yield { label: path, error: err as Error };
    return;
  }
  if (feed.items.length === 0) {
    yield { label: path, error: new InputError(path, `is a feed with no items`) };
    return;
  }
  for (const item of feed.items) {
    if (item.error || !item.input) {
      yield { label: item.label, error: item.error ?? new InputError(item.label, 'unreadable') };
      continue;
    }
    const input = item.input;
    yield attempt(item.label, () => ({ label: item.label, article: finish(input, item.label, opts), idGiven: false }));
  }
}

/** An XML file's text in the encoding its declaration names (UTF-8 when it names none). */
function decodeXml(buf: Buffer, path: string): string {
  const declared = /^(?:\ufeff)?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(buf.subarray(0, 200).toString('latin1'))?.[1];
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(declared ?? 'utf-8', { fatal: true });
  } catch {
    throw new InputError(path, `declares an encoding that cannot be read: ${JSON.stringify(declared)}`);
  }
  try {
    return decoder.decode(buf);
  } catch {
    if (decoder.encoding === 'utf-8') throw new InputError(path, `is not valid UTF-8 text (first bad byte at offset ${Math.max(0, firstInvalidUtf8(buf))})`);
    throw new InputError(path, `is not valid ${declared} text`);
  }
}

async function* readJsonlSource(path: string, opts: ReadInputOptions): AsyncGenerator<IngestInput> {
  let lineNo = 0;
  try {
    for await (const bytes of byteLines(createReadStream(path))) {
      lineNo++;
      const { text, badByte } = decodeLine(bytes);
      if (badByte >= 0) {
        yield { label: `line ${lineNo} of ${path}`, error: new InputError(path, `line ${lineNo}: is not valid UTF-8 text (first bad byte at offset ${badByte})`) };
        continue;
      }
      if (text.trim() === '') continue;
      const parsed = readJsonlLine(text, lineNo, path);
      const label = `line ${lineNo} of ${path}`;
      if (parsed.error || !parsed.input) {
        yield { label, error: new InputError(path, parsed.error ?? `line ${lineNo}: unreadable`) };
        continue;
      }
      const input = parsed.input;
      yield attempt(label, () => ({ label, article: finish(input, label, opts), idGiven: input.id !== undefined }));
    }
  } catch (err) {
    yield { label: path, error: fileError(path, err) };
  }
}

/** Every article of every source, in order. */
export async function* readSources(sources: readonly InputSource[], opts: ReadInputOptions = {}): AsyncGenerator<IngestInput> {
  for (const s of sources) yield* readSource(s, opts);
}
