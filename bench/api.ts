/**
 * Benchmark: the HTTP API over 100,000 stored canonical events in PostgreSQL.
 *
 * 1. Loads a dedicated schema (`sitrep_bench_api`, dropped and made again each run) through the store
 *    (`putCanonicals`, 1,000 events per multi-row statement) with synthetic events spread as conflict
 *    data is: 30 countries with Zipf-like weights, their first-level units, ACLED's types and
 *    sub-types in realistic proportions, dates over 2018–2025, fatalities mostly 0–5 with a long tail,
 *    points scattered around each unit; 20,000 of them also get a reporting article (text, claims,
 *    evidence) inserted in bulk, so that `q` searches article text too. Then VACUUM ANALYZE.
 * 2. Starts `sitrep serve`'s server (createServer) in a child process on 127.0.0.1:0, so that the
 *    client's work does not share the server's event loop.
 * 3. Measures each scenario with 300 sequential requests (each with other parameter values, so no
 *    answer repeats), then 400 requests from 8 concurrent clients; prints p50/p95/p99 and the
 *    concurrent throughput.
 *
 * Floors (issue 5): GET /events with a filter p95 < 50 ms; GET /stats/timeline p95 < 100 ms
 * (sequential requests). The process exits 1 when one is missed.
 *
 * `npm run bench -- api`; PostgreSQL at SITREP_BENCH_DATABASE_URL, DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/test. SITREP_BENCH_EVENTS changes the 100,000.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { SitrepEvent } from '../src/core/types.js';
import { rng } from './lib/random.js';

const URL_ = process.env['SITREP_BENCH_DATABASE_URL'] || process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'sitrep_bench_api';
const EVENTS = Number(process.env['SITREP_BENCH_EVENTS'] || 100_000);
const WITH_ARTICLES = Math.round(EVENTS / 5);
const SEQUENTIAL = 300;
const CONCURRENT = 400;
const CLIENTS = 8;

// ---------------------------------------------------------------- synthetic data

const rand = rng(20260101);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
function weighted<T>(xs: readonly (readonly [T, number])[]): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [x, w] of xs) if ((r -= w) < 0) return x;
  return xs[xs.length - 1]![0];
}

interface CountrySpec {
  name: string;
  iso3: string;
  lat: number;
  lon: number;
  units: string[];
  forces: string;
  rebels: string[];
}
const COUNTRIES: CountrySpec[] = [
  { name: 'Ukraine', iso3: 'UKR', lat: 48.4, lon: 35.0, units: ['Donetsk', 'Luhansk', 'Kharkiv', 'Zaporizhia', 'Kherson', 'Sumy', 'Dnipropetrovsk'], forces: 'Military Forces of Ukraine', rebels: ['Military Forces of Russia', 'Wagner Group'] },
  { name: 'Syria', iso3: 'SYR', lat: 35.0, lon: 38.5, units: ['Idleb', 'Aleppo', 'Deir-ez-Zor', 'Hama', 'Dara', 'Ar-Raqqa'], forces: 'Military Forces of Syria', rebels: ['Hayat Tahrir al Sham', 'Islamic State (Syria)', 'SDF: Syrian Democratic Forces'] },
  { name: 'Mali', iso3: 'MLI', lat: 15.0, lon: -3.5, units: ['Mopti', 'Gao', 'Tombouctou', 'Segou', 'Kidal', 'Menaka'], forces: 'Military Forces of Mali', rebels: ['JNIM: Group for Support of Islam and Muslims', 'Islamic State (Sahel)', 'Dan Na Ambassagou'] },
  { name: 'Burkina Faso', iso3: 'BFA', lat: 13.0, lon: -1.5, units: ['Sahel', 'Nord', 'Est', 'Centre-Nord', 'Boucle du Mouhoun'], forces: 'Military Forces of Burkina Faso', rebels: ['JNIM: Group for Support of Islam and Muslims', 'Islamic State (Sahel)', 'VDP: Volunteers for the Defense of the Homeland'] },
  { name: 'Nigeria', iso3: 'NGA', lat: 10.0, lon: 8.0, units: ['Borno', 'Zamfara', 'Kaduna', 'Benue', 'Plateau', 'Katsina', 'Niger'], forces: 'Military Forces of Nigeria', rebels: ['Boko Haram - JAS', 'Islamic State West Africa Province (ISWAP)', 'Unidentified Armed Group (Nigeria)'] },
  { name: 'Democratic Republic of Congo', iso3: 'COD', lat: -1.5, lon: 28.5, units: ['Nord-Kivu', 'Ituri', 'Sud-Kivu', 'Tanganyika', 'Kasai'], forces: 'Military Forces of the Democratic Republic of Congo', rebels: ['M23: March 23 Movement', 'ADF: Allied Democratic Forces', 'CODECO: Cooperative for the Development of Congo'] },
  { name: 'Somalia', iso3: 'SOM', lat: 4.5, lon: 45.5, units: ['Banadir', 'Lower Shabelle', 'Middle Shabelle', 'Hiraan', 'Bay', 'Gedo'], forces: 'Military Forces of Somalia', rebels: ['Al Shabaab', 'Islamic State (Somalia)'] },
  { name: 'Afghanistan', iso3: 'AFG', lat: 34.0, lon: 66.0, units: ['Kabul', 'Kandahar', 'Helmand', 'Nangarhar', 'Kunduz', 'Logar'], forces: 'Military Forces of Afghanistan', rebels: ['Taliban', 'Islamic State (Afghanistan)', 'NRF: National Resistance Front'] },
  { name: 'Yemen', iso3: 'YEM', lat: 15.5, lon: 45.5, units: ["Ta'izz", 'Marib', 'Al Hudaydah', 'Sadah', 'Aden', 'Al Bayda'], forces: 'Military Forces of Yemen', rebels: ['Ansar Allah', 'AQAP: Al Qaeda in the Arabian Peninsula', 'STC: Southern Transitional Council'] },
  { name: 'Myanmar', iso3: 'MMR', lat: 21.0, lon: 96.0, units: ['Sagaing', 'Magway', 'Kayin', 'Shan-North', 'Rakhine', 'Kachin'], forces: 'Military Forces of Myanmar', rebels: ['PDF: People\'s Defense Force', 'KIA: Kachin Independence Army', 'AA: Arakan Army'] },
  { name: 'Sudan', iso3: 'SDN', lat: 14.0, lon: 30.0, units: ['Khartoum', 'North Darfur', 'West Darfur', 'South Kordofan', 'Al Jazirah'], forces: 'Military Forces of Sudan', rebels: ['RSF: Rapid Support Forces', 'SPLM-N: Sudan People\'s Liberation Movement-North'] },
  { name: 'Ethiopia', iso3: 'ETH', lat: 9.0, lon: 39.0, units: ['Amhara', 'Oromia', 'Tigray', 'Afar', 'Benshangul/Gumuz'], forces: 'Military Forces of Ethiopia', rebels: ['Fano Militia', 'OLA: Oromo Liberation Army', 'TPLF: Tigray People\'s Liberation Front'] },
  { name: 'Iraq', iso3: 'IRQ', lat: 33.5, lon: 43.5, units: ['Ninewa', 'Anbar', 'Baghdad', 'Kirkuk', 'Diyala', 'Salah al-Din'], forces: 'Military Forces of Iraq', rebels: ['Islamic State (Iraq)', 'PMF: Popular Mobilization Forces'] },
  { name: 'Colombia', iso3: 'COL', lat: 4.5, lon: -74.0, units: ['Cauca', 'Antioquia', 'Norte de Santander', 'Narino', 'Arauca', 'Choco'], forces: 'Military Forces of Colombia', rebels: ['ELN: National Liberation Army', 'EMC: Central General Staff', 'Clan del Golfo'] },
  { name: 'Mexico', iso3: 'MEX', lat: 22.0, lon: -101.0, units: ['Guanajuato', 'Michoacan', 'Guerrero', 'Jalisco', 'Chihuahua', 'Baja California'], forces: 'Police Forces of Mexico', rebels: ['CJNG: Jalisco New Generation Cartel', 'Sinaloa Cartel', 'Unidentified Gang (Mexico)'] },
  { name: 'Pakistan', iso3: 'PAK', lat: 31.0, lon: 70.0, units: ['Khyber Pakhtunkhwa', 'Balochistan', 'Punjab', 'Sindh'], forces: 'Military Forces of Pakistan', rebels: ['TTP: Tehreek-i-Taliban Pakistan', 'BLA: Balochistan Liberation Army'] },
  { name: 'Cameroon', iso3: 'CMR', lat: 5.5, lon: 11.5, units: ['Nord-Ouest', 'Sud-Ouest', 'Extreme-Nord'], forces: 'Military Forces of Cameroon', rebels: ['Ambazonian Separatists', 'Boko Haram - JAS'] },
  { name: 'Niger', iso3: 'NER', lat: 15.0, lon: 3.0, units: ['Tillaberi', 'Diffa', 'Tahoua', 'Maradi'], forces: 'Military Forces of Niger', rebels: ['Islamic State (Sahel)', 'JNIM: Group for Support of Islam and Muslims'] },
  { name: 'Mozambique', iso3: 'MOZ', lat: -12.5, lon: 39.5, units: ['Cabo Delgado', 'Niassa', 'Nampula'], forces: 'Military Forces of Mozambique', rebels: ['Islamic State (Mozambique)'] },
  { name: 'Central African Republic', iso3: 'CAF', lat: 6.5, lon: 20.5, units: ['Ouham', 'Haute-Kotto', 'Basse-Kotto', 'Nana-Mambere'], forces: 'Military Forces of the Central African Republic', rebels: ['UPC: Union for Peace in the Central African Republic', '3R: Return, Reclamation, Rehabilitation'] },
  { name: 'South Sudan', iso3: 'SSD', lat: 7.5, lon: 30.5, units: ['Jonglei', 'Unity', 'Upper Nile', 'Warrap', 'Central Equatoria'], forces: 'Military Forces of South Sudan', rebels: ['SPLM/A-IO: Sudan People\'s Liberation Movement/Army-In Opposition', 'NAS: National Salvation Front'] },
  { name: 'Libya', iso3: 'LBY', lat: 29.0, lon: 17.0, units: ['Tripoli', 'Benghazi', 'Misrata', 'Sabha'], forces: 'Military Forces of Libya', rebels: ['LNA: Libyan National Army', 'Islamic State (Libya)'] },
  { name: 'India', iso3: 'IND', lat: 23.0, lon: 80.0, units: ['Manipur', 'Jammu and Kashmir', 'Chhattisgarh', 'Jharkhand'], forces: 'Police Forces of India', rebels: ['CPI (Maoist): Communist Party of India (Maoist)', 'Kuki Ethnic Militia (India)'] },
  { name: 'Philippines', iso3: 'PHL', lat: 8.0, lon: 124.5, units: ['Maguindanao', 'Lanao del Sur', 'Sulu', 'Negros Occidental'], forces: 'Military Forces of the Philippines', rebels: ['NPA: New People\'s Army', 'BIFF: Bangsamoro Islamic Freedom Fighters'] },
  { name: 'Haiti', iso3: 'HTI', lat: 18.8, lon: -72.5, units: ['Ouest', 'Artibonite', 'Centre'], forces: 'Police Forces of Haiti', rebels: ['G9 Family and Allies', 'G-Pep'] },
  { name: 'Lebanon', iso3: 'LBN', lat: 33.8, lon: 35.8, units: ['South Lebanon', 'Nabatiyeh', 'Beqaa', 'Beirut'], forces: 'Military Forces of Lebanon', rebels: ['Hezbollah', 'Military Forces of Israel'] },
  { name: 'Palestine', iso3: 'PSE', lat: 31.7, lon: 35.0, units: ['West Bank', 'Gaza Strip'], forces: 'Military Forces of Israel', rebels: ['Hamas Movement', 'PIJ: Palestinian Islamic Jihad'] },
  { name: 'Kenya', iso3: 'KEN', lat: 0.5, lon: 38.0, units: ['Mandera', 'Lamu', 'Garissa', 'Nairobi'], forces: 'Military Forces of Kenya', rebels: ['Al Shabaab'] },
  { name: 'Brazil', iso3: 'BRA', lat: -14.0, lon: -51.0, units: ['Rio de Janeiro', 'Sao Paulo', 'Bahia', 'Para'], forces: 'Police Forces of Brazil', rebels: ['Comando Vermelho', 'PCC: First Capital Command'] },
  { name: 'Chad', iso3: 'TCD', lat: 14.0, lon: 19.0, units: ['Lac', 'Ouaddai', 'Tibesti'], forces: 'Military Forces of Chad', rebels: ['Boko Haram - JAS', 'FACT: Front for Change and Concord in Chad'] },
];
const COUNTRY_WEIGHTS = COUNTRIES.map((c, i) => [c, 1 / (i + 1) ** 0.8] as const);

const TYPES: ReadonlyArray<readonly [[string, string[], number], number]> = [
  [['Battles', ['Armed clash', 'Armed clash', 'Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'], 12], 30],
  [['Violence against civilians', ['Attack', 'Attack', 'Attack', 'Abduction/forced disappearance', 'Sexual violence'], 37], 24],
  [['Explosions/Remote violence', ['Shelling/artillery/missile attack', 'Air/drone strike', 'Remote explosive/landmine/IED', 'Suicide bomb', 'Grenade'], 12], 20],
  [['Protests', ['Peaceful protest', 'Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'], 60], 15],
  [['Riots', ['Violent demonstration', 'Mob violence'], 50], 6],
  [['Strategic developments', ['Agreement', 'Arrests', 'Change to group/activity', 'Disrupted weapons use', 'Looting/property destruction', 'Other'], 10], 5],
];
const VERBS: Record<string, string> = { Battles: 'clashed with', 'Violence against civilians': 'attacked', 'Explosions/Remote violence': 'shelled positions of', Protests: 'protested against', Riots: 'rioted against', 'Strategic developments': 'reached an agreement with' };
const PLACE_WORDS = ['Kafr', 'Tal', 'Ouro', 'Bir', 'San', 'Nueva', 'Kili', 'Dar', 'Ain', 'Saint', 'Novo', 'Bani'];
const PLACE_ENDS = ['abad', 'ville', 'kro', 'dougou', 'pur', 'ovka', 'ia', 'ara', 'ene', 'oto', 'ino', 'ah'];

function fatalities(type: string): number {
  if (type === 'Protests' || type === 'Strategic developments') return rand() < 0.95 ? 0 : 1 + Math.floor(rand() * 3);
  const r = rand();
  if (r < 0.4) return 0;
  if (r < 0.85) return 1 + Math.floor(rand() * 5);
  if (r < 0.98) return 6 + Math.floor(rand() * 30);
  return 36 + Math.floor(rand() ** 3 * 400);
}

function isoDay(start: number, spanDays: number): string {
  return new Date(start + Math.floor(rand() * spanDays) * 86_400_000).toISOString().slice(0, 10);
}
const DAY0 = Date.UTC(2018, 0, 1);
const SPAN = Math.round((Date.UTC(2025, 11, 31) - DAY0) / 86_400_000);

interface Synthetic {
  event: SitrepEvent;
  text: string | null;
}

function synthetic(i: number): Synthetic {
  const c = weighted(COUNTRY_WEIGHTS);
  const [type, subs, interaction] = weighted(TYPES);
  const sub = pick(subs);
  const unit = pick(c.units);
  const unitIndex = c.units.indexOf(unit);
  const location = `${pick(PLACE_WORDS)} ${pick(PLACE_ENDS).replace(/^./, (x) => x.toUpperCase())}${i % 97}`;
  const lat = c.lat + (unitIndex - c.units.length / 2) * 0.6 + (rand() - 0.5) * 1.2;
  const lon = c.lon + ((unitIndex * 7) % 5 - 2) * 0.6 + (rand() - 0.5) * 1.2;
  const date = isoDay(DAY0, SPAN);
  const f = fatalities(type);
  const actor1 = type === 'Protests' || type === 'Riots' ? `${type === 'Protests' ? 'Protesters' : 'Rioters'} (${c.name})` : rand() < 0.5 ? c.forces : pick(c.rebels);
  const actor2 = type === 'Violence against civilians' ? `Civilians (${c.name})` : actor1 === c.forces ? pick(c.rebels) : c.forces;
  const id = `bench-${i.toString(36).padStart(5, '0')}`;
  const notes = `On ${date}, ${actor1} ${VERBS[type]} ${actor2} near ${location} (${unit}, ${c.name}). ${f} fatalities reported.`;
  const articleId = `art-${id}`;
  const withArticle = i % 5 === 0;
  const text = withArticle
    ? `${notes}\nResidents of ${location} said the fighting began at dawn and lasted several hours. ` +
      `Local officials in ${unit} told reporters that ${f} people had died and that the road to ${pick(c.units)} was closed. ` +
      `The ${pick(['army', 'governor', 'mayor', 'police'])} said reinforcements had been sent. Aid groups warned of displacement ${pick(['towards the capital', 'across the border', 'into camps'])}.`
    : null;
  const claimStart = notes.indexOf(`${f} fatalities`);
  const event: SitrepEvent = {
    event_id: id,
    event_date: date,
    time_precision: 1,
    event_type: type as SitrepEvent['event_type'],
    sub_event_type: sub,
    disorder_type: type === 'Protests' || type === 'Riots' ? 'Demonstrations' : type === 'Strategic developments' ? 'Strategic developments' : 'Political violence',
    actor1,
    assoc_actor_1: rand() < 0.15 ? 'Wagner Group' : null,
    actor2,
    assoc_actor_2: null,
    inter1: Math.floor(interaction / 10) as 1,
    inter2: interaction % 10 ? ((interaction % 10) as 1) : null,
    interaction,
    civilian_targeting: type === 'Violence against civilians',
    country: c.name,
    iso3: c.iso3,
    admin1: unit,
    admin2: null,
    location,
    latitude: Math.round(lat * 1e4) / 1e4,
    longitude: Math.round(lon * 1e4) / 1e4,
    geo_precision: 1,
    geo_basis: 'place',
    fatalities: f,
    fatalities_low: f,
    fatalities_best: f,
    fatalities_high: f + (rand() < 0.2 ? Math.floor(rand() * 10) : 0),
    injured_low: 0,
    injured_best: 0,
    injured_high: 0,
    weapons: type === 'Explosions/Remote violence' ? ['artillery'] : type === 'Battles' ? ['firearms'] : [],
    claims: [{ kind: 'killed', count: f, count_high: null, qualifier: 'exact', claimant: 'officials', victim: null, text: `${f} fatalities`, start: claimStart, end: claimStart + `${f} fatalities`.length, ...(withArticle ? { article_id: articleId } : {}) }],
    sources: withArticle ? [{ article_id: articleId, url: `https://news.example.org/${articleId}`, title: `${type} near ${location}`, published: date, source: 'news.example.org' }] : [],
    evidence: [{ field: 'location', start: notes.indexOf(location), end: notes.indexOf(location) + location.length }],
    notes,
  };
  return { event, text };
}

// ---------------------------------------------------------------- loading

async function load(): Promise<void> {
  const { openStore } = await import('../src/store/index.js');
  const admin = new pg.Client({ connectionString: URL_ });
  await admin.connect();
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.end();
  const t0 = performance.now();
  const store = await openStore({ url: URL_, schema: SCHEMA });
  const conn = new pg.Client({ connectionString: URL_, options: `-c search_path=${SCHEMA}` });
  await conn.connect();
  const BATCH = 1000;
  for (let start = 0; start < EVENTS; start += BATCH) {
    const batch: Synthetic[] = [];
    for (let i = start; i < Math.min(EVENTS, start + BATCH); i++) batch.push(synthetic(i));
    await store.putCanonicals(batch.map((b) => ({ id: b.event.event_id, event: b.event })));
    const reported = batch.filter((b) => b.text !== null);
    if (reported.length) {
      // The reporting articles, their own events and the memberships, in three multi-row statements.
      const articles = reported.map((b) => ({ id: b.event.sources[0]!.article_id, url: b.event.sources[0]!.url, title: b.event.sources[0]!.title, published: b.event.event_date, text: b.text }));
      await conn.query(
        `insert into articles (id, url, title, published, source, text, content_hash)
         select r.id, r.url, r.title, r.published::date, 'bench', r.text, md5(r.text) from jsonb_to_recordset($1::jsonb) as r(id text, url text, title text, published text, text text)`,
        [JSON.stringify(articles)],
      );
      const events = reported.map((b) => ({ event_id: `${b.event.event_id}:a`, article_id: b.event.sources[0]!.article_id, event_type: b.event.event_type, sub_event_type: b.event.sub_event_type, event_date: b.event.event_date, country: b.event.country, iso3: b.event.iso3, data: { ...b.event, event_id: `${b.event.event_id}:a` } }));
      await conn.query(
        `insert into article_events (event_id, article_id, ordinal, event_type, sub_event_type, event_date, country, iso3, data)
         select r.event_id, r.article_id, 0, r.event_type, r.sub_event_type, r.event_date::date, r.country, r.iso3, r.data
           from jsonb_to_recordset($1::jsonb) as r(event_id text, article_id text, event_type text, sub_event_type text, event_date text, country text, iso3 text, data jsonb)`,
        [JSON.stringify(events)],
      );
      await conn.query(
        `insert into canonical_members (event_id, canonical_id) select r.e, r.c from jsonb_to_recordset($1::jsonb) as r(e text, c text)`,
        [JSON.stringify(reported.map((b) => ({ e: `${b.event.event_id}:a`, c: b.event.event_id })))],
      );
    }
  }
  await conn.query('vacuum analyze');
  await conn.end();
  const counts = await store.counts();
  await store.close();
  console.log(`loaded ${counts.canonical_events.toLocaleString('en')} canonical events and ${counts.articles.toLocaleString('en')} articles into PostgreSQL schema ${SCHEMA} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------- the server, in a child

async function serveChild(): Promise<void> {
  const { openStore } = await import('../src/store/index.js');
  const { createServer } = await import('../src/server/index.js');
  const store = await openStore({ url: URL_, schema: SCHEMA, poolSize: 8 });
  // The rate limiter stays on (its cost is part of every answer), with a limit no client reaches.
  const app = await createServer({ store, host: '127.0.0.1', webRoot: null, rateLimit: { max: 10_000_000, writeMax: 1000 } });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${address}\n`);
  process.on('SIGTERM', () => void app.close().then(() => store.close()).then(() => process.exit(0)));
}

function startChild(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, base: line.trim() });
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
}

// ---------------------------------------------------------------- measuring

interface Scenario {
  name: string;
  /** The i-th request's path and query. */
  path: (i: number) => string;
  floorP95?: number;
}

const years = [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];
const topCountries = COUNTRIES.slice(0, 12);
const WORDS = ['ambush', 'fighting', 'reinforcements', 'displacement', 'Wagner', 'roadside', 'dawn', 'camps', 'border', 'governor'];

const SCENARIOS: Scenario[] = [
  {
    name: 'GET /events  country + event_type + one year',
    path: (i) => {
      const c = topCountries[i % topCountries.length]!;
      const y = years[i % years.length]!;
      return `/events?country=${c.iso3}&event_type=${encodeURIComponent(TYPES[i % 3]![0][0])}&from=${y}-01-01&to=${y}-12-31`;
    },
    floorP95: 50,
  },
  {
    name: 'GET /events  same, sort=-fatalities',
    path: (i) => `${SCENARIOS[0]!.path(i)}&sort=-fatalities`,
    floorP95: 50,
  },
  { name: 'GET /events  admin1 + min_fatalities=5', path: (i) => { const c = topCountries[i % topCountries.length]!; return `/events?admin1=${encodeURIComponent(c.units[i % c.units.length]!)}&min_fatalities=5`; }, floorP95: 50 },
  { name: 'GET /events  q (full text, events + articles)', path: (i) => `/events?q=${encodeURIComponent(WORDS[i % WORDS.length]!)}${i % 2 ? `&country=${topCountries[i % 12]!.iso3}` : ''}`, floorP95: 50 },
  {
    name: 'GET /events  bbox (5° box)',
    path: (i) => {
      const c = topCountries[i % topCountries.length]!;
      return `/events?bbox=${c.lon - 2.5},${c.lat - 2.5},${c.lon + 2.5},${c.lat + 2.5}`;
    },
    floorP95: 50,
  },
  { name: 'GET /events  actor substring', path: (i) => `/events?actor=${encodeURIComponent(['wagner', 'jnim', 'al shabaab', 'rsf', 'taliban'][i % 5]!)}&from=${years[i % 8]}-01-01`, floorP95: 50 },
  { name: 'GET /events  no filter (newest first)', path: (i) => `/events?limit=${20 + (i % 31)}` },
  { name: 'GET /stats/timeline  month, no filter', path: (i) => `/stats/timeline?interval=month${i % 2 ? '&min_fatalities=0' : ''}`, floorP95: 100 },
  { name: 'GET /stats/timeline  day, country', path: (i) => `/stats/timeline?interval=day&country=${topCountries[i % 12]!.iso3}`, floorP95: 100 },
  { name: 'GET /stats/timeline  week, event_type', path: (i) => `/stats/timeline?interval=week&event_type=${encodeURIComponent(TYPES[i % TYPES.length]![0][0])}`, floorP95: 100 },
  { name: 'GET /facets  no filter (cached)', path: (i) => `/facets${i % 2 ? '?min_fatalities=0' : ''}` },
  // A new filter each request: never in the cache (what the first request after a write costs).
  { name: 'GET /facets  from (uncached)', path: (i) => `/facets?from=${new Date(DAY0 + (i % 2900) * 86_400_000).toISOString().slice(0, 10)}` },
  { name: 'GET /facets  country + year (cached)', path: (i) => `/facets?country=${topCountries[i % 12]!.iso3}&from=${years[i % 8]}-01-01&to=${years[i % 8]}-12-31` },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function timed(base: string, path: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(base + path);
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  return ms;
}

async function measure(base: string, s: Scenario) {
  for (let i = 0; i < 10; i++) await timed(base, s.path(1000 + i)); // warm-up
  const seq: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) seq.push(await timed(base, s.path(i)));
  const conc: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < CONCURRENT) conc.push(await timed(base, s.path(SEQUENTIAL + next++)));
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  seq.sort((a, b) => a - b);
  conc.sort((a, b) => a - b);
  return { seq, conc, rps: CONCURRENT / wall };
}

async function main(): Promise<void> {
  await load();
  const { child, base } = await startChild();
  const sample = await (await fetch(`${base}/events?country=MLI&event_type=Battles&from=2023-01-01&to=2023-12-31`)).json() as { total: number };
  console.log(`server at ${base}; e.g. Mali battles in 2023: ${sample.total} events\n`);
  const rows: string[][] = [];
  const failures: string[] = [];
  for (const s of SCENARIOS) {
    const r = await measure(base, s);
    const p95 = quantile(r.seq, 0.95);
    const ok = s.floorP95 === undefined ? '' : p95 < s.floorP95 ? `< ${s.floorP95} ok` : `≥ ${s.floorP95} MISSED`;
    if (s.floorP95 !== undefined && p95 >= s.floorP95) failures.push(`${s.name}: p95 ${p95.toFixed(1)} ms (floor ${s.floorP95} ms)`);
    rows.push([s.name, quantile(r.seq, 0.5).toFixed(1), p95.toFixed(1), quantile(r.seq, 0.99).toFixed(1), quantile(r.conc, 0.5).toFixed(1), quantile(r.conc, 0.95).toFixed(1), r.rps.toFixed(0), ok]);
  }
  child.kill('SIGTERM');
  const head = ['scenario', 'p50 ms', 'p95 ms', 'p99 ms', `p50 ×${CLIENTS}`, `p95 ×${CLIENTS}`, `req/s ×${CLIENTS}`, 'floor (p95)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`${EVENTS.toLocaleString('en')} events; ${SEQUENTIAL} sequential requests per scenario, then ${CONCURRENT} from ${CLIENTS} concurrent clients (one keep-alive pool)`);
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  if (failures.length) {
    console.error(`\nfloors missed:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

if (process.argv.includes('--serve')) await serveChild();
else await main();
