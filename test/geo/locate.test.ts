/**
 * Where events are placed, through the pipeline, on sentences the project wrote: names the gazetteer
 * does not know but the text locates, stated units over namesakes, lists under one set of units,
 * precision, the capital for a country named alone, the text's spelling of units, and current units
 * after a reform (with a small GeoNames-format fixture the test writes itself).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArticle, extractFromArticle } from '../../src/pipeline/extract.js';
import { toArticle } from '../../src/ingest/read.js';
import { importFiles } from '../../src/geo/import.js';
import { loadGazetteer } from '../../src/geo/gazetteer.js';
import { haversineKm } from '../../src/geo/distance.js';
import { loadAdmin1Shapes } from '../../src/geo/admin1-shapes.js';

// The built-in gazetteer, loaded once before the tests (seconds on a loaded machine, over a test's 5 s budget).
beforeAll(() => {
  loadGazetteer();
}, 60_000);

const first = (text: string, published = '2020-12-31') => {
  const e = extractArticle({ id: 't', text, published }).events[0];
  expect(e, `no event for: ${text}`).toBeDefined();
  return e!;
};

describe('names the gazetteer does not know, placed by the units the text states', () => {
  it('where people travel from or to votes for its country as a neighbour does, less than a people\'s cue', () => {
    // Anet is a French town of 2,800; the Dinka are South Sudan's.
    const e = first('On 3 May 2020, gunmen wounded four Dinka herders on their way back from Anet with their cattle.');
    expect(e.country).toBe('South Sudan');
  });

  it('"(X district, J&K)": the abbreviated unit is the event\'s first-level unit', () => {
    const e = first('On 9 May 2020, Indian and Pakistani troops exchanged fire along the Line of Control in Krishna Ghati sector (Poonch district, J&K).');
    expect(e.country).toBe('India');
    expect(e.admin1).toBe('Jammu and Kashmir');
  });

  it('"X subdivision of Y district (Z)": Y is the unit of X, so X is no namesake abroad', () => {
    // Samaná is also a Dominican province; Patiala a district of India's Punjab.
    const e = first('On 3 May 2020, two farmers were shot dead in a quarrel over water in Samana subdivision of the Patiala district, Punjab.');
    expect(e.country).toBe('India');
    expect(e.admin1).toBe('Punjab');
  });

  it('a part of a city ("Colonia X", "barrio X") is no evidence of another country', () => {
    // Colonia is a department and town of Uruguay.
    const c = extractArticle({ id: 't', text: 'On 4 May 2020, a driver was shot dead in Colonia Las Palmas. 1 fatality.', published: '2020-12-31' }).events[0];
    expect(c?.country ?? null).not.toBe('Uruguay');
  });

  it('a name the text gives as another\'s unit is a unit, not a town of that name ("(Bunkpurugu, North East)")', () => {
    const r = extractFromArticle(toArticle({ text: 'On 2 May 2020, gunmen wounded a farmer in Gbintiri (Bunkpurugu, North East).', published: '2020-12-31' }, 't'), { explain: true });
    const ne = r.explain!.places.find((p) => p.text === 'North East')!;
    // North East, Pennsylvania (4,000 people) lost to the regions of that name (Ghana's, Botswana's).
    expect(ne.chosen!.level).toBe('admin1');
    expect(ne.chosen!.features['stated_as_unit']).toBeGreaterThan(0);
    expect(r.events[0]!.country).not.toBe('United States');
  });

  it('"X (Admin2, Admin1)": at the district seat, precision 2, with the text\'s name as location', () => {
    const text = 'On 29 December 2020, ISGS militants attacked the village of Marsiwaye (Gao, Gao). Two civilians were killed.';
    const e = first(text);
    expect(e.location).toBe('Marsiwaye');
    expect(e.country).toBe('Mali');
    expect(e.admin1).toBe('Gao');
    expect(e.admin2).toBe('Gao');
    expect(e.geo_precision).toBe(2);
    expect(e.geo_basis).toBe('admin2');
    // Gao town, the seat, stands for it.
    expect(e.latitude).toBeCloseTo(16.27, 1);
    const ev = e.evidence.find((x) => x.field === 'location')!;
    expect(text.slice(ev.start, ev.end)).toBe('Marsiwaye');
  });

  it('"X city, Province, Country": the first name of the chain, at the province, precision 3', () => {
    const e = first('02/27/2016: Assailants abducted seven drivers in Abchakan area, Puli Alam city, Logar Province, Afghanistan.', '2016-02-29');
    expect(e.country).toBe('Afghanistan');
    expect(e.admin1).toBe('Logar');
    expect(['Abchakan', 'Puli Alam']).toContain(e.location);
    expect(e.geo_precision).toBe(3);
    expect(e.geo_basis).toBe('admin1');
  });

  it('a person\'s name before a unit is not a place', () => {
    const e = first('Gunmen killed two farmers in Douentza, Mali, on Monday, said Ahmed Musa, Mopti state police spokesman.');
    expect(e.location).toBe('Douentza');
  });

  it('"X, Country" with X unknown: X is the location, known only to the country (precision 3, no units)', () => {
    const e = first('Gunmen killed two farmers in Konnawalé, Mali, on Monday.');
    expect(e.location).toBe('Konnawalé');
    expect(e.country).toBe('Mali');
    expect(e.admin1).toBeNull();
    expect(e.geo_precision).toBe(3);
    expect(e.geo_basis).toBe('country');
  });
});

describe('places that are not where it happened', () => {
  it('where a journey went is not where it was interrupted ("evacuated to X", "leaving Y for X", "en route to X")', () => {
    expect(first('On 5 May 2020, two soldiers were evacuated to Douentza after an IED struck their convoy at Hombori, Mali.').location).toBe('Hombori');
    expect(first('On 5 May 2020, buses en route to Douentza were robbed by gunmen at Hombori, Mali.').location).toBe('Hombori');
  });

  it('where a journey began is not where it was interrupted ("coming home from X", "on his way back from X")', () => {
    expect(first('On 5 May 2020, a trader coming home from Bamako was shot dead by gunmen at Bandiagara, Mali.').location).toBe('Bandiagara');
    expect(first('On 5 May 2020, a teacher on his way back from Bamako was shot dead at Douentza, Mali.').location).toBe('Douentza');
  });

  it('"near Burkina Faso\'s border" names a neighbour, which weighs little in the country focus', () => {
    const r = extractFromArticle(toArticle({ id: 't', text: 'On 3 May 2020, gunmen attacked Douentza near Burkina Faso\'s border, killing two villagers.', published: '2020-12-31' }, 't'), { explain: true });
    const focus = r.explain!.focus as Record<string, number>;
    expect(focus['BFA'] ?? 0).toBeLessThan(1);
    expect(r.events[0]?.country).toBe('Mali');
  });

  it('an office named by its seat ("the mayor of Gao") is not the scene', () => {
    const e = first('On 3 May 2020, the mayor of Gao was shot dead in front of his home in Mopti by unidentified gunmen.');
    expect(e.location).toBe('Mopti');
  });
});

describe('names that are no places', () => {
  it('a weapon\'s name ("a Grad rocket") is not the Slovenian region of that name', () => {
    const e = first('On 3 May 2020, an explosion involving either an IED or a Grad rocket was reported in Gao. Two soldiers were wounded.');
    expect(e.location).toBe('Gao');
    expect(e.country).toBe('Mali');
  });

  it('a street named after a place ("Baghdad Street", "SAN ANTONIO ABAD STREET") is in the city, not at that place', () => {
    const e = first('On 3 May 2020, a bomb exploded near a shop on Baghdad Street in Damascus, wounding two passers-by.');
    expect(e.country).toBe('Syria');
    expect(e.location).toBe('Damascus');
  });

  it('in wire copy set in capitals, a person\'s surname ("JUDGE MANUEL ORTEGA RODRIGUEZ") is not the Philippine town of that name', () => {
    const e = first('BOGOTA, 12 OCT 89 -- [TEXT] GUNMEN ON A MOTORCYCLE SHOT DEAD JUDGE MANUEL ORTEGA RODRIGUEZ OUTSIDE HIS HOME TODAY. POLICE SAID RODRIGUEZ HAD BEEN THREATENED.', '1989-10-12');
    expect(e.country).toBe('Colombia');
    expect(e.location).toBe('Bogotá');
  });
});

describe('town names as the news writes them', () => {
  it('without the honorific of the official name (Heroica Guaymas)', () => {
    const e = first('On 8 May 2020, in Guaymas, Sonora, armed men carried out a drive-by shooting against a man.');
    expect(e.admin1).toBe('Sonora');
    expect(e.geo_precision).toBe(1);
    expect(e.latitude).toBeCloseTo(27.9, 0);
  });

  it('without the "City" of the official name (Cabanatuan City), but "Kuwait City" keeps it', () => {
    const e = first('On 8 May 2020, police shot dead a robbery suspect at a checkpoint in Barangay Kapitan Pepe, Cabanatuan, Nueva Ecija.');
    expect(e.country).toBe('Philippines');
    expect(e.location).toBe('Cabanatuan');
    const k = first('On 8 May 2020, gunmen shot dead a man in Kuwait City.');
    expect(k.location).toBe('Kuwait City');
  });

  it('after a capitalised preposition ("(week of), In Heroica Matamoros")', () => {
    const e = first('Around 4 May 2020 (week of), In Heroica Matamoros, gunmen of a cartel exchanged fire with state police.');
    expect(e.location).toBe('Heroica Matamoros');
    expect(e.admin1).toBe('Tamaulipas');
  });

  it('an unknown name keeps its lower-case connector ("Vertente do Lerio, Pernambuco")', () => {
    const e = first('On 9 May 2020, in Vertente do Lerio, Pernambuco, armed men used explosives in a bank robbery.');
    expect(e.location).toBe('Vertente do Lerio');
    expect(e.admin1).toBe('Pernambuco');
  });
});

describe('stated units choose among namesakes', () => {
  it('"X, Region": a town of that name elsewhere is not the place', () => {
    // Kamianka: towns of that name lie in several Ukrainian regions.
    const e = first('On 9 May 2020, the rebel forces fired 82mm mortars at the governmental positions near Kamianka, Donetsk.');
    expect(e.admin1).toBe('Donetsk');
    expect(e.location).toBe('Kamianka');
    expect(e.geo_basis).toBe('admin1');
    expect(e.geo_precision).toBe(3);
  });

  it('a town known only abroad says nothing of the country when its stated units lie elsewhere ("Arada (Tripoli)")', () => {
    const e = first('On 2 May 2020, LNA air defences downed a GNA drone over Arada (Tripoli). Nobody was hurt.');
    expect(e.country).toBe('Libya');
    expect(e.location).toBe('Arada');
    expect(e.admin1).toBe('Tripoli');
  });

  it('a list of regions is not a chain of parents ("Kidal, Gao and Menaka")', () => {
    const e = first('On 3 May 2020, unknown gunmen attacked traders in Gao, Kidal and Menaka, killing three.');
    expect(e.admin1).toBe('Gao');
  });
});

describe('precision', () => {
  it('a country named alone: at its capital, precision 3', () => {
    const e = first('On 26 March 2020, the government of Mali imposed a nightly curfew after protesters clashed with police.');
    expect(e.country).toBe('Mali');
    expect(e.location).toBe('Bamako');
    expect(e.geo_precision).toBe(3);
    expect(e.geo_basis).toBe('country');
  });

  it('a country known only from its actors: at its capital, precision 3', () => {
    const e = first('On 23 January 2020, one Malian soldier was killed by the explosion of an IED near the village of Kwaradjiguel.');
    expect(e.country).toBe('Mali');
    expect(e.location).toBe('Bamako');
    expect(e.geo_precision).toBe(3);
  });

  it('a country known only from a cue with a home region: that region, not the capital', () => {
    const e = first('On 9 May 2020, the OSCE SMM observed a total of 25 explosions involving unknown weapons near Zolotoye-Pyatoye.');
    expect(e.country).toBe('Ukraine');
    expect(e.admin1).toBe('Donetsk');
    expect(e.geo_precision).toBe(3);
    expect(e.geo_basis).toBe('admin1');
  });

  it('without an import, an unknown place of the Dogon country stands at the first town of its area the built-in gazetteer has (Bandiagara)', () => {
    const e = first('On 4 April 2020, gunmen shot a Dogon shepherd outside a hamlet; he died of his wounds.');
    expect(e.country).toBe('Mali');
    expect(e.admin1).toBe('Mopti');
    expect(e.location).toBe('Bandiagara');
    expect(e.geo_precision).toBe(3);
  });

  it('a cue\'s home regions choose among namesakes, but do not move a town known without doubt', () => {
    const near = first('On 9 May 2020, the OSCE SMM observed a total of 21 explosions involving unknown weapons near Serhiivka.');
    expect(['Donetsk', 'Luhansk']).toContain(near.admin1);
    expect(near.location).toBe('Serhiivka');
    const city = first('On 9 May 2020, the OSCE SMM observed a protest of 200 people in Kharkiv, Ukraine.');
    expect(city.admin1).toBe('Kharkiv');
    expect(city.geo_precision).toBe(1);
  });

  it('a mission mandated for one region (the OSCE SMM) makes a village elsewhere in the country a namesake, though the gazetteer knows no other', () => {
    // The gazetteer's only Vodyane is a town of 5,700 in Zaporizhzhia; the SMM reports from the Donbas.
    const e = first('On 2 May 2020, OSCE SMM monitors recorded shelling in fields close to Vodyane.');
    expect(e.country).toBe('Ukraine');
    expect(['Donetsk', 'Luhansk']).toContain(e.admin1);
    expect(e.geo_precision).toBe(3);
  });

  it('a cue\'s home region does not move a town of some size elsewhere ("Katiba Macina ... in Diéma")', () => {
    const e = first('On 30 November 2020, Katiba Macina (JNIM) militants killed a customs officer and seized a vehicle in Diema.');
    expect(e.admin1).toBe('Kayes');
  });

  it('a unit spelt with the same consonants in the text keeps the text\'s spelling ("Khost province" for Khowst)', () => {
    const e = first('On 9 May 2020, a roadside bomb killed two policemen in Khost province, Afghanistan.');
    expect(e.admin1).toBe('Khost');
  });

  it('a region named alone: precision 3', () => {
    const e = first('On 9 May 2020, one policeman was killed by suspected Taliban militants in Helmand province, Afghanistan.');
    expect(e.admin1).toBe('Helmand');
    expect(e.geo_precision).toBe(3);
    expect(e.geo_basis).toBe('admin1');
  });

  it('a region named after its capital city, without a unit word, is the city ("in Tombouctou")', () => {
    const e = first('On 3 May 2020, gunmen killed two traders in Tombouctou, Mali.');
    expect(e.geo_precision).toBe(1);
    expect(e.admin1).toBe('Tombouctou');
    const region = first('On 3 May 2020, gunmen killed two traders in the Tombouctou region of Mali.');
    expect(region.geo_precision).toBe(3);
  });

  it('the place itself: precision 1; near it: 2', () => {
    expect(first('On 3 May 2020, gunmen killed two traders in Douentza, Mali.').geo_precision).toBe(1);
    const near = first('On 3 May 2020, gunmen killed two traders 12 km from Douentza, Mali.');
    expect(near.location).toBe('Douentza');
    expect(near.geo_precision).toBe(2);
    expect(near.geo_basis).toBe('near');
  });
});

describe('spellings and near ties', () => {
  it('a name GeoNames writes with an ayin or a turned comma ("Ta‘izz", "Dar‘ā") matches the text\'s "Taizz", "Dar\'a"', () => {
    const e = first('On 6 May 2020, gunmen opened fire on a car at a checkpoint in Al Qahira (Sabir al Mawadim, Taizz), killing a man.');
    expect(e.country).toBe('Yemen');
    expect(e.admin1).toBe('Taizz');
  });

  it('a first-level unit is known by Natural Earth\'s names as well as GeoNames\' ("Distrito Federal", Brazil\'s "Federal District")', () => {
    const e = first('On 7 May 2020, in Brasilia, Distrito Federal, civil police forces dismantled a drug lab. Three men were arrested.');
    expect(e.country).toBe('Brazil');
    expect(e.admin1).toBe('Distrito Federal');
    expect(e.latitude).toBeCloseTo(-15.78, 1);
  });

  it('but not by the name of its seat: "in Timbuktu" is the city, in Tombouctou region', () => {
    const e = first('On 18 May 2020, unknown gunmen opened fire against two peacekeepers in Timbuktu, killing one.');
    expect(e.location).toBe('Timbuktu');
    expect(e.admin1).toBe('Tombouctou');
    expect(e.geo_precision).toBe(1);
  });

  it('a unit\'s French name counts only where French is spoken: "(Golfe, Maritime)" is in Togo, not Papua New Guinea\'s Gulf', () => {
    const e = first('On 4 May 2020, unidentified individuals shot and killed an army officer in his office in Lome city (Golfe, Maritime).');
    expect(e.country).toBe('Togo');
    expect(e.location).toBe('Lomé');
  });

  it('an alternate name of a unit is taken as written, without the spelling variants of its own name ("Adu" is not the Maldives\' "Addu")', () => {
    const e = first('On 3 May 2020, gunmen ambushed and killed 3 farmers in Adu in Kwal district (Bassa LGA, Plateau)');
    expect(e.country).toBe('Nigeria');
    expect(e.admin1).toBe('Plateau');
  });

  it('a common word taken for a place by its context ("near Mine") weighs less than a country cue ("the OSCE SMM")', () => {
    const e = first('On 6 May 2020, the OSCE SMM heard 4 explosions of unknown weapons near Mine 6/7.');
    expect(e.country).toBe('Ukraine');
  });

  it('an Arabic article between capitalised words continues a name: "Mashru Al Hadba (Tripoli)" is no loose spelling of Maseru', () => {
    const e = first('On 5 May 2020, shells of unknown origin fell on Mashru Al Hadba (Tripoli). Nobody was hurt.');
    expect(e.country).toBe('Libya');
    expect(e.location).toBe('Mashru Al Hadba');
  });

  it('a country\'s name that is also a common word is the country ("Turkey closed its border")', () => {
    const e = first('On 2 May 2020, Turkey closed its border crossings after clashes killed two soldiers.');
    expect(e.country).toBe('Turkey');
  });

  it('a possessive is no part of a name ("Afrin\'s southern entrance")', () => {
    const text = "On 29 April 2020, gunmen attacked a checkpoint at Afrin's southern entrance, killing two fighters.";
    const e = first(text);
    expect(e.country).toBe('Syria');
    const ev = e.evidence.find((x) => x.field === 'location')!;
    expect(text.slice(ev.start, ev.end)).toBe('Afrin');
  });

  it('a town that ties with a namesake abroad does not vote for the country; the region it lies in does ("Nawa ... Dar\'a")', () => {
    const e = first("On 2 May 2020, gunmen shot dead two civilians in the town of Nawa in the countryside of Dar'a.");
    expect(e.country).toBe('Syria');
    expect(e.location).toMatch(/^Naw/);
  });
});

describe('units named as the text names them', () => {
  it('the first-level unit keeps the text\'s spelling ("Idleb")', () => {
    const e = first('On 9 May 2020, government artillery shelled the edge of Nayrab in Idleb.');
    expect(e.country).toBe('Syria');
    expect(e.admin1).toBe('Idleb');
  });

  it('the names ACLED and UN OCHA write for Libyan districts GeoNames spells otherwise ("Aljfara" for Al Jafārah)', () => {
    const e = first('On 9 May 2020, rival forces exchanged rocket fire near a farm south of Souq al-Khamis (Aljfara).');
    expect(e.country).toBe('Libya');
    expect(e.admin1).toBe('Aljfara');
  });

  it('a province the built-in gazetteer knows from Natural Earth only ("Maguindanao") is a second-level unit, in its GeoNames region', () => {
    const e = first('On 4 May 2020, two armed clans fought for hours near Shariff Aguak (Maguindanao) and a house was burned.');
    expect(e.country).toBe('Philippines');
    expect(e.admin1).toBe('Autonomous Region in Muslim Mindanao');
    expect(e.admin2).toBe('Maguindanao');
    expect(e.location).toBe('Shariff Aguak');
    expect(e.geo_precision).toBe(2);
    // At the province's point, not at Cotabato City's, which Natural Earth also calls Maguindanao.
    expect(e.latitude).toBeCloseTo(6.98, 1);
  });

  it('a capital in a unit is no other name of the unit: "in Tegucigalpa" is in Francisco Morazán', () => {
    const e = first('On 9 May 2020, gang members and police officers exchanged gunfire in Tegucigalpa; one man was hurt.');
    expect(e.location).toBe('Tegucigalpa');
    expect(e.admin1).toBe('Francisco Morazán');
  });

  it('a capitalised common word that is a unit\'s name, last in a chain after a comma, is the unit ("near Shikharkh, Tartar.")', () => {
    const e = first('On 2 May 2020, Armenian-backed forces shelled positions assumed to be near Shikharkh, Tartar.');
    expect(e.country).toBe('Azerbaijan');
    expect(e.admin1).toBe('Tartar');
  });

  it('a province whose Natural Earth code is stale is in the region its towns are filed under ("Bohol", coded as Davao\'s PH.11, is in Central Visayas)', () => {
    const e = first('On 2 May 2020, two men on a motorcycle killed a village official with a pistol in Tagbilaran, Bohol.');
    expect(e.location).toBe('Tagbilaran');
    expect(e.admin1).toBe('Central Visayas');
    expect(e.admin2).toBe('Bohol');
  });

  it('of two units of one name, the one with more people in its towns ("Cotabato": the province, not Cotabato City)', () => {
    const e = first('On 1 May 2020, soldiers and rebels fought near a farm outside Pigcawayan, Cotabato, for an hour.');
    expect(e.admin1).toBe('Soccsksargen');
    expect(e.admin2).toBe('Cotabato');
  });

  it('a demonym before a word of armed forces ("a Russian patrol") says whose forces, not where: they often act abroad', () => {
    const e = first('On 4 May 2020, a Russian patrol drove along the road south of Ras Al Ain in Al-Hasakeh countryside.');
    expect(e.country).toBe('Syria');
  });

  it('an unknown neighbourhood of a stated city, or an area of what the text calls a city, is coded at the city', () => {
    const hood = first('On 4 March 2016, a bomb went off beside a police car in Qalacha neighbourhood, Kabul; two officers died.', '2016-12-31');
    expect(hood.location).toBe('Kabul');
    expect(hood.geo_precision).toBe(1);
    const area = first('On 4 March 2016, a bomb went off beside a police car in Shewaki area, Kabul city; two officers died.', '2016-12-31');
    expect(area.location).toBe('Kabul');
    expect(area.geo_precision).toBe(1);
  });

  it('"Suqutra", the Arabic romanisation of Socotra, is the Yemeni governorate', () => {
    const e = first('On 6 May 2020, rival brigades exchanged fire outside a base on Suqutra island; no casualties were reported.');
    expect(e.country).toBe('Yemen');
    expect(e.admin1).toBe('Suqutra');
  });
});

describe('with an imported country (a GeoNames-format fixture the test writes)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sitrep-locate-'));
  const before = process.env['SITREP_DATA'];
  const row = (id: number, name: string, fclass: string, fcode: string, a1: string, a2: string, lat: string, lon: string, pop = '0', cc = 'ML'): string =>
    [id, name, name, '', lat, lon, fclass, fcode, cc, '', a1, a2, '', '', pop, '', '300', 'Africa/Bamako', '2023-10-22'].join('\t');
  beforeAll(() => {
    const dump = join(tmp, 'ML.txt');
    writeFileSync(
      dump,
      [
        row(9600001, 'Cercle de Ménaka', 'A', 'ADM2', '12070577', '8631539', '15.9', '2.4'),
        row(9600002, 'Ménaka', 'P', 'PPLA', '12070577', '8631539', '15.918', '2.402'),
        row(9600003, 'Tinabaw', 'P', 'PPL', '12070577', '', '15.7', '2.1'),
        // Two villages called Boni: the larger in Ségou, the one meant in Mopti.
        row(9600004, 'Boni', 'P', 'PPL', '05', '', '13.6', '-4.5', '900'),
        row(9600005, 'Boni', 'P', 'PPL', '04', '', '15.08', '-2.22', '0'),
        row(9600006, 'Douentza', 'P', 'PPLA2', '04', '8299590', '15.0', '-2.95', '24000'),
        row(9600011, 'Hombori', 'P', 'PPL', '04', '', '15.28', '-1.70', '5000'),
        // Macina cercle is seated at Ké-Macina; a village called Macina lies 40 km away.
        row(9600012, 'Cercle de Macina', 'A', 'ADM2', '05', '8631515', '13.9', '-5.4'),
        row(9600013, 'Ké-Macina', 'P', 'PPLA2', '05', '8631515', '13.9641', '-5.3579', '12000'),
        row(9600014, 'Macina', 'P', 'PPL', '05', '8631515', '13.9936', '-5.7326', '0'),
        row(9600007, 'Cercle de Douentza', 'A', 'ADM2', '04', '8299590', '15.2', '-2.6'),
        // A cercle named after its seat, and the seat; "dire" is also an English word.
        row(9600008, 'Cercle de Diré', 'A', 'ADM2', '08', '8299583', '16.1', '-3.6'),
        row(9600009, 'Diré', 'P', 'PPLA2', '08', '8299583', '16.28', '-3.31', '20000'),
        // Villages GeoNames still files under Gao though Ménaka became a region (2016): one near Ménaka, one near Gao.
        row(9600015, 'Andéranboukan', 'P', 'PPL', '07', '', '15.43', '3.02'),
        row(9600016, 'Kouroukoto', 'P', 'PPL', '07', '', '15.66', '0.5'),
        // A village GeoNames files under Ménaka, though it lies in Ansongo cercle of Gao.
        row(9600018, 'Ouzeinou', 'P', 'PPL', '12070577', '', '15.9', '1.5'),
        row(9600019, 'Cercle d’Ansongo', 'A', 'ADM2', '07', '8631538', '15.6', '0.6'),
        // A hamlet known only across the border, in Burkina Faso.
        row(9600020, 'Sinkaribou', 'P', 'PPL', '49', '', '13.9', '-1.6', '0', 'BF'),
        // A commune's seat filed with the commune's number ("Dioungani 1 Commune").
        row(9600071, 'Dioungani I', 'P', 'PPL', '04', '7701494', '14.0', '-3.2'),
        // Two villages of Mopti region of one name, the one far from Dogon country filed first.
        row(9600069, 'Sogodogo', 'P', 'PPL', '04', '', '15.3', '-2.0'),
        row(9600070, 'Sogodogo', 'P', 'PPL', '04', '', '14.5', '-3.5'),
        // Hamlets of Burkina Faso some 40 km and some 180 km from the Malian border.
        row(9600067, 'Djibassogou', 'P', 'PPL', '52', '', '14.45', '-0.95', '0', 'BF'),
        row(9600068, 'Kaboussogo', 'P', 'PPL', '52', '', '12.9', '-1.2', '0', 'BF'),
        // A village whose name begins the names of canal-side villages ("Ngoma Coura K23").
        row(9600017, 'Ngoma', 'P', 'PPL', '05', '', '13.2', '-6.1'),
        // A cercle seated at a town of its name whose population GeoNames leaves blank.
        row(9600026, 'Cercle de Youwarou', 'A', 'ADM2', '04', '8299591', '15.2', '-4.4'),
        row(9600027, 'Youwarou', 'P', 'PPLA2', '04', '8299591', '15.39', '-4.26'),
        // Villages named after peoples, one in Mopti, one across the border.
        row(9600021, 'Dogon', 'P', 'PPL', '04', '', '14.9', '-3.3'),
        // The heart of the Dogon country, on the escarpment east of Bandiagara.
        row(9600072, 'Sanga', 'P', 'PPL', '04', '', '14.464', '-3.308'),
        // Villages called Mambasso, one in Kayes filed first, one in Ségou; a village named after the Bambara, in Tombouctou.
        row(9600073, 'Mambasso', 'P', 'PPL', '01', '', '12.7', '-11.2'),
        row(9600074, 'Mambasso', 'P', 'PPL', '05', '', '14.2', '-5.0'),
        row(9600075, 'Bambara Maoudé', 'P', 'PPL', '08', '', '15.89', '-2.78'),
        // A village whose name has two consonants, and one spelled like a demonym.
        row(9600076, 'Tilay', 'P', 'PPL', '07', '', '16.1', '0.3'),
        row(9600077, 'Guinian', 'P', 'PPL', '04', '', '14.0', '-4.0'),
        row(9600022, 'Peulh', 'P', 'PPL', '51', '', '13.6', '-2.4', '0', 'BF'),
        // A village of Gao region with no cercle code, far north of Bourem, the seat of its cercle.
        row(9600023, 'Tinzawaten', 'P', 'PPL', '07', '', '17.75', '0.2'),
        row(9600024, 'Cercle de Bourem', 'A', 'ADM2', '07', '8631537', '17.0', '-0.3'),
        row(9600025, 'Bourem', 'P', 'PPLA2', '07', '8631537', '16.955', '-0.349', '27000'),
        // A village whose first-level code GeoNames does not know ("00"): its polygon says Mopti.
        row(9600010, 'Sofara Peulh', 'P', 'PPL', '00', '', '13.98', '-4.25'),
        // Two villages called Toro, in the cercles of Mopti and Koro (Mopti region): the larger in Mopti's.
        row(9600030, 'Cercle de Mopti', 'A', 'ADM2', '04', '7701484', '14.5', '-4.1'),
        row(9600031, 'Cercle de Koro', 'A', 'ADM2', '04', '7701494', '14.1', '-3.0'),
        row(9600032, 'Toro', 'P', 'PPL', '04', '7701484', '14.6', '-4.3', '200'),
        row(9600033, 'Toro', 'P', 'PPL', '04', '7701494', '14.2', '-3.1', '0'),
        // A village one of whose other names is Soumana, filed before the village of that name.
        [9600034, 'Sama', 'Sama', 'Sama,Soumana', '14.92', '-3.90', 'P', 'PPL', 'ML', '', '04', '7701484', '', '', '0', '', '300', 'Africa/Bamako', '2023-10-22'].join('\t'),
        row(9600035, 'Soumana', 'P', 'PPL', '04', '7701494', '14.06', '-2.98'),
        // Villages named like a Honduran department (Yoro), and a village named like no place abroad.
        row(9600036, 'Yoro', 'P', 'PPL', '04', '7701494', '14.25', '-2.9'),
        row(9600037, 'Kindi', 'P', 'PPL', '04', '7701494', '14.3', '-2.8'),
        // Their namesakes in Burkina Faso, far apart, one of them a town of 16,000.
        row(9600047, 'Kindi', 'P', 'PPL', '06', '', '12.44', '-2.03', '16424', 'BF'),
        row(9600048, 'Yoro', 'P', 'PPL', '06', '', '11.07', '-2.37', '0', 'BF'),
        // A village of Niafunké cercle, and the cercle's seat.
        row(9600038, 'Cercle de Niafunké', 'A', 'ADM2', '08', '8299584', '15.8', '-4.2'),
        row(9600039, 'Niafunké', 'P', 'PPLA2', '08', '8299584', '15.93', '-3.99', '10000'),
        row(9600040, 'Léré', 'P', 'PPL', '08', '8299584', '15.71', '-4.91'),
        // A cercle named after its seat, far from the seat's point.
        row(9600041, 'Cercle de Goundam', 'A', 'ADM2', '08', '8299585', '18.6', '-5.0'),
        row(9600042, 'Goundam', 'P', 'PPLA2', '08', '8299585', '16.41', '-3.67', '16000'),
        // Villages called Dioura: one in Mopti filed first, and the seat of a commune of Macina cercle
        // (population blank); a village called Fama next to the Mopti one (FAMa is also Mali's army).
        row(9600043, 'Dioura', 'P', 'PPL', '04', '', '14.9', '-3.3'),
        row(9600044, 'Dioura', 'P', 'PPLA3', '05', '8631515', '14.1', '-5.4'),
        row(9600045, 'Fama', 'P', 'PPL', '04', '', '14.95', '-3.35'),
        // Two villages called Kononi on the Niger in Ségou region.
        row(9600049, 'Kononi', 'P', 'PPL', '05', '', '13.95', '-5.3'),
        row(9600050, 'Kononi', 'P', 'PPL', '05', '', '13.2', '-6.0'),
        // Two villages that list "Kalloumbé" among their other names: the one two letters off it filed
        // first (in Tombouctou), the one a letter off (in Mopti) second.
        [9600051, 'Kyaloumbé', 'Kyaloumbe', 'Kalloumbé,Kyaloumbe', '16.36', '-3.55', 'P', 'PPL', 'ML', '', '08', '', '', '', '0', '', '300', 'Africa/Bamako', '2023-10-22'].join('\t'),
        [9600052, 'Kaloumbé', 'Kaloumbe', 'Kalloumbé,Kaloumbe', '15.02', '-4.23', 'P', 'PPL', 'ML', '', '04', '', '', '', '0', '', '300', 'Africa/Bamako', '2023-10-22'].join('\t'),
        // Two villages called Kéwa: the larger in Ségou, one 7 km from Douentza.
        row(9600053, 'Kéwa', 'P', 'PPL', '05', '', '13.6', '-4.5', '900'),
        row(9600054, 'Kéwa', 'P', 'PPL', '04', '', '15.05', '-2.9', '0'),
        // Two villages called Wandiam: the larger in Ségou, far from any border; one in Mopti 20 km from Burkina Faso.
        row(9600055, 'Wandiam', 'P', 'PPL', '05', '', '14.5', '-6.0', '900'),
        row(9600056, 'Wandiam', 'P', 'PPL', '04', '', '14.15', '-3.2', '0'),
        // A quarter of Ménaka town that GeoNames files as a place of its own.
        row(9600057, 'Tinfey', 'P', 'PPLX', '12070577', '', '15.925', '2.395'),
        // A village whose other name differs in vowels from the text's spelling, its own name more.
        [9600058, 'Tessoumaï', 'Tessoumai', 'Tessoumaye,Tessoumaï', '16.2', '1.1', 'P', 'PPL', 'ML', '', '07', '', '', '', '0', '', '300', 'Africa/Bamako', '2023-10-22'].join('\t'),
        // A locality of Gao region spelt with one consonant more than news writes it.
        row(9600059, 'Amassirast', 'L', 'LCTY', '07', '', '17.2', '0.2'),
        // A village of Mopti region spelt a consonant off a commune's name.
        row(9600060, 'Kelbirin', 'P', 'PPL', '04', '', '14.5', '-3.5'),
        // Villages of Mopti region with no second-level code, one near Koro cercle's point, one far from it.
        row(9600061, 'Sembirga', 'P', 'PPL', '04', '', '14.15', '-3.05'),
        row(9600062, 'Tolimbo', 'P', 'PPL', '04', '', '14.6', '-3.6'),
        // A site of Gao region whose name ends like another spelling begins otherwise.
        row(9600063, 'Achakoul', 'L', 'LCTY', '07', '', '16.9', '0.9'),
        // Two sites each a consonant off "Tabarout", far apart.
        row(9600078, 'Tabaroust', 'L', 'LCTY', '07', '', '17.0', '0.5'),
        row(9600079, 'Tabarouft', 'L', 'LCTY', '04', '', '15.0', '-3.0'),
        // Two villages called Dialakoro in the Dozo militias' regions: one far west in Ségou, filed first; one near Djenné.
        row(9600080, 'Dialakoro', 'P', 'PPL', '05', '', '13.0', '-7.0'),
        row(9600081, 'Dialakoro', 'P', 'PPL', '04', '', '13.8', '-4.4'),
        // A hamlet of Niger named like Mali's region of Gao (and its city of 87,000).
        row(9600082, 'Gao', 'P', 'PPL', '06', '', '14.48', '2.71', '0', 'NE'),
        // A name borne by one village in Burkina Faso, filed first, and by two in Mali.
        row(9600064, 'Sarakoye', 'P', 'PPL', '52', '', '13.1', '-1.2', '0', 'BF'),
        row(9600065, 'Sarakoye', 'P', 'PPL', '04', '', '14.7', '-3.2'),
        row(9600066, 'Sarakoye', 'P', 'PPL', '07', '', '16.1', '-0.2'),
        // The region as GeoNames files it, under a name with its kind word.
        [9600046, 'Gao Region', 'Gao Region', 'Gao Region,Region de Gao', '16.5', '0.5', 'A', 'ADM1', 'ML', '', '07', '', '', '', '0', '', '300', 'Africa/Bamako', '2023-10-22'].join('\t'),
      ].join('\n') + '\n',
    );
    const admin1 = join(tmp, 'admin1CodesASCII.txt');
    writeFileSync(admin1, 'ML.12070577\tMénaka\tMenaka\t12070577\nML.07\tGao\tGao\t2457161\nML.04\tMopti\tMopti\t2453347\nML.05\tSégou\tSegou\t2451184\nML.08\tTombouctou\tTombouctou\t2449066\n');
    const admin2 = join(tmp, 'admin2Codes.txt');
    writeFileSync(admin2, 'ML.12070577.8631539\tCercle de Ménaka\tCercle de Menaka\t8631539\nML.04.8299590\tCercle de Douentza\tCercle de Douentza\t8299590\nML.08.8299583\tCercle de Diré\tCercle de Dire\t8299583\nML.07.8631538\tCercle d\'Ansongo\tCercle d\'Ansongo\t8631538\nML.05.8631515\tCercle de Macina\tCercle de Macina\t8631515\nML.04.8299591\tCercle de Youwarou\tCercle de Youwarou\t8299591\nML.07.8631537\tCercle de Bourem\tCercle de Bourem\t8631537\nML.04.7701484\tCercle de Mopti\tCercle de Mopti\t7701484\nML.04.7701494\tCercle de Koro\tCercle de Koro\t7701494\nML.08.8299584\tCercle de Niafunké\tCercle de Niafunke\t8299584\nML.08.8299585\tCercle de Goundam\tCercle de Goundam\t8299585\n');
    const data = join(tmp, 'data');
    importFiles([dump, admin1, admin2], data);
    process.env['SITREP_DATA'] = data;
    // Loaded here, not in the first test: a few seconds on a loaded machine.
    loadGazetteer(data);
  }, 60_000);
  afterAll(() => {
    if (before === undefined) delete process.env['SITREP_DATA'];
    else process.env['SITREP_DATA'] = before;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a city\'s part is coded at the city: "the Tinfey neighbourhood of Ménaka" is Ménaka', () => {
    expect(first('On 4 September 2020, two gunmen killed a trader in the Tinfey neighbourhood of Ménaka.').location).toBe('Ménaka');
  });

  it('"X (near Y)": the namesake of X next to Y; none there: near Y, no unit claimed', () => {
    const e = first('On 9 May 2020, gunmen torched the granaries of the village of Kewa (near Douentza). No casualties.');
    expect(e.admin1).toBe('Mopti');
    expect(e.latitude).toBeCloseTo(15.05, 2);
    expect(e.geo_precision).toBe(1);
    // Neither Kéwa lies near Hombori: the text's own word for where it is wins.
    const far = first('On 9 May 2020, gunmen torched the granaries of the village of Kewa (near Hombori). No casualties.');
    expect(far.location).toBe('Hombori');
    expect(far.geo_basis).toBe('near');
    expect(far.geo_precision).toBe(2);
    expect(far.admin2).toBeNull();
  });

  it('where people come from is not where it happened: "a councillor from X was killed in Y" is in Y', () => {
    const e = first('On 9 May 2020, a former councillor from Douentza was shot dead in Hombori by two men on a motorbike.');
    expect(e.location).toBe('Hombori');
    expect(first('On 9 May 2020, two peacekeepers from Douentza were wounded by an IED near Hombori.').location).toBe('Hombori');
    // From where alone, the origin still places it.
    expect(first('On 9 May 2020, villagers from Hombori were attacked by gunmen. Two were killed.').location).toBe('Hombori');
  });

  it('"in X and Y": the first of the list stands for the event', () => {
    // Douentza, a cercle's seat of 24,000, would win alone against Hombori.
    expect(first('On 9 May 2020, clashes between rival militias were reported in Hombori and Douentza.').location).toBe('Hombori');
    expect(first('On 9 May 2020, clashes between rival militias were reported in Douentza and Hombori.').location).toBe('Douentza');
  });

  it('"near the border with X": the namesake near that country', () => {
    const near = first('On 9 May 2020, gunmen abducted two traders in Wandiam, Mali, close to the Burkina Faso border.');
    expect(near.admin1).toBe('Mopti');
    expect(near.latitude).toBeCloseTo(14.15, 2);
    const r = extractFromArticle(toArticle({ text: 'On 9 May 2020, gunmen abducted two traders in Wandiam, near the Burkinabe border.', published: '2020-12-31' }, 't'), { explain: true });
    const w = r.explain!.places.find((p) => p.text === 'Wandiam')!;
    expect(w.chosen!.features['near_border']).toBeGreaterThan(0);
    // No border said: the larger village.
    expect(first('On 9 May 2020, gunmen abducted two traders in Wandiam, Mali.').admin1).toBe('Ségou');
  });

  it('of villages that answer to the name by another name, the one spelled nearest the text is meant', () => {
    const e = first('On 8 March 2020, soldiers killed two villagers in Kalloumbe, Mali.');
    expect(e.admin1).toBe('Mopti');
    expect(e.latitude).toBeCloseTo(15.02, 2);
  });

  it('"X (Admin2, Admin1)": the last unit is the region, not the cercle named after its seat', () => {
    // Both Toros lie in Mopti region; only one in Koro cercle. Mopti cercle is no stated unit here.
    const e = first('On 28 May 2020, militants attacked the village of Toro (Koro, Mopti). One villager was killed.');
    expect(e.location).toBe('Toro');
    expect(e.latitude).toBeCloseTo(14.2, 1);
    expect(e.admin2).toBe('Koro');
  });

  it('a region abroad does not outvote hamlets of its name where the text\'s other names lie ("in Yoro and Kindi")', () => {
    const e = first('On 29 December 2020, gunmen raided the village of Kindi, a day after an attack on Yoro.');
    expect(e.country).toBe('Mali');
  });

  it('a unit written with its kind word ("Gao Region") is named without it', () => {
    const e = first('On 3 May 2020, a convoy hit a mine near Tinzawaten, Gao Region.');
    expect(e.admin1).toBe('Gao');
  });

  it('a bare village name means the seat of a unit among villages of that name, though its population is blank', () => {
    const e = first('On 12 December 2020, hunters killed a herder in the village of Dioura.');
    expect(e.location).toBe('Dioura');
    expect(e.latitude).toBeCloseTo(14.1, 1);
  });

  it('an actor named like a village ("FAMa", Mali\'s army) is no anchor for the other places of its sentence', () => {
    const e = first('On 14 June 2020, gunmen fired on a FAMa checkpoint in Dioura, wounding a soldier.');
    expect(e.latitude).toBeCloseTo(14.1, 1);
    expect(e.admin1).toBe('Ségou');
  });

  it('two names whose namesakes lie together (a Yoro and a Kindi 12 km apart in Mali) place each other there', () => {
    const e = first('On 28 December 2020, gunmen burned granaries in the village of Yoro; the next day they raided Kindi.');
    expect(e.country).toBe('Mali');
    expect(e.latitude).toBeCloseTo(14.25, 1);
  });

  it('the Bozo live along the Niger in Ségou as in Mopti: a village of Ségou is not taken for a namesake', () => {
    const e = first('On 18 December 2020, gunmen shot a Bozo fisherman on the river bank at Kononi.');
    expect(e.admin1).toBe('Ségou');
    expect(e.location).toBe('Kononi');
  });

  it('a word of an actor\'s name is no loose spelling of a town abroad ("Katiba Macina" votes for no Kataba, Zambia)', () => {
    const text = 'On 29 July 2020, presumed Katiba Macina militants ransacked a town hall near Niono.';
    const { explain } = extractFromArticle(toArticle({ id: 'k', text, published: '2020-12-31' }, 'k'), { explain: true });
    expect(Object.keys(explain!.focus)).not.toContain('ZMB');
  });

  it('a road "X-Y" runs between towns: at the town X, not at its cercle\'s point', () => {
    const e = first('On 3 May 2020, a Malian soldier was killed when his vehicle hit a mine on the Goundam-Timbuktu road.');
    expect(e.location).toBe('Goundam');
    expect(e.geo_precision).toBe(2);
    expect(e.latitude).toBeCloseTo(16.41, 1);
  });

  it('an area "X-Y" spans two places: at the first the gazetteer knows ("the Niafunke-Lere area", "the area of Kamblé-Léré")', () => {
    const e = first('On 5 May 2020, herders were robbed of their cattle in the Niafunke-Lere area.');
    expect(e.location).toBe('Niafunké');
    expect(e.geo_precision).toBe(2);
    const second = first('On 5 May 2020, herders were robbed of their cattle in the area of Kamblé-Léré.');
    expect(second.location).toBe('Léré');
    expect(second.latitude).toBeCloseTo(15.71, 1);
  });

  it('"X, Cercle of Y": Y is the unit X lies in, X the place', () => {
    const e = first('Armed men on motorbikes kidnapped a teacher this morning in Lere, Cercle of Niafunke.');
    expect(e.location).toBe('Léré');
    expect(e.admin2).toBe('Niafunke');
    expect(e.latitude).toBeCloseTo(15.71, 1);
  });

  it('a village of that very name wins over one that has it only among its other names', () => {
    const e = first('On 28 May 2020, militants attacked the village of Soumana, Mali. One villager was killed.');
    expect(e.latitude).toBeCloseTo(14.06, 1);
  });

  it('a village filed under the region a reform carved a new one from lies in the new one when nearer its seat', () => {
    const near = first('On 4 February 2020, gunmen killed the mayor of Andéranboukan in Andéranboukan, Mali.');
    expect(near.location).toBe('Andéranboukan');
    expect(near.admin1).toBe('Ménaka');
    const far = first('On 4 February 2020, gunmen killed the mayor of Kouroukoto in Kouroukoto, Mali.');
    expect(far.admin1).toBe('Gao');
  });

  it('"X, Menaka": a village still filed under Gao but nearer Ménaka\'s seat is inside the stated region, and the event is at it', () => {
    const e = first('On 9 March 2020, gunmen on motorbikes fired on a convoy near Andéranboukan, Menaka, wounding two drivers.');
    expect(e.location).toBe('Andéranboukan');
    expect(e.latitude).toBeCloseTo(15.43, 2);
    expect(e.geo_precision).toBe(2);
  });

  it('a people tied to one country (a country cue) outweighs a hamlet of that name known only abroad', () => {
    const e = first('On 15 September 2020, Dogon militiamen attacked the village of Sinkaribou and seized livestock.');
    expect(e.country).toBe('Mali');
    expect(e.admin1).toBe('Mopti');
  });

  it('of namesakes in a cue\'s region, the one nearer the town its area centres on ("Dogon": Bandiagara)', () => {
    const e = first('On 6 June 2020, Dogon militiamen set fire to granaries in Sogodogo; no one was hurt.');
    expect(e.latitude).toBeCloseTo(14.5, 2);
    // Without the cue, the first filed.
    expect(first('On 6 June 2020, gunmen set fire to granaries in Sogodogo, Mali; no one was hurt.').latitude).toBeCloseTo(15.3, 2);
  });

  it('a village known only just across the border has a twin on this side: the nearest point of the country, near it', () => {
    const e = first('On 3 June 2020, gunmen fired on a truck of traders at Djibassogou, Mali; two traders died.');
    expect(e.country).toBe('Mali');
    expect(e.location).toBe('Djibassogou');
    expect(e.geo_basis).toBe('near');
    expect(e.geo_precision).toBe(2);
    expect(loadAdmin1Shapes().at(e.latitude!, e.longitude!, 0)?.iso2).toBe('ML');
    expect(haversineKm(e.latitude!, e.longitude!, 14.45, -0.95)).toBeLessThan(60);
    // With a district stated: a twin only when the district's point is the region's nearest to it.
    const stated = first('On 3 June 2020, gunmen fired on a truck of traders at Djibassogou (Douentza, Mopti); two traders died.');
    expect(stated.geo_basis).toBe('near');
    expect(stated.admin2).toBe('Douentza');
    const other = first('On 3 June 2020, gunmen fired on a truck of traders at Djibassogou (Koro, Mopti); two traders died.');
    expect(other.geo_basis).toBe('admin2');
    expect(other.admin2).toBe('Koro');
    // A namesake far from the border is no twin.
    const far = first('On 3 June 2020, gunmen fired on a truck of traders at Kaboussogo, Mali; two traders died.');
    expect(far.geo_basis).not.toBe('near');
    expect(haversineKm(far.latitude!, far.longitude!, 12.9, -1.2)).toBeGreaterThan(60);
  });

  it('an unknown place of a cue\'s area stands at the town its area centres on, not at the region\'s seat', () => {
    // Mopti town (14.49, -4.19), the region's seat, lies in the Niger's floodplain; Dogon country is
    // the Bandiagara plateau and the plain below it, with Sanga (14.46, -3.31) at its heart: the
    // imported village is preferred to Bandiagara (14.35, -3.61), which stands in without an import.
    const e = first('On 2 March 2020, gunmen attacked a Dogon hamlet and burned granaries. One herder was killed.');
    expect(e.country).toBe('Mali');
    expect(e.admin1).toBe('Mopti');
    expect(e.admin2).toBeNull();
    expect(e.geo_precision).toBe(3);
    expect(e.location).toBe('Sanga');
    expect(e.longitude).toBeCloseTo(-3.31, 1);
    // A cue without such a town keeps its region's seat: the Bozo, fishers of the Niger, at Mopti.
    const bozo = first('On 2 March 2020, gunmen attacked Bozo fishermen and seized their canoes.');
    expect(bozo.admin1).toBe('Mopti');
    expect(bozo.longitude).toBeCloseTo(-4.19, 1);
    // The Dawsahak, herders of the Ménaka region.
    const dawsahak = first('On 2 March 2020, gunmen raided a Dawsahak camp and took two men away.');
    expect(dawsahak.admin1).toBe('Ménaka');
    // Dozo hunters' militias, of Mali's centre: an unknown village of theirs is in Mopti, at Djenné, not at the capital.
    const dozo = first('On 2 March 2020, Dozo hunters shot two cattle herders near their camp.');
    expect(dozo.country).toBe('Mali');
    expect(dozo.admin1).toBe('Mopti');
    expect(dozo.geo_precision).toBe(3);
    expect(dozo.longitude).toBeCloseTo(-4.55, 1); // Djenné (GeoNames: Djénné)
  });

  it('Bambara militias are of Mali\'s centre: of namesakes, the one in Mopti or Ségou; but not in a place named after them', () => {
    const e = first('On 8 August 2020, Bambara militiamen burned the huts of Fulani herders in Mambasso.');
    expect(e.admin1).toBe('Ségou');
    // Without the cue, neither is preferred to the other for that reason.
    expect(first('On 8 August 2020, gunmen burned the huts of herders in Mambasso, Mali.').admin1).not.toBe('Ségou');
    // "40 km north of Bambara Maoudé": the people's name inside a place's name votes for no region.
    const named = first('On 8 August 2020, gunmen burned the huts of herders in Mambasso, 40 km north of Bambara Maoudé.');
    expect(named.admin1).not.toBe('Ségou');
  });

  it('a region whose seat is a city of 50,000+ keeps its name though another of the text\'s places lies in a hamlet\'s country ("near Gao ... toward Ayorou")', () => {
    const e = first('On 3 June 2020, gunmen shot three traders near Gao; the survivors fled toward Ayorou.');
    expect(e.country).toBe('Mali');
    expect(e.admin1).toBe('Gao');
  });

  it('of namesakes in the Dozo militias\' regions, the one nearer Djenné, where their area centres', () => {
    expect(first('On 9 August 2020, Dozo hunters burned the granaries of Fulani herders at Dialakoro.').latitude).toBeCloseTo(13.8, 2);
    // Without the cue, the one filed first.
    expect(first('On 9 August 2020, gunmen burned the granaries of herders at Dialakoro, Mali.').latitude).toBeCloseTo(13.0, 2);
  });

  it('a people\'s name is no place, though villages bear it, under an exact or a loose spelling', () => {
    const dogon = first('On 15 September 2020, gunmen attacked the Dogon village of Kerou and killed two women.');
    expect(dogon.location).not.toBe('Dogon');
    expect(dogon.admin1).toBe('Mopti');
    const peulh = first('On 15 September 2020, Dozo militiamen attacked the Peulhs of a camp near Macina and seized livestock.');
    expect(peulh.country).toBe('Mali');
    expect(peulh.location).not.toMatch(/^Peulh/);
  });

  it('"between X (Admin2, Admin1) and Y (...)": X is the town that seats its district, not the district itself', async () => {
    const { extractFromArticle } = await import('../../src/pipeline/extract.js');
    const { toArticle } = await import('../../src/ingest/read.js');
    const text = 'On 3 May 2020, Dozo militiamen abducted two herders between Youwarou (Youwarou, Mopti) and Boni (Douentza, Mopti).';
    const r = extractFromArticle(toArticle({ text, published: '2020-12-31' }, 't'), { explain: true });
    const x = r.explain!.places.find((p) => p.text === 'Youwarou' && p.relation === 'between')!;
    expect(x.chosen!.level).toBe('town');
    const unit = x.candidates.find((c) => c.level === 'admin2')!;
    expect(unit.features['own_unit']).toBeLessThan(0);
    const e = r.events[0]!;
    expect(e.location).toBe('Youwarou');
    expect(e.geo_basis).toBe('between');
    expect(e.latitude).toBeCloseTo(15.39, 2);
  });

  it('"on the road between X (units) and Y": X stands for it, however far Y is', () => {
    const e = first('On 17 November 2020, a MINUSMA vehicle struck an IED on the road between Tinzawaten (Bourem, Gao) and Gao.');
    expect(e.location).toBe('Tinzawaten');
    expect(e.admin1).toBe('Gao');
    expect(e.geo_precision).toBe(2);
    expect(e.latitude).toBeCloseTo(17.75, 2);
  });

  it('among namesake villages, the one where the text\'s armed group operates (data/actors.json areas)', () => {
    const e = first('On 24 April 2020, Katiba Serma militants killed a trader in Boni, Mali.');
    expect(e.admin1).toBe('Mopti');
    expect(e.latitude).toBeCloseTo(15.08, 2);
    const other = first('On 24 April 2020, unknown gunmen killed a trader in Boni, Mali.');
    expect(other.latitude).toBeCloseTo(13.6, 1); // the larger Boni, in Ségou
    // With no place named, where the group's operations in its first region centre: Katiba Serma's by Boni.
    const serma = first('On 24 April 2020, Katiba Serma militants took a herder away from his camp.');
    expect(serma.location).toBe('Boni');
    expect(serma.latitude).toBeCloseTo(15.08, 2);
    expect(serma.geo_precision).toBe(3);
    // Else the first region where the group operates, precision 3: the Platform's is Gao.
    const platform = first('On 24 April 2020, Plateforme militiamen exchanged fire with unidentified gunmen; one militiaman died.');
    expect(platform.country).toBe('Mali');
    expect(platform.admin1).toBe('Gao');
    expect(platform.geo_precision).toBe(3);
  });

  it('a stated district\'s present region wins over the region GeoNames files the village under', () => {
    const e = first('On 1 October 2020, an airstrike hit a vehicle carrying militants in Ouzeinou (Ansongo, Gao). Three militants were killed.');
    expect(e.location).toBe('Ouzeinou');
    expect(e.admin1).toBe('Gao');
  });

  it('a region\'s possessive states the region ("Tombouctou\'s Kouroukoto"), as "Kouroukoto (Tombouctou)" would', () => {
    const e = first("On 1 October 2020, gunmen killed two traders in Tombouctou's Kouroukoto area.");
    expect(e.location).toBe('Kouroukoto');
    expect(e.admin1).toBe('Tombouctou');
  });

  it('a known village that only begins the name stated before the units gives way to the whole name', () => {
    const e = first('On 6 December 2020, gunmen attacked farmers in Ngoma Coura K23 (Macina, Segou). Three farmers were killed.');
    expect(e.location).toBe('Ngoma Coura K23');
    expect(e.admin2).toBe('Macina');
    expect(e.geo_precision).toBe(2);
    // A kind word after the known name keeps the known place.
    const kind = first('On 6 December 2020, gunmen attacked farmers in Ngoma Market (Macina, Segou). Three farmers were killed.');
    expect(kind.location).not.toBe('Ngoma Market');
  });

  it('every name of a list takes the units stated after the list', () => {
    const e = first('On 19 July 2020, JNIM militants kidnapped a trader between Boni and Douentza (Douentza, Mopti).');
    expect(e.location).toBe('Boni');
    expect(e.admin1).toBe('Mopti');
    expect(e.latitude).toBeCloseTo(15.08, 2);
    expect(e.geo_precision).toBe(2);
    expect(e.geo_basis).toBe('between');
  });

  it('"Menaka (Gao)": a name that a region now bears, with its old region stated, is the town, in its present region', () => {
    const e = first('On 6 April 2020, unknown gunmen opened fire on a National Guard vehicle in Menaka (Gao), killing one soldier.');
    expect(e.location).toBe('Ménaka');
    expect(e.admin1).toBe('Menaka');
    expect(e.geo_precision).toBe(1);
  });

  it('"in Dire": the town that seats the district of its name, precision 1; "(Dire, Tombouctou)" is the district', () => {
    const e = first('On July 6, unknown gunmen attacked a Malian army checkpoint in Dire and killed two soldiers.');
    expect(e.location).toBe('Diré');
    expect(e.latitude).toBeCloseTo(16.28, 2);
    expect(e.geo_precision).toBe(1);
    expect(e.admin2).toBe('Dire'); // the unit as the text spells it
    const unit = first('On July 6, unknown gunmen attacked a checkpoint in Tinagouma (Dire, Tombouctou) and killed two militiamen.');
    expect(unit.location).toBe('Tinagouma');
    expect(unit.admin2).toBe('Dire');
    expect(unit.geo_precision).toBe(2);
  });

  it('"in Macina" is the seat of Macina cercle (Ké-Macina), and so is the point of "(Macina, Segou)"', () => {
    const e = first('On 5 May 2020, gunmen attacked the market in Macina, killing two traders, Malian officials said.');
    expect(e.latitude).toBeCloseTo(13.964, 2);
    expect(e.geo_precision).toBe(1);
    const unknown = first('On 5 May 2020, gunmen attacked the market in Tiébougou (Macina, Segou), killing two traders.');
    expect(unknown.location).toBe('Tiébougou');
    expect(unknown.latitude).toBeCloseTo(13.964, 2);
    expect(unknown.geo_precision).toBe(2);
  });

  it('a village with no first-level code gets the unit whose polygon holds it', () => {
    const e = first('On 3 May 2020, gunmen killed two herders in Sofara Peulh.');
    expect(e.location).toBe('Sofara Peulh');
    expect(e.admin1).toBe('Mopti');
  });

  it('a namesake near the other places of its sentence wins ("near Boni on the road toward Hombori")', () => {
    const e = first('On 21 July 2020, unknown gunmen ambushed an NGO vehicle near Boni on the road toward Hombori.');
    expect(e.location).toBe('Boni');
    expect(e.admin1).toBe('Mopti');
    expect(e.latitude).toBeCloseTo(15.08, 2);
  });

  it('a district now in a new region gives that region, though the text names the old one', () => {
    const e = first('On 28 May 2020, unknown gunmen killed two merchants in Tinabaw (Menaka, Gao).');
    expect(e.location).toBe('Tinabaw');
    expect(e.geo_precision).toBe(1);
    expect(e.admin1).toBe('Menaka'); // the current region, spelled as the text spells it
    expect(e.admin2).toBe('Menaka');
    const unknown = first('On 28 May 2020, unknown gunmen killed two merchants in Inagozaren (Menaka, Gao).');
    expect(unknown.location).toBe('Inagozaren');
    expect(unknown.admin1).toBe('Menaka');
    expect(unknown.latitude).toBeCloseTo(15.918, 2); // at Ménaka town, the seat of its cercle
    expect(unknown.geo_precision).toBe(2);
  });

  it('a village is found under another name of its that differs from the text in vowels only, however far its own name', () => {
    const e = first('On 2 June 2020, gunmen shot a herder in Tassoumaye, Mali.');
    expect(e.latitude).toBeCloseTo(16.2, 2);
    expect(e.admin1).toBe('Gao');
    expect(e.geo_precision).toBe(1);
  });

  it('a commune between a village and its units passes them on: "X in Y Commune (Koro, Mopti)", "X, Y Commune (Koro, Mopti)"', () => {
    // Y unknown to the gazetteer, with a number: the Toro of Koro cercle, not the larger one of Mopti's.
    const unknown = first('On 20 July 2020, armed men looted granaries at the hamlet of Toro in Dinangourou 1 Commune (Koro, Mopti) and took cattle.');
    expect(unknown.latitude).toBeCloseTo(14.2, 2);
    // Y a village known under a loose spelling, with the commune's number.
    const numbered = first('On 20 July 2020, armed men looted granaries at the hamlet of Toro in Dioungani 1 Commune (Koro, Mopti) and took cattle.');
    expect(numbered.latitude).toBeCloseTo(14.2, 2);
    // Y known as a village only: the kind word after it makes it a unit.
    const known = first('On 20 July 2020, armed men looted granaries at the hamlet of Toro in Kindi Commune (Koro, Mopti) and took cattle.');
    expect(known.latitude).toBeCloseTo(14.2, 2);
    // X unknown: placed at the commune's village filed under the district, precision 2.
    const stated = first('On 20 July 2020, armed men looted granaries at the hamlet of Sabere Kanda, Kindi Commune (Koro, Mopti) and took cattle.');
    expect(stated.location).toBe('Sabere Kanda');
    expect(stated.admin2).toBe('Koro');
    expect(stated.geo_precision).toBe(2);
    expect(stated.latitude).toBeCloseTo(14.3, 2);
  });

  it('"X & Y (units)": an ampersand joins a list as "and" does', () => {
    const e = first('On 20 July 2020, an IED hit a truck on the road between Toro & Kindi (Koro, Mopti); the driver died.');
    expect(e.latitude).toBeCloseTo(14.2, 2);
    expect(e.geo_basis).toBe('between');
  });

  it('a text that names no country: of the imported countries, the one with more places of the name', () => {
    expect(first('On 3 June 2020, gunmen shot at herders watering cattle at Sarakoye.').country).toBe('Mali');
  });

  it('a text that names no country: a loose spelling of an imported village places the event there, as the exact name would', () => {
    // "Kourokoto" for the imported Kouroukoto (Gao); nothing else in the text says where.
    const e = first('On 3 June 2020, unknown gunmen wounded a mechanic and took his motorbike in Kourokoto.');
    expect(e.country).toBe('Mali');
    expect(e.location).toBe('Kourokoto');
    expect(e.latitude).toBeCloseTo(15.66, 2);
  });

  it('a loose spelling of an imported village of two consonants only where the text places it, and never for a demonym', () => {
    const e = first('On 3 June 2020, gunmen burned the granaries of the village of Tilaye and took two men away.');
    expect(e.location).toBe('Tilaye');
    expect(e.latitude).toBeCloseTo(16.1, 2);
    // A person's name of two consonants is no village: "Tilaye" named alone, the event at Gao.
    const person = first('On 3 June 2020, the mayor, Tilaye, was wounded when a bomb went off in Gao, Mali.');
    expect(person.location).toBe('Gao');
    // "Guinean" (of Guinea, Guinea-Bissau or Equatorial Guinea) is a people's word, not a loose spelling of Guinian.
    const text = 'On 3 June 2020, men in Guinean army fatigues fired on a convoy near Gao; one of them died.';
    const { explain } = extractFromArticle(toArticle({ id: 'g', text, published: '2020-12-31' }, 'g'), { explain: true });
    expect(explain!.places.map((p) => p.text)).toEqual(['Gao']);
  });

  it('a spelling a consonant off an imported village is taken where the text names its region, or calls it a place and it has no other', () => {
    const named = first('On 2 June 2020, gunmen looted a truck in Amassirat, Gao Region, Mali.');
    expect(named.latitude).toBeCloseTo(17.2, 2);
    expect(named.geo_precision).toBe(1);
    // Without the region: the only village a consonant off, where the text calls the name a place ("in X").
    const alone = first('On 2 June 2020, gunmen looted a truck in Amassirat, Mali.');
    expect(alone.latitude).toBeCloseTo(17.2, 2);
    // Not where the name is no place's ("Amassirat traders"), nor where two villages are a consonant off.
    const notPlaced = first('On 2 June 2020, gunmen robbed Amassirat traders of their camels, Mali.');
    expect(notPlaced.latitude).not.toBeCloseTo(17.2, 2);
    // Nor where the text's other names lie in another country only: no Malian candidate at all.
    const abroad = 'On 2 June 2020, gunmen looted a truck in Amassirat, in Chad.';
    const { explain } = extractFromArticle(toArticle({ id: 'a', text: abroad, published: '2020-12-31' }, 'a'), { explain: true });
    expect(explain!.places.filter((p) => p.text === 'Amassirat').flatMap((p) => p.candidates.map((c) => c.iso3))).not.toContain('MLI');
    const two = first('On 2 June 2020, gunmen looted a truck in Tabarout, Mali.');
    expect([17.0, 15.0].some((lat) => Math.abs(two.latitude! - lat) < 0.01)).toBe(false);
    // A unit's name ("Kelbiri Commune") is no village a consonant off, its region named or not.
    const commune = first('On 2 June 2020, gunmen looted a truck in Kelbiri Commune, Mopti Region, Mali.');
    expect(commune.latitude).not.toBeCloseTo(14.5, 2);
    // Units stated for the name: a variant inside them, near the district's point if it has no district code.
    expect(first('On 2 June 2020, gunmen set fire to granaries at Sembiga (Koro, Mopti), Mali.').latitude).toBeCloseTo(14.15, 2);
    expect(first('On 2 June 2020, gunmen set fire to granaries at Tolibo (Koro, Mopti), Mali.').latitude).not.toBeCloseTo(14.6, 2);
    // Its first letter as written: "Hakoul" is no "Achakoul".
    expect(first('On 2 June 2020, gunmen looted a truck in Hakoul, Gao Region, Mali.').latitude).not.toBeCloseTo(16.9, 2);
    // Nor a people's: "the X community".
    const people = first('On 2 June 2020, two herders of the Amassirat community were shot in Gao Region, Mali.');
    expect(people.latitude).not.toBeCloseTo(17.2, 2);
  });
});

describe('--explain', () => {
  it('shows, per mention, whether the gazetteer knows it, the units the text states, and the features that chose', async () => {
    const { extractFromArticle } = await import('../../src/pipeline/extract.js');
    const { toArticle } = await import('../../src/ingest/read.js');
    const r = extractFromArticle(toArticle({ text: 'On 29 December 2020, ISGS militants attacked the village of Marsiwaye (Gao, Gao) near Ansongo.', published: '2020-12-31' }, 't'), { explain: true });
    const unknown = r.explain!.places.find((p) => p.text === 'Marsiwaye')!;
    expect(unknown.unresolved).toBe(true);
    expect(unknown.stated_units).toEqual(['Gao', 'Gao']);
    expect(unknown.candidates).toEqual([]);
    const gao = r.explain!.places.find((p) => p.text === 'Gao')!;
    expect(gao.unresolved).toBe(false);
    expect(Object.keys(gao.chosen!.features)).toEqual(expect.arrayContaining(['in_focus_country', 'population']));
  });
});

describe("a coder's note of the place", () => {
  it('"(coded as Y at geoprecision 2)" places the event at Y, not at the place named first', () => {
    const e = first('On 5 May 2020, gunmen attacked the village of Kabara (coded as Timbuktu at geoprecision 2), Mali.');
    expect(e.location).toBe('Timbuktu');
    // "coded at approximate location as Y", "coded as approximate location in Y".
    for (const note of ['geocoded at an approximate location, as Goundam', 'coded to an approximate location in Goundam', 'coded at approximate in Goundam']) {
      expect(first(`On 5 May 2020, two herders were found dead 30 km west of Timbuktu (${note}, precision 2), Mali.`).location).toBe('Goundam');
    }
  });
});
