/**
 * What `sitrep ingest` reads, through the real CLI: RSS and Atom feeds with HTML content,
 * feeds found by their content, JSONL with a bad line, folders (recursively, known extensions only),
 * missing paths, and the --published default. Bad inputs get one line each naming the input and the
 * reason; the others are stored; exit 2 when any failed.
 *
 * Reading does not depend on the back end; the store here is PostgreSQL's (a schema of its own),
 * whose processes start faster than PGlite's.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredArticle } from '../../src/store/index.js';
import { expectNoStackTrace, ingestSummary, postgresBackend, runCli, SPAWN_TIMEOUT_MS, warnIfStaleBuild, type CliStore } from './helpers.js';
import { tempDir } from '../cli/run.js';

const backend = postgresBackend();
const tmp = tempDir('ingest-inputs');

beforeAll(async () => {
  warnIfStaleBuild();
  await backend.setup();
}, SPAWN_TIMEOUT_MS);
afterAll(async () => {
  await backend.teardown();
  tmp.remove();
});

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Sahel Monitor</title><link>https://news.example.org/</link><description>Test feed</description>
  <item>
    <title>Gunmen kill 14 in attack near Djibo</title>
    <link>https://news.example.org/2023/01/10/djibo</link>
    <guid isPermaLink="false">djibo-1</guid>
    <pubDate>Tue, 10 Jan 2023 23:30:00 -0500</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>OUAGADOUGOU, Jan 10 – Gunmen <b>killed at least 14 civilians</b> in an attack on a village near Djibo, Burkina Faso, on Monday, local officials said.</p><p>The army said it had sent reinforcements.</p><script>var tracking = "killed 999 people";</script>]]></content:encoded>
  </item>
  <item>
    <title>Photo gallery</title>
    <link>https://news.example.org/2023/01/11/gallery</link>
    <pubDate>Wed, 11 Jan 2023 08:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Protest in Niamey</title>
    <link>https://news.example.org/2023/01/12/niamey</link>
    <dc:date>2023-01-12T09:00:00Z</dc:date>
    <description>&lt;p&gt;NIAMEY, Jan 12 – Hundreds of protesters marched in Niamey, Niger, on Thursday to demand the departure of foreign troops, witnesses said.&lt;/p&gt;</description>
  </item>
</channel>
</rss>
`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Horn Report</title><id>urn:horn</id><updated>2023-02-03T10:00:00Z</updated>
  <entry>
    <title type="html">Truck bomb in &lt;i&gt;Mogadishu&lt;/i&gt;</title>
    <id>urn:horn:1</id>
    <link rel="alternate" type="text/html" href="https://horn.example.com/2023/02/02/mogadishu-bomb"/>
    <link rel="self" href="https://horn.example.com/feed/1"/>
    <published>2023-02-02T22:15:00+03:00</published>
    <updated>2023-02-03T07:00:00Z</updated>
    <content type="html">&lt;p&gt;MOGADISHU, Feb 2 – A truck bomb exploded near a checkpoint in Mogadishu, Somalia, on Thursday, killing at least 9 people, police said.&lt;/p&gt;&lt;p&gt;Al Shabaab claimed responsibility.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Empty entry</title>
    <id>urn:horn:2</id>
    <updated>2023-02-03T08:00:00Z</updated>
    <summary></summary>
  </entry>
</feed>
`;

async function articles(s: CliStore): Promise<StoredArticle[]> {
  const store = await s.open();
  try {
    const out: StoredArticle[] = [];
    for (const url of [
      'https://news.example.org/2023/01/10/djibo',
      'https://news.example.org/2023/01/12/niamey',
      'https://horn.example.com/2023/02/02/mogadishu-bomb',
    ]) {
      const a = await store.getArticleByUrl(url);
      if (a) out.push(a);
    }
    return out;
  } finally {
    await store.close();
  }
}

describe('sitrep ingest: inputs', () => {
  it(
    'reads RSS and Atom feeds (by extension and by content) into articles with url, title and published; items without text are reported alone',
    async () => {
      const s = await backend.fresh();
      try {
        const rss = tmp.write('sahel.rss', RSS);
        // No feed extension: found by its root element.
        const atom = tmp.write('horn-feed.dat', ATOM);
        const r = await runCli(['ingest', rss, atom, '--json'], s.env);
        expect(r.code, r.stderr).toBe(2);
        expectNoStackTrace(r.stderr);
        expect(ingestSummary(r)).toMatchObject({ articles: 5, new: 3, failed: 2 });
        const errors = r.stderr.split('\n').filter((l) => l.startsWith('sitrep: '));
        expect(errors).toEqual([
          `sitrep: ${rss}: item 2 ("Photo gallery"): has no text (no content:encoded, content, description or summary)`,
          `sitrep: ${atom}: item 2 ("Empty entry"): has no text (no content:encoded, content, description or summary)`,
        ]);

        const [djibo, niamey, mogadishu] = await articles(s);
        // The day as the feed writes it (the publisher's time zone), content:encoded over the teaser, no script text.
        expect(djibo).toMatchObject({ title: 'Gunmen kill 14 in attack near Djibo', published: '2023-01-10', site: 'news.example.org' });
        expect(djibo!.text).toContain('Gunmen killed at least 14 civilians in an attack on a village near Djibo');
        expect(djibo!.text).not.toContain('Short teaser');
        expect(djibo!.text).not.toContain('999');
        expect(niamey).toMatchObject({ title: 'Protest in Niamey', published: '2023-01-12' });
        expect(niamey!.text).toMatch(/^NIAMEY, Jan 12 – Hundreds of protesters marched/);
        // Atom: the alternate link, the HTML title as text, published before updated.
        expect(mogadishu).toMatchObject({ title: 'Truck bomb in Mogadishu', published: '2023-02-02' });
        expect(mogadishu!.text).toContain('A truck bomb exploded near a checkpoint in Mogadishu');
        expect(mogadishu!.source).toBe(`item 1 ("Truck bomb in Mogadishu") of ${atom}`);

        // Events were extracted with the feed's date and URL.
        const exported = await runCli(['export', '--format', 'jsonl'], s.env);
        const events = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as { sources: Array<{ url: string; published: string }>; event_date: string | null });
        expect(events.some((e) => e.sources[0]!.url === 'https://horn.example.com/2023/02/02/mogadishu-bomb' && e.event_date === '2023-02-02')).toBe(true);

        // The same feeds again: nothing new; the bad items are still reported.
        const again = await runCli(['ingest', rss, atom, '--json'], s.env);
        expect(again.code).toBe(2);
        expect(ingestSummary(again)).toMatchObject({ new: 0, unchanged: 3, failed: 2, extracted: 0 });
      } finally {
        await s.remove();
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'reads JSONL keeping each line id; a bad line is reported with its line number, the others are stored, exit 2; folders, missing paths and --published',
    async () => {
      const s = await backend.fresh();
      try {
        const lines = [
          JSON.stringify({ id: 'msg-1', text: 'BAMAKO, 3 MAY 21 – GUNMEN KILLED AT LEAST 5 CIVILIANS IN AN ATTACK ON A MARKET IN GAO, MALI, ON MONDAY, A LOCAL OFFICIAL SAID.' }),
          '{"id": "msg-2", "text": "an unterminated string',
          '',
          JSON.stringify({ id: 'msg-3', title: 'no body' }),
          JSON.stringify({ id: 'msg-4', text: 'Soldiers clashed with militants near Menaka, Mali, on 9 May 2021, killing 12 fighters, the army said.' }),
        ];
        const feed = tmp.write('messages.jsonl', `${lines.join('\n')}\n`);
        // A folder: nested, with files sitrep reads, files it skips, and a hidden one.
        const dir = join(tmp.dir, 'folder');
        mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
        mkdirSync(join(dir, '.hidden'), { recursive: true });
        writeFileSync(join(dir, 'undated.txt'), 'Protesters marched in Bamako, Mali, on Friday to demand elections, witnesses said.');
        writeFileSync(join(dir, 'nested', 'deeper', 'page.html'), '<html><head><title>Clash near Gao</title></head><body><article><p>Soldiers clashed with gunmen near Gao, Mali, on 2 June 2022, the army said.</p></article></body></html>');
        writeFileSync(join(dir, 'notes.md'), '# not an article');
        writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
        writeFileSync(join(dir, '.hidden', 'secret.txt'), 'Gunmen killed 3 people in Kidal, Mali, on 1 May 2022.');
        writeFileSync(join(dir, 'nested', 'empty.txt'), '');
        const missing = join(tmp.dir, 'no-such-file.txt');

        const r = await runCli(['ingest', feed, dir, missing, '--published', '2021-05-10', '--json'], s.env);
        expect(r.code, r.stderr).toBe(2);
        expectNoStackTrace(r.stderr);
        const errors = r.stderr.split('\n').filter((l) => l.startsWith('sitrep: '));
        expect(errors).toHaveLength(4);
        expect(errors).toContain(`sitrep: ${missing}: file not found`);
        expect(errors).toContain(`sitrep: ${join(dir, 'nested', 'empty.txt')}: file is empty`);
        expect(errors.find((e) => e.startsWith(`sitrep: ${feed}: line 2: invalid JSON`))).toBeDefined();
        expect(errors).toContain(`sitrep: ${feed}: line 4: missing "text" or "html"`);
        // 2 good lines + 2 bad, 2 articles of the folder + 1 empty file, 1 missing path.
        expect(ingestSummary(r)).toMatchObject({ articles: 8, new: 4, failed: 4 });
        expect(r.stderr).toMatch(/^ingest: 8\/8 articles, 4 errors$/m);

        const store = await s.open();
        try {
          expect((await store.counts()).articles).toBe(4);
          // JSONL ids kept; the --published default only where the article states no date.
          expect(await store.getArticle('msg-1')).toMatchObject({ published: '2021-05-10', source: `line 1 of ${feed}` });
          expect(await store.getArticle('msg-4')).toMatchObject({ published: '2021-05-10' });
          const events = await store.articleEvents('msg-1');
          expect(events.length).toBeGreaterThan(0);
          expect(events[0]!.sources[0]!.article_id).toBe('msg-1');
          const all = await store.listArticleEvents({}, null, 100);
          const sources = new Set(all.items.map((i) => i.article_id));
          expect(sources.has('msg-1') && sources.has('msg-4')).toBe(true);
          // The HTML page's title came from the page; nothing from skipped or hidden files.
          const texts = await Promise.all([...sources].map((id) => store.getArticle(id)));
          expect(texts.some((a) => a?.title === 'Clash near Gao')).toBe(true);
          expect(texts.some((a) => a?.text.includes('Kidal'))).toBe(false);
        } finally {
          await store.close();
        }
      } finally {
        await s.remove();
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it('refuses a bad --published and a bad --workers with one line and exit 1, and paths with nothing to read with exit 2', async () => {
    for (const args of [
      ['ingest', tmp.dir, '--published', '2023-02-30'],
      ['ingest', tmp.dir, '--workers', 'many'],
    ]) {
      const r = await runCli(args, { SITREP_DATA: join(tmp.dir, 'never-opened') });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^sitrep: (sitrep ingest: --published is not a real calendar date|--workers: must be a whole number)/);
    }
    // Nothing to read: each path named, exit 2, and no store opened (no data directory made).
    const empty = join(tmp.dir, 'empty-folder');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    writeFileSync(join(empty, 'sub', 'notes.md'), 'not read');
    const data = join(tmp.dir, 'never-made');
    const r = await runCli(['ingest', empty, join(tmp.dir, 'absent.jsonl')], { SITREP_DATA: data });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('sitrep: '))).toEqual([
      expect.stringMatching(new RegExp(`^sitrep: ${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is a folder with no file that sitrep reads \\(\\.txt, `)),
      `sitrep: ${join(tmp.dir, 'absent.jsonl')}: file not found`,
    ]);
    expect(existsSync(data)).toBe(false);
  }, SPAWN_TIMEOUT_MS);
});
