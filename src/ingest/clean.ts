/**
 * Cleaning: turns scraped article text into the text every offset points into.
 *
 * Two kinds of work, kept apart:
 *  - normalisation of characters and whitespace (line endings, BOM, control characters,
 *    non-breaking spaces, runs of spaces, blank lines), which never removes words;
 *  - removal of whole boilerplate lines (ad placeholders, inserted "Read also" headlines, share
 *    and subscribe prompts, credits, bare URLs), each listed in `removed` so nothing disappears silently.
 *
 * A boilerplate pattern always describes a WHOLE line, anchored at both ends, so a real sentence that
 * merely contains a word like "related" or "advertisement" is never touched.
 */

export interface CleanResult {
  text: string;
  /** The boilerplate lines removed, trimmed, in order. */
  removed: string[];
}

/** One kind of boilerplate line. `maxLength` keeps prose-like patterns off long paragraphs. */
export interface BoilerplatePattern {
  name: string;
  re: RegExp;
  maxLength?: number;
}

const SOCIAL = '(?:facebook|twitter|x|whatsapp|telegram|linkedin|reddit|pinterest|instagram|youtube|tiktok|messenger|threads|e-?mail|google news)';
/**
 * Separators between an inserted-link label and its headline: "Also Read: ...", "READ MORE | ...",
 * "Also read - ...". A dash must be followed by a space so "Related-party deals rose" stays.
 */
const SEP = '(?:\\s*[:|\u00bb>]|\\s*[-\u2013\u2014](?:\\s|$))';

/** The boilerplate table. Order only matters for which name a line is reported under. */
export const BOILERPLATE: readonly BoilerplatePattern[] = [
  {
    name: 'ad placeholder',
    // [ad_1], [ad_2], [ad], [ads], [advertisement], [Sponsored]
    re: /^\[(?:ads?(?:[_ -]?\d{1,3})?|advert(?:isement)?s?|sponsored)\]$/i,
  },
  {
    name: 'ad label',
    // "Advertisement", "- ADVERTISEMENT -", "Sponsored content", "Story continues below advertisement"
    re: /^[-\u2013\u2014\s]*(?:advertisements?|sponsored(?: content| links?)?|paid content|promoted(?: content)?|(?:the )?(?:story|article) continues below(?: (?:this )?advertisement)?|scroll to continue(?: with content)?)[-\u2013\u2014\s]*$/i,
  },
  {
    name: 'inserted headline',
    // "Also Read: <headline>", "Read also: ...", "READ MORE | ...", "Related: ...", "Lire aussi : ..."
    re: new RegExp(
      '^(?:also read|read also|read more|also see|see also|related(?: (?:stories|story|articles?|news|content|coverage|reading|links?))?' +
        '|read next|recommended(?: (?:reading|stories|for you))?|you (?:may|might) also like|more on this(?: story)?|further reading' +
        '|lire aussi|[a\u00e0] lire aussi|lisez aussi|lea tambi[e\u00e9]n|leer tambi[e\u00e9]n|leia tamb[e\u00e9]m)' +
        SEP +
        '.*$',
      'i',
    ),
    maxLength: 300,
  },
  {
    name: 'read more link',
    // A lone "Read more", "Continue reading »", "Read the full story"
    re: /^(?:read more|continue reading|read (?:the )?full (?:story|article))\s*(?:\.{3}|\u2026|\u00bb|\u203a|>+)?$/i,
  },
  {
    name: 'source link',
    re: /^(?:source ?link|source\s*:\s*link|source url|original source|view original article)$/i,
  },
  {
    name: 'share prompt',
    // "Share this:", "Share this article", "Share on Facebook", "Click to share on Twitter (Opens in new window)"
    re: new RegExp(
      `^(?:share(?: (?:this|the)(?: (?:article|story|post|page))?)?\\s*[:!]?|share (?:on|via|to|with) ${SOCIAL}\\b.*|click to (?:share|email|print|tweet)\\b.*|${SOCIAL}|tweet|print|copy link)$`,
      'i',
    ),
    maxLength: 120,
  },
  {
    name: 'subscribe prompt',
    // "Subscribe to our newsletter", "Sign up for ...", "Follow us on Twitter", "Join our Telegram channel"
    re: new RegExp(
      `^(?:subscribe(?: (?:to|for|now|today|here)\\b.*)?|sign up (?:for|to|here|now)\\b.*|follow us\\b.*|follow \\S+ on ${SOCIAL}\\b.*|join (?:us|our) (?:on )?${SOCIAL}\\b.*|get (?:our|the) (?:free |daily |weekly )?newsletter\\b.*)$`,
      'i',
    ),
    maxLength: 160,
  },
  {
    name: 'copyright',
    // "Copyright © 2023 ...", "© 2023 AFP", "(c) 2023 Reuters", "... All rights reserved."
    re: /^(?:copyright\b.*|\u00a9.*|\(c\) ?\d{4}\b.*|.{0,150}\ball rights reserved\.?)$/i,
    maxLength: 200,
  },
  {
    name: 'photo credit',
    // "Photo: AFP", "Photo credit: ...", "File photo: ...", "(Photo: Reuters)", "Image source, Getty Images"
    re: /^(?:(?:file )?(?:photo|photos|image|picture|photograph)(?: credits?| caption)?\s*[:|/\u00a9].*|\((?:file )?(?:photo|image|picture)\b[^()]*\)|(?:image|photo) (?:source|caption|credits?), .*|credits?\s*:.*)$/i,
    maxLength: 250,
  },
  {
    name: 'reporting credit',
    // "(Reporting by A in Bamako; Editing by B)", "Reporting by A; Editing by B"
    re: /^(?:\((?:additional )?(?:reporting|writing|compiled|editing|edited|written|additional reporting)\s+by\b[^()]*\)\.?|(?:additional )?(?:reporting|writing) by [^;]{1,150};(?:[^;]{1,150};){0,5}\s*editing by [^;]{1,150})$/i,
    maxLength: 400,
  },
  {
    name: 'click here',
    re: /^click here\b.*$/i,
    maxLength: 200,
  },
  {
    name: 'tags line',
    // "Tags: Mali, Sahel", "Filed under: Africa"
    re: /^(?:tags|topics|filed under|categories)\s*:.*$/i,
    maxLength: 200,
  },
  {
    name: 'bare url',
    re: /^<?(?:https?:\/\/|www\.)\S+>?$/i,
  },
];

/** The pattern a (trimmed) line matches, or null when the line is article text. */
export function boilerplateKind(line: string, patterns: readonly BoilerplatePattern[] = BOILERPLATE): string | null {
  if (line === '') return null;
  for (const p of patterns) {
    if (p.maxLength !== undefined && line.length > p.maxLength) continue;
    if (p.re.test(line)) return p.name;
  }
  return null;
}

// ---------------------------------------------------------------- character normalisation

// C0 controls except \t and \n (\r is handled first), DEL, and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Invisible characters that only split words: BOM/zero-width no-break space, zero-width space, word joiner, soft hyphen. */
const INVISIBLE = /[\ufeff\u200b\u2060\u00ad]/g;
/** Spaces that are not U+0020: no-break, figure, narrow no-break, the typographic spaces, ideographic space. */
const ODD_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;

function normaliseCharacters(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(ODD_SPACE, ' ');
}

/** Collapses runs of spaces and tabs inside a line to one space and trims it. */
function normaliseLine(line: string): string {
  return line.replace(/[ \t]+/g, ' ').trim();
}

// ---------------------------------------------------------------- stray machine-translation leftovers

/**
 * Punctuation left dangling at the end of a line by translation or scraping:
 * "... Bamako denies. ." and "... injured dozens. “." keep their first full stop;
 * "... I continued “." loses the opening quote that opens nothing.
 * Only punctuation goes: words are never removed, however odd they look.
 */
/** Characters a stray tail may consist of: spaces, sentence marks, commas, colons, quotes. */
const TAIL_CHARS = new Set([' ', '.', ',', ';', ':', '!', '?', '\u201c', '\u201d', '\u00ab', '\u00bb', '"', "'"]);
/** A finished sentence: a full stop, question or exclamation mark, maybe inside a closing quote. */
const SENTENCE_END = /[.!?][\u201d\u00bb"']?$/;
const DANGLING_OPEN_QUOTE = / [\u201c\u00ab\u201e] ?([.!?])$/;

function stripStrayPunctuation(line: string): string {
  // Scanned by hand rather than with one regex: a line of ". . . ." would make a regex quadratic.
  let tailStart = line.length;
  while (tailStart > 0 && TAIL_CHARS.has(line[tailStart - 1] ?? '')) tailStart--;
  let space = line.indexOf(' ', tailStart);
  while (space !== -1) {
    // The sentence mark and its closing quote are at most two characters, all inside the tail.
    if (SENTENCE_END.test(line.slice(Math.max(tailStart, space - 2), space))) return line.slice(0, space);
    space = line.indexOf(' ', space + 1);
  }
  return line.replace(DANGLING_OPEN_QUOTE, '$1');
}

// ---------------------------------------------------------------- the cleaner

export function cleanText(raw: string, patterns: readonly BoilerplatePattern[] = BOILERPLATE): CleanResult {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const rawLine of normaliseCharacters(raw).split('\n')) {
    const line = normaliseLine(rawLine);
    if (boilerplateKind(line, patterns) !== null) {
      removed.push(line);
      continue;
    }
    kept.push(stripStrayPunctuation(line));
  }
  // A paragraph break is one blank line; longer gaps (often left by removed lines) say nothing more.
  const text = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return { text, removed };
}
