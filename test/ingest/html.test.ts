import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/types.js';
import { readHtml, wrapInSkeleton } from '../../src/ingest/html.js';

const P1 = 'Gunmen attacked a village in the east of the country on Monday night, killing at least eight people, a local official said.';
const P2 = 'The attackers arrived on motorbikes and set fire to several houses before fleeing into the nearby forest, witnesses said.';
const P3 = 'Security forces were deployed to the area on Tuesday morning and a search operation was under way, the army said.';

/** A small news page; `head` and `extra` let each test add what it checks. */
function page(head: string, extra = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  ${head}
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/world">World</a></nav>
  <article>
    <h1>Village attack leaves eight dead</h1>
    <p>${P1}</p>
    <p>${P2}</p>
    ${extra}
    <p>${P3}</p>
  </article>
  <footer>Contact us</footer>
</body>
</html>`;
}

describe('readHtml: title', () => {
  it('prefers og:title', () => {
    const html = page('<title>Village attack | Example News</title><meta property="og:title" content="Eight killed in village attack">');
    expect(readHtml(html, 'x.html').title).toBe('Eight killed in village attack');
  });

  it('uses meta name="title" next', () => {
    const html = page('<title>Village attack | Example News</title><meta name="title" content="Meta title">');
    expect(readHtml(html, 'x.html').title).toBe('Meta title');
  });

  it('falls back to <title>, whitespace collapsed and entities decoded', () => {
    const html = page('<title>\n  Attack &amp; aftermath\n</title>');
    expect(readHtml(html, 'x.html').title).toBe('Attack & aftermath');
  });

  it('falls back to readability\u2019s title when the page has no title element', () => {
    const html = `<body><article><h1>Eight killed in village attack</h1><p>${P1}</p><p>${P2}</p></article></body>`;
    expect(readHtml(html, 'x.html').title).toBe('Eight killed in village attack');
  });
});

describe('readHtml: publication date', () => {
  const cases: Array<[string, string]> = [
    ['article:published_time', '<meta property="article:published_time" content="2023-01-12T08:30:00+01:00">'],
    ['meta name=date', '<meta name="date" content="2023-01-12">'],
    ['meta name=pubdate', '<meta name="pubdate" content="20230112">'],
    ['meta itemprop=datePublished', '<meta itemprop="datePublished" content="2023-01-12">'],
    ['DC.date.issued', '<meta name="DC.date.issued" content="2023/01/12">'],
    ['RFC 2822 date', '<meta name="date" content="Thu, 12 Jan 2023 08:30:00 GMT">'],
    [
      'JSON-LD datePublished under @graph',
      '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2023-01-12T08:30:00Z"}]}</script>',
    ],
  ];

  it.each(cases)('%s', (_label, head) => {
    expect(readHtml(page(head), 'x.html').published).toBe('2023-01-12');
  });

  it('reads the first <time datetime>', () => {
    const html = page('', '<p>Posted <time datetime="2023-01-12T09:00">12 January</time></p><time datetime="2020-05-05">old</time>');
    expect(readHtml(html, 'x.html').published).toBe('2023-01-12');
  });

  it('prefers meta over JSON-LD and <time>', () => {
    const html = page(
      '<meta property="article:published_time" content="2023-01-12"><script type="application/ld+json">{"datePublished":"2022-02-02"}</script>',
      '<time datetime="2021-03-03">then</time>',
    );
    expect(readHtml(html, 'x.html').published).toBe('2023-01-12');
  });

  it('skips broken JSON-LD and impossible dates', () => {
    const html = page(
      '<meta name="date" content="2023-02-30"><script type="application/ld+json">{not json</script>',
      '<time datetime="2023-01-12">12 January</time>',
    );
    expect(readHtml(html, 'x.html').published).toBe('2023-01-12');
  });

  it('is null when the page states no date', () => {
    expect(readHtml(page(''), 'x.html').published).toBeNull();
  });
});

describe('readHtml: text', () => {
  it('puts one paragraph per line, without the page chrome', () => {
    const { text } = readHtml(page('<title>t</title>'), 'x.html');
    const lines = text.split('\n');
    expect(lines).toContain(P1);
    expect(lines).toContain(P2);
    expect(lines).toContain(P3);
    expect(lines.indexOf(P1)).toBeLessThan(lines.indexOf(P2));
    expect(text).not.toContain('Home');
    expect(text).not.toContain('Contact us');
  });

  it('never lets scripts, styles or attribute values into the text', () => {
    const html = page(
      '<style>body { color: red } .secret-style {}</style><script>window.secretScript = 1;</script>',
      `<script>document.write("INJECTED")</script>
       <img src="x.png" onerror="alert('ONERROR_PAYLOAD')">
       <p onclick="steal()">Residents said they heard <b>heavy</b> gunfire<script>evil()</script> for an hour.</p>
       <noscript>Enable JavaScript</noscript>
       <style>.x{}</style>`,
    );
    const { text } = readHtml(html, 'x.html');
    for (const leak of ['secret', 'INJECTED', 'ONERROR', 'alert', 'steal', 'evil', 'color', 'JavaScript', '{']) {
      expect(text).not.toContain(leak);
    }
    expect(text.split('\n')).toContain('Residents said they heard heavy gunfire for an hour.');
  });

  it('turns list items, headings and <br> into lines and keeps table rows together', () => {
    const html = `<div><h2>Toll by district</h2><ul><li>Eight dead in the first village.</li><li>Two dead in the second.</li></ul>
      <p>First line<br>second line</p><table><tr><td>District A</td><td>8</td></tr></table></div>`;
    const lines = readHtml(html, 'x.html').text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining(['Toll by district', 'Eight dead in the first village.', 'Two dead in the second.', 'First line', 'second line', 'District A 8']),
    );
  });

  it('drops hidden elements', () => {
    const html = page('', '<div style="display:none">Hidden spam text</div><p hidden>Also hidden</p>');
    const { text } = readHtml(html, 'x.html');
    expect(text).not.toContain('Hidden spam');
    expect(text).not.toContain('Also hidden');
  });

  it('reads a bare fragment without <html> or <body>', () => {
    expect(readHtml('<p>One short paragraph.</p><p>Another one.</p>', 'x.html').text).toBe('One short paragraph.\nAnother one.');
  });

  it('throws InputError naming the input when nothing readable remains', () => {
    const html = '<html><head><script>var a = "text";</script></head><body><script>run()</script><style>p{}</style><img src=a onerror="x()"></body></html>';
    expect(() => readHtml(html, 'page.html')).toThrow(InputError);
    expect(() => readHtml(html, 'page.html')).toThrow('page.html: HTML contains no readable text');
  });
});

describe('wrapInSkeleton', () => {
  it('keeps the page head and body', () => {
    const out = wrapInSkeleton('<!doctype html><html><head><title>T</title></head><body class="b"><p>x</p></body></html>');
    expect(out).toBe('<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>');
  });

  it('puts a fragment into a body', () => {
    expect(wrapInSkeleton('<p>x</p>')).toBe('<!DOCTYPE html><html><head></head><body><p>x</p></body></html>');
  });

  it('handles a head without a body tag', () => {
    expect(wrapInSkeleton('<html><head><title>T</title></head><p>x</p></html>')).toBe(
      '<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>',
    );
  });
});
