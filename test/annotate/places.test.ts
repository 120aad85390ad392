import { describe, expect, it } from 'vitest';
import { annotatePlaces, isUpperCaseText } from '../../src/annotate/places.js';

describe('annotatePlaces', () => {
  it('finds towns, regions and countries with their country', () => {
    const t = 'Fighting broke out near Ténenkou in the Mopti region of Mali.';
    const ps = annotatePlaces(t);
    const byText = new Map(ps.map((p) => [p.text, p]));
    expect(byText.get('Ténenkou')?.candidates[0]?.iso3).toBe('MLI');
    expect(byText.get('Ténenkou')?.relation).toBe('near');
    expect(byText.get('Mopti')?.candidates[0]?.level).toBe('admin1');
    expect(byText.get('Mali')?.candidates[0]?.level).toBe('country');
  });

  it('maps demonyms to countries', () => {
    const ps = annotatePlaces('Burkinabe and Malian soldiers patrolled with Nigerien troops.');
    expect(ps.map((p) => `${p.via}:${p.candidates[0]?.iso3}`)).toEqual(['demonym:BFA', 'demonym:MLI', 'demonym:NER']);
  });

  it('reads "As", "At", "An" written apart from a name as English, and the name alone', () => {
    const show = (t: string) => annotatePlaces(t).map((p) => `${p.text}:${p.candidates[0]?.iso3}`);
    // Not "As Syrian" (Surian, Indonesia), "An American" (Americana, Brazil) or "At Gao".
    expect(show('As Syrian troops advanced, an Iraqi drone struck.')).toEqual(['Syrian:SYR', 'Iraqi:IRQ']);
    expect(show('An American drone struck a convoy.')).toEqual(['American:USA']);
    expect(show('At Gao, gunmen fired on a patrol.')).toEqual(['Gao:MLI']);
    // In capitals too ("AS WELL" was a place in the Netherlands).
    expect(show('THE ARMY AS WELL AS THE POLICE ARRIVED AT HUANCAYO.').map((m) => m.split(':')[0])).toEqual(['HUANCAYO']);
    // The Arabic article joined by a hyphen is still the name's.
    expect(show('Shelling hit as-Sulaymaniyah.')).toEqual(['as-Sulaymaniyah:IRQ']);
  });

  it('reads the news\'s abbreviations of first-level units ("J&K", "AJK", "KPK"), as written only', () => {
    const show = (t: string) => annotatePlaces(t).map((p) => `${p.text}:${p.candidates[0]?.name}`);
    expect(show('Shells landed near a school in Rajouri district, J&K, at dawn.')).toContain('J&K:Jammu and Kashmir');
    expect(show('Two policemen were shot in Bannu (KPK).')).toContain('KPK:Khyber Pakhtunkhwa');
    expect(show('A bus fell into a river in Neelum valley, AJK.')).toContain('AJK:Azad Kashmir');
    // Not inside another word, nor in another case.
    expect(show('The AJKX party met the kpk delegation.').filter((m) => m.startsWith('AJK') || m.startsWith('kpk'))).toEqual([]);
  });

  it('gives a demonym a country shares with its dependencies to the country', () => {
    // world-countries lists "French" for the French Southern Lands before France, "Dutch" for Bonaire.
    const ps = annotatePlaces('Officers of four armies (French, Dutch, Indian and American) trained the recruits.');
    expect(ps.map((p) => `${p.via}:${p.candidates[0]?.iso3}`)).toEqual(['demonym:FRA', 'demonym:NLD', 'demonym:IND', 'demonym:USA']);
  });

  it('does not take common capitalised words for places', () => {
    const ps = annotatePlaces('Police said Security was tight. Union leaders met the President.');
    expect(ps).toHaveLength(0);
  });

  it('takes a short word in capitals in mixed-case text for an acronym, unless it is a country', () => {
    // Ngo is a village of Cameroon (Ied one of Pakistan); the DRC stays a country.
    const ps = annotatePlaces('Gunmen robbed an NGO convoy between Gao and Ansongo; an IED hit a truck bound for the DRC.');
    expect(ps.map((p) => p.text)).toEqual(['Gao', 'Ansongo', 'DRC']);
    expect(ps.find((p) => p.text === 'DRC')?.candidates[0]?.iso3).toBe('COD');
  });

  it('reads a road written "X-Y" as its two ends, between which the event lies', () => {
    const ps = annotatePlaces('An IED struck a MINUSMA convoy on the axis Gao-Ansongo. Another hit the Mopti-Bandiagara road.');
    expect(ps.map((p) => [p.text, p.relation])).toEqual([['Gao', 'between'], ['Ansongo', 'between'], ['Mopti', 'between'], ['Bandiagara', 'between']]);
    expect(ps[1]!.start).toBe('An IED struck a MINUSMA convoy on the axis Gao-'.length);
    // A hyphenated name that is no road stays one word: "Ké-Macina" is known as written, "Gouma-Coura" is not split.
    expect(annotatePlaces('Militants attacked Gouma-Coura and Ké-Macina.').map((p) => p.text)).toEqual(['Ké-Macina']);
  });

  it('reads a given name before "Ag" or "Ould" as a person\'s name, not a place', () => {
    const ps = annotatePlaces('Gunmen shot dead officer Baba Ag Adobent in Kidal; Mohamed Ould Gao was unhurt.');
    expect(ps.map((p) => p.text)).toEqual(['Kidal']);
    // Written in lower case, as notes often do: "Baba ould cheikh", "Alghabass ag Intalla".
    expect(annotatePlaces('Brahim ould cheikh, the mayor of Kidal, and Ali ag intalla were abducted.').map((p) => p.text)).toEqual(['Kidal']);
  });

  it('takes a common word for a place after "between" and in a coder\'s note ("coded as Bale"), not elsewhere', () => {
    const found = (t: string) => annotatePlaces(t).filter((p) => p.text === 'Bale').length;
    expect(found('Militants killed three marketgoers near Kourkanda (coded as Bale at geoprecision 2).')).toBe(1);
    expect(found('Militants killed three marketgoers between Bale and Kourkanda.')).toBe(1);
    expect(found('Militants burned a Bale of hay near Kourkanda.')).toBe(0);
  });

  it('reads the name after "operation" as the operation\'s ("operation \'Panga\'"), not a place', () => {
    expect(annotatePlaces("As a follow-up of operation 'Panga', French airstrikes hit militants near Gao.").map((p) => p.text)).toEqual(['Gao']);
  });

  it('reads upper-case wire copy', () => {
    const t = 'GUERRILLAS ATTACKED A BRIDGE NEAR SAN MIGUEL IN EL SALVADOR LAST NIGHT.';
    expect(isUpperCaseText(t)).toBe(true);
    const ps = annotatePlaces(t);
    expect(ps.some((p) => p.text === 'EL SALVADOR' && p.candidates[0]?.iso3 === 'SLV')).toBe(true);
    expect(ps.some((p) => p.text === 'SAN MIGUEL' && p.relation === 'near')).toBe(true);
  });

  it('in capitals, reads a given name or a title and the words after it as a person, and the surname alone later too', () => {
    // Pizarro is a Colombian town, Ortega one of Colombia and García one of Spain and Mexico: here they are people.
    const t = 'POLICE SAID THAT LUIS ORTEGA AND GEN HUMBERTO PIZARRO WERE WOUNDED WHEN A BOMB WENT OFF IN MEDELLIN. ORTEGA WAS TAKEN TO A HOSPITAL BY MSGR RICARDO GARCIA.';
    expect(annotatePlaces(t).map((p) => p.text)).toEqual(['MEDELLIN']);
    // A place after a given name stays a place: a multi-word name begins at it or covers it.
    expect(annotatePlaces('REBELS ATTACKED SANTA ROSA DE OSOS AND SAN SALVADOR SOYAPANGO BARRACKS.').map((p) => p.text)).toEqual(expect.arrayContaining(['SANTA ROSA DE OSOS', 'SAN SALVADOR']));
    // Mixed case goes by capitals, as before: "Santiago" is a place alone.
    expect(annotatePlaces('Protesters marched in Santiago on Monday.').map((p) => p.text)).toEqual(['Santiago']);
  });

  it('takes a river or lake named like a country ("the Niger river", "Lake Chad") for no sign of that country', () => {
    const show = (t: string) => annotatePlaces(t).map((p) => `${p.text}:${p.candidates[0]?.level}`);
    expect(show('A pinasse carrying traders on the Niger river was fired upon near Mopti.')).toEqual(['Mopti:admin1']);
    expect(show('Fishermen from the islands of Lake Chad fled to Baga; Chad closed its border.')).toEqual(['Baga:town', 'Chad:country']);
  });

  it('takes the place name of a street ("SAN ANTONIO ABAD STREET", "Baghdad Street") for no place', () => {
    expect(annotatePlaces('A BOMB WENT OFF IN A WAREHOUSE ON SAN ANTONIO ABAD STREET IN SAN SALVADOR.').map((p) => p.text)).toEqual(['SAN SALVADOR']);
    expect(annotatePlaces('Shops on Baghdad Street in Damascus were closed; Baghdad itself was calm.').map((p) => p.text)).toEqual(['Damascus', 'Baghdad']);
  });

  it('reads a unit\'s name after its qualifier under a loose spelling ("Lower Shabelle" for GeoNames\' Lower Shabeelle)', () => {
    const ps = annotatePlaces('Two soldiers were wounded by a roadside bomb in Qoryooley district, Lower Shabelle, on Sunday.');
    const unit = ps.find((p) => p.text === 'Lower Shabelle');
    expect(unit?.candidates[0]?.level).toBe('admin1');
    expect(unit?.candidates[0]?.iso3).toBe('SOM');
  });

  it('takes no letter alone for a place, nor in capitals an abbreviated month', () => {
    expect(annotatePlaces('BOGOTA, 15 NOV 89 -- THE U.S. EMBASSY WAS CLOSED.').map((p) => p.text)).toEqual(['BOGOTA']);
  });

  it('marks "between X and Y"', () => {
    const t = 'on the road between Mopti and Djenné';
    const ps = annotatePlaces(t);
    expect(ps.map((p) => p.relation)).toEqual(['between', 'between']);
  });

  it('slices exactly', () => {
    const t = 'Clashes in Kidal, Gao and Ménaka.';
    for (const p of annotatePlaces(t)) expect(t.slice(p.start, p.end)).toBe(p.text);
  });
});

describe('compass words', () => {
  it('"North-East Kidal": the compass word is no town of its own (North East, Pennsylvania), nor part of the name', () => {
    const texts = annotatePlaces('Gunmen attacked a water point in North-East Kidal on Sunday.').map((p) => p.text);
    expect(texts).toContain('Kidal');
    expect(texts).not.toContain('North-East');
  });
});

describe('one name, one place', () => {
  it('once the text calls X a village, its other mentions are not the region of that name', () => {
    const ms = annotatePlaces('Gunmen attacked the village of Yoro on Sunday. Three people were killed in Yoro and two more near Yoro.');
    const yoro = ms.filter((m) => m.text === 'Yoro');
    expect(yoro).toHaveLength(3);
    for (const m of yoro) expect(m.candidates.every((c) => c.level === 'town')).toBe(true);
    // Without the village, the department stays a candidate.
    const alone = annotatePlaces('Three people were killed in Yoro on Sunday.').find((m) => m.text === 'Yoro');
    expect(alone?.candidates.some((c) => c.level === 'admin1')).toBe(true);
  });
});
