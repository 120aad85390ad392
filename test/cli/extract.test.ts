/**
 * `sitrep extract FILE|-` on one article (plain text, HTML, JSON): the output document's shape, the
 * command-line overrides, offsets that point into article.text, standard input, and stable output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPAWN_TIMEOUT_MS, expectNoStackTrace, expectOffsetsInText, sitrep, tempDir, warnIfStaleBuild, type ExtractOutput, type RunResult } from './run.js';

const tmp = tempDir('extract');

const story = [
  'GAO, Mali, May 3 – Gunmen on motorbikes killed at least 12 civilians in an attack on the weekly market in Gao on Monday, a local official said.',
  '',
  '[ad_1]',
  '',
  'The army said soldiers later exchanged fire with the attackers outside the town, and that two soldiers were wounded.',
  '',
  'Source link',
  '',
].join('\n');

const page = `<!doctype html>
<html><head><meta charset="utf-8">
<title>Car bomb kills 7 in Mogadishu | Horn Desk</title>
<meta property="og:title" content="Car bomb kills 7 in Mogadishu">
<meta property="article:published_time" content="2022-03-08T09:30:00Z">
<script>var tracker = { id: 'UA-000', label: 'tracking script text that must not reach the article' };</script>
<style>.nav { color: red }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/horn">Horn of Africa</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
<h1>Car bomb kills 7 in Mogadishu</h1>
<p>MOGADISHU, March 8 – A car bomb exploded near a checkpoint in Mogadishu, Somalia, on Tuesday, killing seven people and wounding 15 others, police said.</p>
<p>Al Shabaab said it carried out the bombing, which targeted a convoy of government officials.</p>
<p>Read also: Drought pushes grain prices higher</p>
</article>
<footer>© Horn Desk. All rights reserved.</footer>
</body></html>`;

const jsonArticle = {
  id: 'kabul-0412',
  title: 'Protesters dispersed in Kabul',
  url: 'https://example.org/kabul/protest',
  published: '2022-04-12',
  text: 'KABUL, April 12 – Taliban fighters fired into the air to disperse dozens of women protesting in Kabul, Afghanistan, on Tuesday, witnesses said. Three protesters were detained.',
};

const overrides = ['--published', '2021-05-04', '--url', 'https://example.org/gao-market', '--title', 'Market attack in Gao'];

interface Runs {
  text: RunResult;
  stdin: RunResult;
  html: RunResult;
  json: RunResult;
}
let runs: Runs;

beforeAll(async () => {
  warnIfStaleBuild();
  const textPath = tmp.write('gao.txt', story);
  const htmlPath = tmp.write('mogadishu.html', page);
  const jsonPath = tmp.write('kabul.json', JSON.stringify(jsonArticle));
  // All the extractions at once: each process loads the gazetteers, so side by side is faster.
  const [text, stdin, html, json] = await Promise.all([
    sitrep(['extract', textPath, ...overrides]),
    sitrep(['extract', '-', ...overrides], story),
    sitrep(['extract', htmlPath]),
    sitrep(['extract', jsonPath, '--published', '2022-04-13']),
  ]);
  runs = { text, stdin, html, json };
}, SPAWN_TIMEOUT_MS);
afterAll(() => tmp.remove());

function output(run: RunResult): ExtractOutput {
  expect(run.stderr).toBe('');
  expectNoStackTrace(run.stderr);
  expect(run.code).toBe(0);
  // One JSON document on one line.
  expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(run.stdout) as ExtractOutput;
}

function expectShape(out: ExtractOutput): void {
  expect(Object.keys(out)).toEqual(expect.arrayContaining(['article', 'events']));
  expect(Object.keys(out.article)).toEqual(expect.arrayContaining(['id', 'title', 'url', 'published', 'text', 'removed']));
  expect(typeof out.article.id).toBe('string');
  expect(out.article.text.length).toBeGreaterThan(0);
  expect(Array.isArray(out.article.removed)).toBe(true);
  expect(Array.isArray(out.events)).toBe(true);
  expect(out.events.length).toBeGreaterThan(0);
  expectOffsetsInText(out.article.text, out.events);
  for (const event of out.events) expect(event.sources[0]?.article_id).toBe(out.article.id);
}

describe('sitrep extract, one article', () => {
  it('reads plain text, takes --published/--url/--title, and lists the removed boilerplate', () => {
    const out = output(runs.text);
    expectShape(out);
    expect(out.article).toMatchObject({ title: 'Market attack in Gao', url: 'https://example.org/gao-market', published: '2021-05-04' });
    expect(out.article.removed).toEqual(['[ad_1]', 'Source link']);
    expect(out.article.text).not.toMatch(/\[ad_1\]|Source link/);
    expect(out.events[0]?.country).toBe('Mali');
    expect(out.events[0]?.sources[0]).toMatchObject({ url: 'https://example.org/gao-market', title: 'Market attack in Gao', published: '2021-05-04' });
    const claims = out.events.flatMap((e) => e.claims.map((c) => c.text));
    expect(claims).toContain('at least 12');
  });

  it('reads HTML: title and date from the page, text without scripts, navigation or footer', () => {
    const out = output(runs.html);
    expectShape(out);
    expect(out.article.title).toMatch(/^Car bomb kills 7 in Mogadishu/);
    expect(out.article.published).toBe('2022-03-08');
    expect(out.article.url).toBeNull();
    expect(out.article.text).toContain('A car bomb exploded near a checkpoint in Mogadishu');
    expect(out.article.text).not.toMatch(/tracking script|UA-000|color: red|All rights reserved|Horn of Africa/);
    expect(out.article.removed.some((line) => line.startsWith('Read also'))).toBe(true);
    expect(out.events.some((e) => e.country === 'Somalia' && e.event_type === 'Explosions/Remote violence')).toBe(true);
  });

  it('reads a JSON article: its id, title and url are kept, and --published overrides its date', () => {
    const out = output(runs.json);
    expectShape(out);
    expect(out.article).toMatchObject({ id: 'kabul-0412', title: jsonArticle.title, url: jsonArticle.url, published: '2022-04-13' });
    expect(out.article.text).toBe(jsonArticle.text);
    expect(out.events[0]?.country).toBe('Afghanistan');
  });

  // The same bytes from a file and from standard input, in two separate processes: the events must be
  // identical, so this also shows that event_id is stable from one run to the next.
  it('reads standard input given as "-" like the same file, with the same event_ids', () => {
    const fromFile = output(runs.text);
    const fromStdin = output(runs.stdin);
    expect(fromStdin.article.text).toBe(fromFile.article.text);
    expect(fromStdin.article.id).toBe(fromFile.article.id);
    expect(fromStdin.events.map((e) => e.event_id)).toEqual(fromFile.events.map((e) => e.event_id));
    expect(new Set(fromFile.events.map((e) => e.event_id)).size).toBe(fromFile.events.length);
    // Only where the article came from may differ (a path or "standard input").
    const withoutSource = (out: ExtractOutput) => out.events.map((e) => ({ ...e, sources: e.sources.map((s) => ({ ...s, source: undefined })) }));
    expect(withoutSource(fromStdin)).toEqual(withoutSource(fromFile));
  });
});

describe('sitrep extract --no-geo', () => {
  it('skips the geoparser: the same events, with their country from the actors but no place', async () => {
    const path = tmp.write('gao-nogeo.txt', story);
    const [geo, noGeo] = await Promise.all([sitrep(['extract', path, '--published', '2021-05-04']), sitrep(['extract', path, '--published', '2021-05-04', '--no-geo'])]);
    const a = output(geo);
    const b = output(noGeo);
    expect(b.events.map((e) => e.event_type)).toEqual(a.events.map((e) => e.event_type));
    expect(a.events[0]!.location).toBe('Gao');
    for (const e of b.events) {
      expect([e.location, e.latitude, e.longitude, e.admin1, e.geo_precision]).toEqual([null, null, null, null, null]);
      expect(e.evidence.some((x) => x.field === 'location')).toBe(false);
    }
  }, SPAWN_TIMEOUT_MS);
});
