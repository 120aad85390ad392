import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOILERPLATE, boilerplateKind, cleanText } from '../../src/ingest/clean.js';

const BODY = 'Gunmen attacked a market in the north of the country on Monday, killing three traders, police said.';

/** Cleans BODY with `line` inserted after it and returns what was removed. */
function removedAround(line: string) {
  return cleanText(`${BODY}\n${line}\nThe market reopened on Wednesday.`);
}

describe('cleanText: character and whitespace normalisation', () => {
  it('normalises line endings, BOM, control characters and odd spaces', () => {
    const raw = '\ufeffFirst\u00a0line\twith  spaces\r\nSecond\u0000 line\u0007\rThird\u200b line\u202f!';
    expect(cleanText(raw).text).toBe('First line with spaces\nSecond line\nThird line !');
  });

  it('trims lines, collapses long blank runs to one blank line, trims the text', () => {
    const raw = '\n\n   One.   \n\n\n\n\n  Two.\n\nThree.\n\n\n';
    expect(cleanText(raw).text).toBe('One.\n\nTwo.\n\nThree.');
  });

  it('keeps a single blank line between paragraphs', () => {
    expect(cleanText('One.\n\nTwo.').text).toBe('One.\n\nTwo.');
  });

  it('returns an empty text for whitespace and boilerplate only', () => {
    expect(cleanText(' \n\t\n').text).toBe('');
    const r = cleanText('[ad_1]\nAdvertisement\nSource link');
    expect(r.text).toBe('');
    expect(r.removed).toEqual(['[ad_1]', 'Advertisement', 'Source link']);
  });
});

describe('cleanText: boilerplate lines are removed and listed', () => {
  const cases: Array<[kind: string, line: string]> = [
    ['ad placeholder', '[ad_1]'],
    ['ad placeholder', '[ad_12]'],
    ['ad placeholder', '[ad]'],
    ['ad placeholder', '[advertisement]'],
    ['ad label', 'Advertisement'],
    ['ad label', 'ADVERTISEMENT'],
    ['ad label', '- Advertisement -'],
    ['ad label', 'Sponsored'],
    ['ad label', 'Story continues below advertisement'],
    ['inserted headline', 'Also Read: Floods displace thousands in the capital'],
    ['inserted headline', 'Read also: Election results delayed again'],
    ['inserted headline', 'Read more: Talks resume in the capital'],
    ['inserted headline', 'READ MORE: Talks resume in the capital'],
    ['inserted headline', 'Related: Talks resume in the capital'],
    ['inserted headline', 'RELATED: Talks resume in the capital'],
    ['inserted headline', 'See also: Talks resume in the capital'],
    ['inserted headline', 'Also read - Talks resume in the capital'],
    ['inserted headline', 'ALSO READ | Talks resume in the capital'],
    ['inserted headline', 'Lire aussi : Les pourparlers reprennent'],
    ['inserted headline', 'Related Stories:'],
    ['read more link', 'Continue reading »'],
    ['source link', 'Source link'],
    ['source link', 'Source: link'],
    ['share prompt', 'Share this:'],
    ['share prompt', 'Share on Facebook'],
    ['share prompt', 'Click to share on Twitter (Opens in new window)'],
    ['share prompt', 'WhatsApp'],
    ['subscribe prompt', 'Subscribe to our newsletter'],
    ['subscribe prompt', 'Follow us on Twitter and Facebook'],
    ['subscribe prompt', 'Sign up for our daily briefing'],
    ['copyright', 'Copyright © 2023 Example News. All rights reserved.'],
    ['copyright', '© 2023 Example Media'],
    ['copyright', 'Example Media Group. All rights reserved.'],
    ['photo credit', 'Photo: Example Agency'],
    ['photo credit', 'File photo: soldiers on patrol near the border'],
    ['photo credit', '(Photo: Example Agency)'],
    ['reporting credit', '(Reporting by Jane Doe in Niamey; Editing by John Roe)'],
    ['reporting credit', 'Reporting by Jane Doe; Writing by Sam Poe; Editing by John Roe'],
    ['click here', 'Click here to download our app'],
    ['tags line', 'Tags: Sahel, security'],
    ['bare url', 'https://example.com/news/2023/01/article-123'],
    ['bare url', 'www.example.com'],
  ];

  it.each(cases)('%s: %s', (kind, line) => {
    expect(boilerplateKind(line)).toBe(kind);
    const r = removedAround(`  ${line}  `);
    expect(r.removed).toEqual([line]);
    expect(r.text).toBe(`${BODY}\nThe market reopened on Wednesday.`);
  });

  it('lists removed lines in their order', () => {
    const r = cleanText('[ad_1]\nOne.\nRead also: X\nTwo.\n[ad_2]\nSource link');
    expect(r.removed).toEqual(['[ad_1]', 'Read also: X', '[ad_2]', 'Source link']);
    expect(r.text).toBe('One.\nTwo.');
  });

  it('has a name for every pattern', () => {
    const names = BOILERPLATE.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('cleanText: real sentences stay', () => {
  const sentences = [
    'The army said the attack was similar, according to a related report by local media.',
    'Officials said the advertisement for the rally had been posted a week earlier.',
    'Related-party deals between the ministry and the contractor are under investigation.',
    'Read also the statement from the governor, which was published on Tuesday.',
    'Sources said the link between the two attacks was still being investigated.',
    'Follow-up operations were launched in the area, the army said.',
    'Share prices of the mining company fell after the attack on the convoy.',
    'Photographers at the scene said at least five bodies were lying on the road.',
    'Reporting by state media said that nine soldiers were killed in the clash.',
    'A copyright dispute was not the reason for the protest, organisers said.',
    'Sponsored by a local charity, the clinic treated 40 wounded people.',
    'Click and collect services were suspended in the city after the riots.',
    'Subscribers to the radio station reported hearing gunfire overnight.',
  ];

  it.each(sentences)('%s', (sentence) => {
    const r = cleanText(`${BODY}\n${sentence}`);
    expect(r.removed).toEqual([]);
    expect(r.text).toBe(`${BODY}\n${sentence}`);
  });

  it('does not remove a long paragraph that starts like a prompt', () => {
    const long = 'Sign up for the militia was voluntary at first, residents said, ' + 'and many young men joined. '.repeat(10);
    expect(cleanText(long).removed).toEqual([]);
  });
});

describe('cleanText: stray punctuation at line ends', () => {
  it('drops punctuation dangling after a finished sentence', () => {
    expect(cleanText('An accusation the government denies. .').text).toBe('An accusation the government denies.');
    expect(cleanText('Dozens were injured. \u201c.').text).toBe('Dozens were injured.');
  });

  it('drops an opening quote that opens nothing', () => {
    expect(cleanText('The report said it continued \u201c.').text).toBe('The report said it continued.');
  });

  it('keeps closing quotes and ordinary endings', () => {
    const lines = ['He said: \u201cWe will respond.\u201d', 'The toll rose to 12.', 'Why did it happen?', 'See the U.S.'];
    expect(cleanText(lines.join('\n')).text).toBe(lines.join('\n'));
  });

  it('never removes words', () => {
    expect(cleanText('They turned to Russia politically. rice field.').text).toBe(
      'They turned to Russia politically. rice field.',
    );
  });
});

describe('cleanText: regular expressions stay fast on hostile input', () => {
  it('cleans long pathological lines quickly', () => {
    const hostile = [
      'Reporting by ' + 'a;'.repeat(20000),
      '. '.repeat(50000) + 'x',
      'Also read' + ' '.repeat(50000) + 'x',
      '(Reporting by ' + '('.repeat(20000),
      '- '.repeat(50000) + 'x',
    ].join('\n');
    const started = performance.now();
    cleanText(hostile);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

const maliUrl = new URL('../../../shared/fixtures/mali-2023-01-ambush.txt', import.meta.url);
const maliExpectedUrl = new URL('../../../shared/fixtures/mali-2023-01-ambush.expected.json', import.meta.url);
const haveMali = existsSync(fileURLToPath(maliUrl)) && existsSync(fileURLToPath(maliExpectedUrl));

describe('cleanText: the Mali fixture', () => {
  if (!haveMali) {
    it.skip('needs ../shared/fixtures/mali-2023-01-ambush.txt and its .expected.json (not found)', () => {});
    return;
  }

  const raw = readFileSync(maliUrl, 'utf8');
  const expected = JSON.parse(readFileSync(maliExpectedUrl, 'utf8')) as { cleaning: { must_remove_lines: string[] } };
  const result = cleanText(raw);

  it('removes exactly the boilerplate lines the fixture names', () => {
    const mustRemove = expected.cleaning.must_remove_lines;
    expect([...result.removed].sort()).toEqual([...mustRemove].sort());
    for (const line of mustRemove) expect(result.text).not.toContain(line);
  });

  it('keeps every other line', () => {
    const removed = new Set(result.removed);
    const originalLines = raw
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !removed.has(l));
    const keptLines = result.text.split('\n');
    expect(keptLines).toHaveLength(originalLines.length);
    // Lines may lose stray punctuation at their end, never a word.
    const words = (line: string) => line.replace(/[\s\p{P}]+$/u, '');
    originalLines.forEach((line, i) => expect(words(keptLines[i] ?? '')).toBe(words(line)));
    expect(result.text).toContain('At least 14 Malian soldiers were killed and 11 wounded on Tuesday');
  });
});
