/**
 * Countries: ISO codes, the English short names ACLED uses, alternative names and demonyms.
 * Built from the `world-countries` package plus a small table of ACLED spellings and demonym forms
 * that news text uses and the package lacks.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface WorldCountry {
  name: { common: string; official: string };
  cca2: string;
  cca3: string;
  capital?: string[];
  altSpellings: string[];
  latlng: [number, number];
  demonyms?: { eng?: { f: string; m: string } };
  independent?: boolean;
  region?: string;
  subregion?: string;
}

export interface Country {
  iso2: string;
  iso3: string;
  /** English short name as ACLED writes it. */
  name: string;
  /** Every name that may stand for the country in text (including `name`). */
  names: string[];
  /** Adjective/people forms: "Malian", "Malians", "Burkinabe". */
  demonyms: string[];
  capital: string | null;
  latitude: number;
  longitude: number;
  region: string | null;
}

/** ACLED's spellings where they differ from world-countries' common names. */
const ACLED_NAMES: Record<string, string> = {
  CD: 'Democratic Republic of Congo',
  CG: 'Republic of Congo',
  CZ: 'Czech Republic',
  TR: 'Turkey',
  SZ: 'eSwatini',
  TL: 'East Timor',
  VA: 'Vatican City',
  CV: 'Cape Verde',
  FM: 'Micronesia',
  PS: 'Palestine',
  MK: 'North Macedonia',
  GM: 'Gambia',
  BS: 'Bahamas',
};

/** Extra names seen in news text (not in world-countries' alternative spellings). */
const EXTRA_NAMES: Record<string, string[]> = {
  CD: ['DRC', 'DR Congo', 'Congo-Kinshasa', 'Democratic Republic of the Congo', 'Zaire'],
  CG: ['Congo-Brazzaville', 'Congo Brazzaville'],
  US: ['United States', 'U.S.', 'U.S.A.', 'America'],
  GB: ['Britain', 'U.K.', 'Great Britain'],
  CI: ["Côte d'Ivoire", "Cote d'Ivoire", 'Ivory Coast'],
  MM: ['Burma'],
  TR: ['Türkiye', 'Turkiye'],
  PS: ['Palestinian Territories', 'Gaza Strip', 'West Bank'],
  KR: ['South Korea'],
  KP: ['North Korea'],
  SY: ['Syria'],
  RU: ['Russia', 'Russian Federation'],
  SV: ['El Salvador', 'Salvador'],
  CF: ['CAR', 'Central African Republic', 'Centrafrique'],
  SS: ['South Sudan'],
  NE: ['Niger'],
  BF: ['Burkina Faso', 'Burkina'],
  TD: ['Chad', 'Tchad'],
  ML: ['Mali'],
  MR: ['Mauritania', 'Mauritanie'],
  CO: ['Colombia'],
  MX: ['Mexico', 'México'],
  PE: ['Peru', 'Perú'],
  AF: ['Afghanistan'],
  IQ: ['Iraq'],
  YE: ['Yemen'],
  SO: ['Somalia'],
  NG: ['Nigeria'],
  CM: ['Cameroon', 'Cameroun'],
  UA: ['Ukraine'],
  LY: ['Libya'],
  EG: ['Egypt'],
  DZ: ['Algeria'],
};

/** Demonyms and people forms beyond world-countries' masculine/feminine adjectives. */
const EXTRA_DEMONYMS: Record<string, string[]> = {
  BF: ['Burkinabe', 'Burkinabè', 'Burkinabes', 'Burkinan'],
  NE: ['Nigerien', 'Nigeriens', 'Nigérien'],
  NG: ['Nigerian', 'Nigerians'],
  CD: ['Congolese'],
  CG: [],
  SO: ['Somali', 'Somalis', 'Somalian'],
  AF: ['Afghan', 'Afghans', 'Afghani'],
  SV: ['Salvadoran', 'Salvadorean', 'Salvadorans', 'Salvadoreans', 'Salvadorian'],
  GT: ['Guatemalan', 'Guatemalans'],
  HN: ['Honduran', 'Hondurans'],
  NI: ['Nicaraguan', 'Nicaraguans', 'Sandinista', 'Sandinist'],
  PE: ['Peruvian', 'Peruvians'],
  CO: ['Colombian', 'Colombians'],
  MX: ['Mexican', 'Mexicans'],
  YE: ['Yemeni', 'Yemenis', 'Yemenite'],
  IQ: ['Iraqi', 'Iraqis'],
  SY: ['Syrian', 'Syrians'],
  UA: ['Ukrainian', 'Ukrainians'],
  RU: ['Russian', 'Russians'],
  ML: ['Malian', 'Malians'],
  TD: ['Chadian', 'Chadians'],
  CM: ['Cameroonian', 'Cameroonians'],
  SD: ['Sudanese'],
  SS: ['South Sudanese'],
  CF: ['Central African', 'Centrafrican'],
  MZ: ['Mozambican', 'Mozambicans'],
  ET: ['Ethiopian', 'Ethiopians'],
  KE: ['Kenyan', 'Kenyans'],
  PK: ['Pakistani', 'Pakistanis'],
  IN: ['Indian', 'Indians'],
  LY: ['Libyan', 'Libyans'],
  IL: ['Israeli', 'Israelis'],
  PS: ['Palestinian', 'Palestinians'],
  IR: ['Iranian', 'Iranians'],
  TR: ['Turkish', 'Turk', 'Turks'],
  US: ['American', 'Americans', 'US'],
  FR: ['French'],
  GB: ['British'],
  PH: ['Filipino', 'Filipinos', 'Philippine'],
  MM: ['Burmese', 'Myanmar'],
  BD: ['Bangladeshi', 'Bangladeshis'],
  VE: ['Venezuelan', 'Venezuelans'],
  BR: ['Brazilian', 'Brazilians'],
  CL: ['Chilean', 'Chileans'],
  BO: ['Bolivian', 'Bolivians'],
  EC: ['Ecuadorian', 'Ecuadorians', 'Ecuadorean'],
  CU: ['Cuban', 'Cubans'],
  BI: ['Burundian', 'Burundians'],
  RW: ['Rwandan', 'Rwandans'],
  UG: ['Ugandan', 'Ugandans'],
  DZ: ['Algerian', 'Algerians'],
  MA: ['Moroccan', 'Moroccans'],
  TN: ['Tunisian', 'Tunisians'],
  EG: ['Egyptian', 'Egyptians'],
  LB: ['Lebanese'],
  SA: ['Saudi', 'Saudis'],
  AE: ['Emirati', 'Emiratis'],
  MR: ['Mauritanian', 'Mauritanians'],
  SN: ['Senegalese'],
  GN: ['Guinean', 'Guineans'],
  CI: ['Ivorian', 'Ivorians'],
  GH: ['Ghanaian', 'Ghanaians'],
  BJ: ['Beninese', 'Beninois'],
  TG: ['Togolese'],
  ZA: ['South African', 'South Africans'],
  ZW: ['Zimbabwean', 'Zimbabweans'],
};

/** Words that are both a demonym and an ordinary English word, or ambiguous between countries. */
const AMBIGUOUS_DEMONYMS = new Set(['congolese', 'guinean', 'dominican', 'us', 'central african', 'sandinist', 'sandinista', 'myanmar']);

/** True for a folded word that is such a demonym, or its plural ("guinean", "guineans"): a people's word, never a loose spelling of a village. */
export function isAmbiguousDemonym(folded: string): boolean {
  return AMBIGUOUS_DEMONYMS.has(folded) || (folded.endsWith('s') && AMBIGUOUS_DEMONYMS.has(folded.slice(0, -1)));
}

function build(): Country[] {
  const raw = require('world-countries/countries.json') as WorldCountry[];
  // A demonym an independent country shares with dependencies is the independent country's:
  // "French" is France's, not the French Southern Lands', "Dutch" the Netherlands', not Bonaire's.
  const sovereignDemonyms = new Set<string>();
  for (const c of raw) if (c.independent && c.demonyms?.eng) for (const d of [c.demonyms.eng.m, c.demonyms.eng.f]) if (d) sovereignDemonyms.add(d);
  const out: Country[] = [];
  for (const c of raw) {
    const name = ACLED_NAMES[c.cca2] ?? c.name.common;
    const names = new Set<string>([name, c.name.common, ...(EXTRA_NAMES[c.cca2] ?? [])]);
    for (const alt of c.altSpellings) {
      // Skip two-letter codes and native-script spellings; keep English-looking long names.
      if (alt.length > 3 && /^[A-Za-z' .,-]+$/.test(alt) && !alt.includes(',')) names.add(alt);
    }
    const demonyms = new Set<string>();
    const eng = c.demonyms?.eng;
    if (eng) {
      for (const d of [eng.m, eng.f]) if (d && !d.includes(' or ') && (c.independent || !sovereignDemonyms.has(d))) demonyms.add(d);
    }
    for (const d of EXTRA_DEMONYMS[c.cca2] ?? []) demonyms.add(d);
    for (const d of [...demonyms]) {
      if (!/s$/.test(d) && !/(ese|ish|ch|Swiss)$/.test(d) && !AMBIGUOUS_DEMONYMS.has(d.toLowerCase())) demonyms.add(d + 's');
    }
    out.push({
      iso2: c.cca2,
      iso3: c.cca3 === 'UNK' ? 'XKX' : c.cca3,
      name,
      names: [...names],
      demonyms: [...demonyms].filter((d) => !AMBIGUOUS_DEMONYMS.has(d.toLowerCase()) || d === 'Congolese'),
      capital: c.capital?.[0] ?? null,
      latitude: c.latlng[0],
      longitude: c.latlng[1],
      region: c.subregion ?? c.region ?? null,
    });
  }
  return out;
}

let cache: { list: Country[]; byIso2: Map<string, Country>; byIso3: Map<string, Country>; byName: Map<string, Country> } | null = null;

function index() {
  if (cache) return cache;
  const list = build();
  const byIso2 = new Map<string, Country>();
  const byIso3 = new Map<string, Country>();
  const byName = new Map<string, Country>();
  for (const c of list) {
    byIso2.set(c.iso2, c);
    byIso3.set(c.iso3, c);
  }
  // Names first, then demonyms, so that a name always wins over a demonym of another country.
  for (const c of list) for (const n of c.names) if (!byName.has(foldKey(n))) byName.set(foldKey(n), c);
  cache = { list, byIso2, byIso3, byName };
  return cache;
}

const foldMemo = new Map<string, string>();

/** Lower case, accents removed, punctuation folded to spaces. */
export function foldKey(s: string): string {
  // Plain ASCII words (most of any English text) need no Unicode normalisation.
  if (/^[A-Za-z0-9]+$/.test(s)) return s.toLowerCase();
  // The rest (names with spaces, accents, apostrophes) come back again and again: places' names,
  // admin units compared while locating. Answered from a bounded memo.
  let folded = foldMemo.get(s);
  if (folded === undefined) {
    folded = s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/['’‘`´ʼʾʿ]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
    if (foldMemo.size >= 200_000) foldMemo.clear();
    foldMemo.set(s, folded);
  }
  return folded;
}

export function allCountries(): readonly Country[] {
  return index().list;
}

export function countryByIso2(iso2: string): Country | undefined {
  return index().byIso2.get(iso2.toUpperCase());
}

export function countryByIso3(iso3: string): Country | undefined {
  return index().byIso3.get(iso3.toUpperCase());
}

/** A country by any of its names ("DRC", "Ivory Coast", "Mali"); undefined when none matches. */
export function countryByName(name: string): Country | undefined {
  return index().byName.get(foldKey(name));
}
