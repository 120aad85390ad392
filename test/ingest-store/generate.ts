/**
 * Generated news-style articles for the ingest tests: written by the test from templates (no text
 * from any outlet or gold set), each one different, most reporting one or two events that the
 * extractor finds (attacks, clashes, protests in towns the built-in gazetteer knows).
 */

const PLACES: Array<{ town: string; country: string; demonym: string; capital: string }> = [
  { town: 'Mopti', country: 'Mali', demonym: 'Malian', capital: 'BAMAKO' },
  { town: 'Gao', country: 'Mali', demonym: 'Malian', capital: 'BAMAKO' },
  { town: 'Djibo', country: 'Burkina Faso', demonym: 'Burkinabe', capital: 'OUAGADOUGOU' },
  { town: 'Dori', country: 'Burkina Faso', demonym: 'Burkinabe', capital: 'OUAGADOUGOU' },
  { town: 'Diffa', country: 'Niger', demonym: 'Nigerien', capital: 'NIAMEY' },
  { town: 'Maiduguri', country: 'Nigeria', demonym: 'Nigerian', capital: 'ABUJA' },
  { town: 'Kismayo', country: 'Somalia', demonym: 'Somali', capital: 'MOGADISHU' },
  { town: 'Kandahar', country: 'Afghanistan', demonym: 'Afghan', capital: 'KABUL' },
  { town: 'Beni', country: 'Democratic Republic of Congo', demonym: 'Congolese', capital: 'KINSHASA' },
  { town: 'Culiacan', country: 'Mexico', demonym: 'Mexican', capital: 'MEXICO CITY' },
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface GeneratedArticle {
  id: string;
  text: string;
  published: string;
}

/** Article `i` (0-based): the same i always gives the same text. */
export function generateArticle(i: number): GeneratedArticle {
  const p = PLACES[i % PLACES.length]!;
  const year = 2015 + (i % 9);
  const month = (i * 7) % 12;
  const day = 1 + ((i * 11) % 27);
  const killed = 3 + ((i * 13) % 47);
  const wounded = 2 + ((i * 5) % 19);
  const published = `${year}-${String(month + 1).padStart(2, '0')}-${String(day + 1).padStart(2, '0')}`;
  const lines = [
    `${p.capital}, ${MONTHS[month]} ${day + 1} – Gunmen killed at least ${killed} civilians in an attack on a market in ${p.town} on ${MONTHS[month]} ${day}, ${year}, local officials said, in report number ${i + 1} of the series.`,
    `A ${p.demonym} army spokesman said ${wounded} people were wounded and taken to hospital.`,
  ];
  if (i % 3 === 0) lines.push(`Residents said soldiers clashed with the attackers outside ${p.town} the next day; ${1 + (i % 6)} soldiers died, according to a security source.`);
  if (i % 4 === 1) lines.push(`On ${WEEKDAYS[i % 7]}, hundreds of protesters marched in ${p.town} to denounce the insecurity, witnesses said.`);
  lines.push(`The violence in ${p.country} has displaced thousands of people this year.`);
  return { id: `gen-${String(i + 1).padStart(4, '0')}`, text: lines.join('\n\n'), published };
}

/** `n` articles as JSONL, one `{id, text, published}` per line. */
export function generatedJsonl(n: number, from = 0): string {
  let out = '';
  for (let i = from; i < from + n; i++) out += `${JSON.stringify(generateArticle(i))}\n`;
  return out;
}
