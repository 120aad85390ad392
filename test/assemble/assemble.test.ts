/**
 * Assembly through the pipeline, on sentences the project wrote: ACLED type and sub-type, actors by
 * role, background, separate incidents, dates, places and evidence.
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/pipeline/extract.js';

const events = (text: string, published = '2023-03-10') => extractArticle({ id: 't', text, published }).events;
const first = (text: string, published?: string) => {
  const e = events(text, published)[0];
  expect(e, `no event for: ${text}`).toBeDefined();
  return e!;
};

describe('ACLED event types', () => {
  const cases: [string, string, string][] = [
    ['Soldiers clashed with JNIM militants near Diafarabé in the Mopti region on Tuesday, killing four.', 'Battles', 'Armed clash'],
    ['A roadside bomb exploded under a bus near Hombori on Monday, killing three passengers.', 'Explosions/Remote violence', 'Remote explosive/landmine/IED'],
    ['A drone strike hit a vehicle near Jilib in Somalia on Wednesday, killing two Al Shabaab fighters.', 'Explosions/Remote violence', 'Air/drone strike'],
    ['Gunmen attacked the village of Koro in Mali on Sunday and killed six villagers.', 'Violence against civilians', 'Attack'],
    ['Gunmen kidnapped two aid workers near Gao, Mali, on Thursday.', 'Violence against civilians', 'Abduction/forced disappearance'],
    ['Hundreds of protesters marched peacefully through Bamako on Saturday to demand higher wages.', 'Protests', 'Peaceful protest'],
    ['Police fired tear gas to disperse protesters in Niamey, Niger, on Monday.', 'Protests', 'Protest with intervention'],
    ['Rioters burned tires and threw stones at police in Dakar, Senegal, on Friday.', 'Riots', 'Violent demonstration'],
    ['Government forces shelled the town of Saraqib in Syria on Tuesday.', 'Explosions/Remote violence', 'Shelling/artillery/missile attack'],
    ['A suicide bomber blew himself up at a checkpoint in Kabul, Afghanistan, on Monday, killing five policemen.', 'Explosions/Remote violence', 'Suicide bomb'],
    ['Militants looted shops and burned granaries in the village of Tessit, Mali, on Tuesday.', 'Strategic developments', 'Looting/property destruction'],
  ];
  for (const [text, type, sub] of cases) {
    it(`${type} / ${sub}`, () => {
      const e = first(text);
      expect([e.event_type, e.sub_event_type]).toEqual([type, sub]);
    });
  }
});

describe('actors', () => {
  it('puts the victims of violence against civilians in actor2', () => {
    const e = first('Gunmen attacked the village of Koro in Mali on Sunday and killed six villagers.');
    expect(e.actor2).toBe('Civilians (Mali)');
    expect(e.inter2).toBe(7);
    expect(e.actor1).toBe('Unidentified Armed Group (Mali)');
    expect(e.interaction).toBe(37);
  });

  it('names both sides of a battle and keeps associated forces', () => {
    const e = first('JNIM militants ambushed Malian soldiers and Wagner Group mercenaries near Ténenkou on Tuesday, killing nine soldiers.');
    expect([e.actor1, e.actor2]).toEqual(['JNIM: Group for Support of Islam and Muslims', 'Military Forces of Mali']);
    expect(e.assoc_actor_2).toContain('Wagner Group');
  });
});

describe('background and separate incidents', () => {
  it('makes no event of history', () => {
    expect(events('Since 2012, Mali has suffered from jihadist attacks that have killed thousands.')).toHaveLength(0);
    expect(events('The colonels came to power in a coup in 2020.')).toHaveLength(0);
  });

  it('splits a separately reported incident into its own event', () => {
    const text =
      'Gunmen killed three civilians in the village of Boni, Mali, on Monday. In a separate attack, a roadside bomb killed two soldiers near Gao on Tuesday.';
    const es = events(text);
    expect(es).toHaveLength(2);
    expect(es.map((e) => e.event_date)).toEqual(['2023-03-06', '2023-03-07']);
  });

  it('takes the country from the background when nothing else names one', () => {
    const e = first('On 4 June 2020, gunmen beheaded a herdsman near the market. Villagers say he had sheltered an injured Malian soldier after an ambush in August 2019.', '2020-12-31');
    expect(e.event_date).toBe('2020-06-04');
    expect(e.country).toBe('Mali');
    // Without the geoparser too.
    expect(extractArticle({ id: 't', text: 'On 4 June 2020, gunmen beheaded a herdsman near the market. Villagers say he had sheltered an injured Malian soldier after an ambush in August 2019.', published: '2020-12-31' }, 't', { geoparse: false }).events[0]?.country).toBe('Mali');
  });

  it('makes no event of generic talk of violence', () => {
    expect(events('The president said the war against terrorism would go on and that attacks must stop.')).toHaveLength(0);
  });
});

describe('dates, places and evidence', () => {
  it('resolves a weekday against the publication date with day precision', () => {
    const e = first('Gunmen killed two herders near Niono, Mali, on Tuesday.', '2023-01-12');
    expect([e.event_date, e.time_precision]).toEqual(['2023-01-10', 1]);
  });

  it('gives "near X" geo precision 2 and a region alone precision 3', () => {
    expect(first('Gunmen killed two herders near Niono, Mali, on Tuesday.').geo_precision).toBe(2);
    const region = first('Gunmen killed two herders in the Mopti region of Mali on Tuesday.');
    expect([region.admin1, region.geo_precision]).toEqual(['Mopti', 3]);
  });

  it('points every evidence span into the text, and ids are stable', () => {
    const text = 'Gunmen killed two herders near Niono, Mali, on Tuesday, local sources said.';
    const a = extractArticle({ id: 'x', text, published: '2023-01-12' });
    for (const e of a.events) {
      for (const ev of e.evidence) expect(ev.end).toBeLessThanOrEqual(a.article.text.length);
      for (const c of e.claims) expect(a.article.text.slice(c.start, c.end)).toBe(c.text);
    }
    const b = extractArticle({ id: 'x', text, published: '2023-01-12' });
    expect(b.events.map((e) => e.event_id)).toEqual(a.events.map((e) => e.event_id));
  });

  it('writes a note in ACLED style', () => {
    const e = first('Gunmen killed two herders near Niono, Mali, on Tuesday.', '2023-01-12');
    expect(e.notes).toMatch(/^On 10 January 2023, .+ near Niono \(.*Mali\)\. 2 fatalities\.$/);
  });
});

describe('"X (Admin2, Admin1)" parents', () => {
  it('locates the event at X and takes the units the text states', () => {
    const e = first('Gunmen attacked a bus near Douentza (Douentza, Mopti) on Monday, killing two passengers.');
    expect(e.location).toBe('Douentza');
    expect(e.admin1).toBe('Mopti');
    expect(e.geo_precision).toBe(2);
  });
});

describe('explain', () => {
  it('shows the country focus and each mention\'s candidates with named features', async () => {
    const { extractFromArticle } = await import('../../src/pipeline/extract.js');
    const { toArticle } = await import('../../src/ingest/read.js');
    const r = extractFromArticle(toArticle({ text: 'Gunmen killed two herders near Douentza in the Mopti region of Mali on Tuesday.', published: '2023-01-12' }, 't'), { explain: true });
    expect(r.explain!.focus.MLI).toBeGreaterThan(0);
    const douentza = r.explain!.places.find((p) => p.text === 'Douentza')!;
    expect(douentza.relation).toBe('near');
    expect(douentza.chosen?.iso3).toBe('MLI');
    expect(Object.keys(douentza.chosen!.features)).toEqual(expect.arrayContaining(['in_focus_country', 'population']));
    expect(douentza.candidates[0]!.score).toBeGreaterThanOrEqual(douentza.candidates[douentza.candidates.length - 1]!.score);
  });
});

describe('parent units pick among namesakes', () => {
  it('takes the candidate inside the stated region', async () => {
    const { resolveMention, parentUnits } = await import('../../src/geo/resolve.js');
    const { annotate } = await import('../../src/pipeline/extract.js');
    const { toArticle } = await import('../../src/ingest/read.js');
    // Two towns called Koro exist (Mali and Ivory Coast); "(Mopti)" says which.
    const doc = annotate(toArticle({ text: 'Gunmen attacked Koro (Mopti) on Monday.', published: '2023-01-12' }, 't'));
    const koro = doc.places.find((p) => p.text === 'Koro')!;
    expect(new Set(koro.candidates.map((c) => c.iso3)).size).toBeGreaterThan(1);
    const parents = parentUnits(doc, koro);
    expect(parents.some((p) => p.name === 'Mopti')).toBe(true);
    const r = resolveMention(koro, new Map(), parents)!;
    expect(r.place.iso3).toBe('MLI');
    expect(r.features.parent_unit).toBeGreaterThan(0);
  });
});

describe('a lede that sets the scene', () => {
  it('places and dates the event reported by the next sentence', () => {
    const e = first('On 22 June 2020, Malian forces conducted an operation against militants in Inzamane (Ansongo, Gao). Several militants were killed.', '2020-06-30');
    expect(e.event_date).toBe('2020-06-22');
    expect(e.country).toBe('Mali');
    expect(e.admin1).toBe('Gao');
    expect(e.location).toBe('Inzamane');
  });

  it('does not turn a scene alone into an event, nor carry a place from deep in a long text', () => {
    expect(events('On 22 June 2020, Malian forces held a meeting in Gao (Gao, Gao).', '2020-06-30')).toEqual([]);
    const long = [
      'The party congress ended on Tuesday.',
      'Delegates debated the budget for hours.',
      'They elected a new leader.',
      'The new leader will be sworn in on Friday in the city of Trujillo, Peru.',
      'Two soldiers were killed on Monday.',
    ].join(' ');
    for (const e of events(long, '2020-06-30')) expect(e.location).not.toBe('Trujillo');
  });
});

describe('where armed groups operate (data/actors.json areas)', () => {
  it('puts an event at no known place in the region its armed group mostly operates in, never deciding the country', () => {
    const jnim = first('On 3 January 2020, JNIM militants attacked the village of Qqwertzbou in Mali and killed one civilian.', '2020-01-10');
    expect([jnim.country, jnim.admin1, jnim.geo_precision]).toEqual(['Mali', 'Mopti', 3]);
    const isgs = first('On 3 January 2020, ISGS militants attacked the village of Qqwertzbou in Mali and killed one civilian.', '2020-01-10');
    expect(isgs.country).toBe('Mali');
    expect(['Ménaka', 'Gao']).toContain(isgs.admin1);
    const niger = first('On 3 January 2020, ISGS militants attacked the village of Qqwertzbou in Niger and killed one civilian.', '2020-01-10');
    expect([niger.country, niger.admin1]).toEqual(['Niger', 'Tillabéri']);
    // No armed group with known areas: the capital, as before.
    const none = first('On 3 January 2020, gunmen attacked the village of Qqwertzbou in Mali and killed one civilian.', '2020-01-10');
    expect(none.admin1).toBe('Bamako');
  });
});

describe('loose spellings of distinctive places', () => {
  it('"Quamishli" is Al Qāmishlī, a district seat GeoNames gives no population', () => {
    const e = first('On 2 March 2021, masked men threw a grenade into a bakery in Quamishli, wounding the baker.', '2021-03-05');
    expect(e.country).toBe('Syria');
    expect(e.admin1).toMatch(/Hasakah/);
  });
});

describe('dated reports with no word of violence (strategic developments)', () => {
  it('codes a dated report of an organised actor as a strategic development', () => {
    const ev = events('On 28 April 2021, in Cuernavaca, Morelos, members of the CJNG delivered boxes with food to families.', '2021-12-31');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.event_type).toBe('Strategic developments');
    expect(ev[0]!.country).toBe('Mexico');
    expect(ev[0]!.event_date).toBe('2021-04-28');
  });

  it('codes a dated count of people displaced or coming back', () => {
    const ev = events('On 9 May 2021, in Maracay, Aragua state, 150 Venezuelan migrants returned from Chile.', '2021-12-31');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.event_type).toBe('Strategic developments');
    expect(ev[0]!.country).toBe('Venezuela');
  });

  it('leaves dated news of no actor and no displacement alone, and wire copy in capitals', () => {
    expect(events('On 9 May 2021, the minister opened a new school in Maracay.', '2021-12-31')).toHaveLength(0);
    expect(events('ON 28 APRIL 2021, MEMBERS OF THE CJNG DELIVERED BOXES WITH FOOD TO FAMILIES IN CUERNAVACA.', '2021-12-31')).toHaveLength(0);
  });
});

describe('headings, running tolls and named groups in dated reports', () => {
  it('reads a heading with a hyphen before the date ("Non-violent activity: On ...")', () => {
    const ev = events('Non-violent activity: On 12 June 2021, the Taliban freed 30 prisoners in Kunduz province.', '2021-12-31');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.country).toBe('Afghanistan');
    expect(ev[0]!.event_date).toBe('2021-06-12');
  });

  it('keeps a sentence that opens with its day though it tells a toll ("fighting has forced ...")', () => {
    const ev = events('On 3 March 2021, near Paletwa, Chin State, fighting between the military and the AA has forced 300 villagers to flee.', '2021-12-31');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.country).toBe('Myanmar');
    // The same words with no day stay background.
    expect(events('Fighting between the military and the AA has forced thousands of villagers to flee.', '2021-12-31')).toHaveLength(0);
  });

  it('counts displaced people described with a hyphenated word ("war-affected villagers")', () => {
    const ev = events('On 6 March 2021, in Paletwa Township, Chin State, more than 200 war-affected villagers fled to Paletwa town.', '2021-12-31');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.event_type).toBe('Strategic developments');
  });

  it('dates an event by its day when a parenthesis adds "(end of month)"', () => {
    const ev = events('Around 30 April 2021 (end of month), security forces raided villages in Maybrat regency, West Papua province, and killed two men.', '2021-12-31');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.event_date?.slice(0, 7)).toBe('2021-04');
  });

  it('knows Israeli settlers, and that Palestinian-owned land is in Palestine', () => {
    const ev = events('Property destruction: As reported on 2 May 2021, Israeli settlers uprooted 40 Palestinian-owned olive trees near Nablus.', '2021-12-31');
    expect(ev).toHaveLength(1);
    expect(ev[0]!.actor1).toBe('Settlers (Israel)');
    expect(ev[0]!.country).toBe('Palestine');
  });

  it('a named armed group whose name holds a place name is no place ("Sharqiya Army")', () => {
    const ev = first('On 30 April 2021, a member of Sharqiya Army shot and killed a member of Ahrar al Sharqiyah.', '2021-12-31');
    expect(ev.country).toBe('Syria');
    expect([ev.actor1, ev.actor2]).toContain('Sharqiya Army');
  });
});

describe('terse log entries and non-violent activity', () => {
  it('an undated entry that opens with an event noun is an event ("Ambush targeting ...", "DETONATION: ...")', () => {
    const ambush = events('Ambush on a GATIA supply convoy near Tessalit, two trucks burned.');
    expect(ambush).toHaveLength(1);
    expect(ambush[0]!.event_type).toBe('Battles');
    expect(events('UPDATE: Detonation near the airport of Kidal this morning.')).toHaveLength(1);
    // Talk of such things is none.
    expect(events('Ambushes are a common tactic of armed groups in the north.')).toHaveLength(0);
  });

  it('armed men threatening voters is a strategic development (Other)', () => {
    const e = first('On 9 March 2023, armed men threatened villagers near Bandiagara ahead of the referendum.');
    expect(e.event_type).toBe('Strategic developments');
    expect(e.sub_event_type).toBe('Other');
  });
});
