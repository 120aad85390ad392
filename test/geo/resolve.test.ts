/**
 * The per-document helpers of resolution, checked against the plain definitions they speed up.
 */
import { describe, expect, it } from 'vitest';
import { annotate, extractArticle } from '../../src/pipeline/extract.js';
import { toArticle } from '../../src/ingest/read.js';
import { countryFocus, insideActors, statedParents } from '../../src/geo/resolve.js';
import type { Doc } from '../../src/core/types.js';

const doc = (text: string): Doc => annotate(toArticle({ text, published: '2023-01-20' }, 'test'));

/** The first event extracted from `text` (published at the end of 2021), which must exist. */
const ev = (text: string) => {
  const e = extractArticle({ id: 't', text, published: '2021-12-31' }).events[0];
  expect(e, `no event for: ${text}`).toBeDefined();
  return e!;
};

describe('insideActors', () => {
  it('answers as a scan of every actor span would, nested and overlapping spans included', () => {
    const d = doc('Nothing happened here today.');
    // Spans as actor mentions: nested (10-40 holds 12-20), overlapping (30-50, 45-70), apart (100-110).
    const spans = [
      [10, 40],
      [12, 20],
      [30, 50],
      [45, 70],
      [100, 110],
    ];
    const withSpans = { ...d, actors: spans.map(([start, end]) => ({ ...({} as Doc['actors'][number]), start: start!, end: end! })) } as Doc;
    const inside = insideActors(withSpans);
    for (let start = 0; start < 120; start += 3) {
      for (let end = start + 1; end < 125; end += 4) {
        const scan = spans.some(([a, b]) => start >= a! && end <= b!);
        expect(inside({ start, end }), `[${start}, ${end})`).toBe(scan);
      }
    }
  });

  it('keeps names inside actor mentions out of the country focus ("Fulani militiamen")', () => {
    const d = doc('Fulani militiamen attacked the village of Ogossagou on Saturday, killing 12 people, Malian officials said.');
    expect(d.actors.length).toBeGreaterThan(0);
    const focus = countryFocus(d);
    expect([...focus.keys()]).toContain('ML');
  });
});

describe('countryFocus and statedParents per document', () => {
  it('sums only the votes outside what is skipped, and answers the same on every call', () => {
    const d = doc('Gunmen attacked Boni (Douentza, Mopti) in Mali. In Niger, soldiers were ambushed near Tillaberi.');
    const all = countryFocus(d);
    expect(all.get('ML')).toBeGreaterThan(0);
    expect(all.get('NE')).toBeGreaterThan(0);
    const cut = d.text.indexOf('In Niger');
    const first = countryFocus(d, (pos) => pos >= cut);
    expect(first.has('NE')).toBe(false);
    expect(first.get('ML')).toBe(countryFocus(d, (pos) => pos >= cut).get('ML'));
    const boni = d.places.find((p) => p.text === 'Boni')!;
    expect(statedParents(d, boni).map((p) => p.text)).toEqual(['Douentza', 'Mopti']);
    expect(statedParents(d, boni)).toBe(statedParents(d, boni));
  });

  it('reads the units after two kind words ("X town area (Y district, Z)")', () => {
    const d = doc('At night, troops traded fire with intruders near Nowshera town area (Rajouri district, J&K).');
    const nowshera = d.places.find((p) => p.text === 'Nowshera')!;
    expect(statedParents(d, nowshera).map((p) => p.text)).toContain('J&K');
  });
});

describe('English names of first-level units', () => {
  it('"Rural Damascus" is Rif Dimashq, and Libya\'s "Sirt" is not Turkey\'s Siirt', () => {
    const syria = extractArticle({ id: 's', text: 'On 8 May 2021, unidentified gunmen assassinated a man in Bait Jan in Rural Damascus.', published: '2021-12-31' }).events[0]!;
    expect(syria.country).toBe('Syria');
    expect(syria.admin1).toBe('Rural Damascus'); // units are spelled as the text spells them
    expect(syria.geo_precision).toBe(3);
    const libya = extractArticle({ id: 'l', text: 'On 8 May 2021, GNA forces shelled LNA positions in Wadi al Washka (Sirt), killing 3 LNA soldiers.', published: '2021-12-31' }).events[0]!;
    expect(libya.country).toBe('Libya');
  });
});

describe('country cues and unit words', () => {
  const first = (text: string) => extractArticle({ id: 'c', text, published: '2021-12-31' }).events[0]!;
  it('Indian paramilitary forces (CRPF, CISF, BSF) point to India when no place is known', () => {
    expect(first('On 5 May 2021, unidentified militants lobbed a grenade at CRPF personnel at Xyzpora town, injuring two CRPF personnel.').country).toBe('India');
  });
  it('ACLED\'s "Almargeb" is the Libyan district of Al Marqab', () => {
    const ev = first('On 5 May 2021, indiscriminate shells fired by an unknown party fell in Qwertyville (Almargeb), killing 2 civilians.');
    expect(ev.country).toBe('Libya');
  });
  it('"X Governorship" names the province X', () => {
    expect(first('On 9 May 2021, Aydin Governorship banned all protests in the province after clashes between police and protesters.').country).toBe('Turkey');
  });
});

describe('units named like countries or peoples, and strong cues', () => {
  it('"(X LGA, Niger)" is Niger State of Nigeria: "LGA" says Nigeria', () => {
    const e = ev('On 6 May 2021, gunmen attacked Allawa (Rafi LGA, Niger) and abducted 4 people.');
    expect(e.country).toBe('Nigeria');
    expect(e.admin1).toBe('Niger');
  });

  it('"Somali region" is the Ethiopian region, not Somalia', () => {
    const e = ev('On 3 May 2021, police shot and killed a civilian in Goday, Shabelle Zone (Somali region).');
    expect(e.country).toBe('Ethiopia');
    expect(e.admin1).toBe('Somali');
  });

  it('the OSCE SMM places an unknown village in the Donbas rather than at a namesake abroad', () => {
    const e = ev('On 4 May 2021, the OSCE SMM observed 4 explosions near Rumyantsevo.');
    expect(e.country).toBe('Ukraine');
    expect(['Donetsk', 'Luhansk']).toContain(e.admin1);
  });

  it('"the town of X in the eastern countryside of Y": Y is where X lies, though a region elsewhere bears X\'s name', () => {
    const e = ev("On 4 May 2021, gunmen shot and wounded a sheikh in the town of Eastern Sharqiya in the eastern countryside of Dar'a.");
    expect(e.country).toBe('Syria');
    expect(e.admin1).toMatch(/^Dar/);
  });
});

describe('regions named as Syrian reports name them, organisations in quotes, and cities', () => {
  it('"in the countryside of Dar\'a" is the Syrian governorate, though Senegal has a town Dara', () => {
    const e = ev("On 2 May 2021, gunmen shot dead 2 civilians in the town of Da'el in the countryside of Dar'a. One was a collaborator of Hezbollah.");
    expect(e.country).toBe('Syria');
  });

  it("a quoted name before an organisation's word is no place (\"'Al-Bostan' Association in Damascus\")", () => {
    const e = ev("On 4 May 2021, regime intelligence, accompanied by Russian military police, arrested employees of 'Al-Bostan' Association in Damascus.");
    expect(e.country).toBe('Syria');
    expect(e.location).toBe('Damascus');
  });

  it('a large city names its country over small namesakes abroad, unless the text qualifies the name', () => {
    expect(ev('On 4 May 2021, Russian military police arrested three men in Damascus.').country).toBe('Syria');
    // "Kazan" in brackets after a district, then ", Ankara": the Turkish one.
    expect(ev('On 6 May 2021, arsonists attacked a paint plant in the Saray neighborhood of Kahramankazan (Kazan), Ankara.').country).toBe('Turkey');
  });
});
