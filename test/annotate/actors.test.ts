import { describe, expect, it } from 'vitest';
import type { ActorMention } from '../../src/core/types.js';
import {
  actorById,
  actorCountry,
  actorInter,
  annotateActors,
  associatedActors,
  loadRegistry,
  resolveActorName,
} from '../../src/annotate/actors.js';

/** The mention whose text is exactly `text` (fails the test when there is none). */
function find(mentions: ActorMention[], text: string): ActorMention {
  const m = mentions.find((x) => x.text === text);
  if (!m) throw new Error(`no mention "${text}" among: ${mentions.map((x) => x.text).join(' | ')}`);
  return m;
}

function texts(sentence: string): string[] {
  return annotateActors(sentence).map((m) => m.text);
}

describe('named actors', () => {
  it('finds JNIM by acronym, by its English name and by GSIM, all with one id', () => {
    const s =
      'JNIM claimed the raid. Analysts say the Group for Support of Islam and Muslims, also known as GSIM, grew in 2019.';
    const ms = annotateActors(s);
    const ids = ['JNIM', 'Group for Support of Islam and Muslims', 'GSIM'].map((t) => find(ms, t).actor_id);
    expect(new Set(ids)).toEqual(new Set(['jnim']));
    expect(find(ms, 'JNIM')).toMatchObject({ name: 'JNIM: Group for Support of Islam and Muslims', inter: 2, short: 'JNIM', generic: false, noun: 'militants' });
  });

  it('keeps a trailing actor noun in the mention and reads the inter code from the registry', () => {
    const m = find(annotateActors('Residents said Wagner Group mercenaries arrived at dawn.'), 'Wagner Group mercenaries');
    expect(m).toMatchObject({ actor_id: 'wagner', name: 'Wagner Group', inter: 8, generic: false });
  });

  it('finds the Taliban, through a possessive', () => {
    const ms = annotateActors("The Taliban's fighters overran a checkpoint; the Taliban later withdrew.");
    expect(ms.map((m) => m.actor_id)).toEqual(['taliban', 'taliban']);
    expect(ms.map((m) => m.text)).toEqual(["Taliban's fighters", 'Taliban']);
  });

  it('prefers the longer name: FARC dissidents are not the FARC', () => {
    const ms = annotateActors('FARC dissidents shot a farmer, the second killing since the FARC disarmed.');
    expect(find(ms, 'FARC dissidents').actor_id).toBe('farc_dissidents');
    expect(find(ms, 'FARC').actor_id).toBe('farc');
  });

  it('codes Houthi rebels as the Sanaa authorities forces, as ACLED does', () => {
    const m = find(annotateActors('Houthi rebels fired a drone at the port.'), 'Houthi rebels');
    expect(m).toMatchObject({ actor_id: 'houthis', name: 'Military Forces of Yemen (2016-) Supreme Political Council', iso3: 'YEM' });
  });

  it('gives a subgroup its parent name', () => {
    const m = find(annotateActors('Fighters of the Macina Liberation Front torched the granary.'), 'Macina Liberation Front');
    expect(m.actor_id).toBe('katiba_macina');
    expect(m.parent).toBe('JNIM: Group for Support of Islam and Muslims');
  });

  it('does not take the enemy of a group for the group', () => {
    expect(annotateActors('Anti-Houthi forces advanced on the airport.').some((m) => m.actor_id === 'houthis')).toBe(false);
    // "al-Qaeda-linked" describes JNIM here; al-Qaeda is not an actor of the sentence.
    const ms = annotateActors('The al-Qaeda-linked JNIM attacked the camp.');
    expect(ms.map((m) => m.actor_id)).toEqual(['jnim']);
  });

  it('reads a linked group with its noun as that group', () => {
    const m = find(annotateActors('JNIM-affiliated militants stopped a bus.'), 'JNIM-affiliated militants');
    expect(m.actor_id).toBe('jnim');
  });

  it('does not join a name across brackets or a sentence end', () => {
    const ms = annotateActors('Presumed Katiba Macina (JNIM) militants fled. In Mali. Police arrived later.');
    expect(find(ms, 'JNIM').actor_id).toBe('jnim');
    expect(find(ms, 'militants').actor_id).toBe('generic:armed_group');
    expect(find(ms, 'Police')).toMatchObject({ actor_id: 'generic:police', iso3: null });
  });
});

describe('acronyms and case', () => {
  it('does not read the verb "is" as the Islamic State in mixed-case text', () => {
    const ms = annotateActors('It is not clear who is behind the attack, which is the third this week.');
    expect(ms.some((m) => m.actor_id === 'islamic_state')).toBe(false);
  });

  it('reads IS written as an acronym in mixed-case text', () => {
    const m = find(annotateActors('Officials said IS fighters held the bridge.'), 'IS fighters');
    expect(m).toMatchObject({ actor_id: 'islamic_state', name: 'Islamic State ({country})', iso3: null });
  });

  it('does not take a headline in capitals for an acronym', () => {
    expect(texts('THIS IS WAR, the paper said.').length).toBe(0);
  });

  it('handles an all-capitals wire: names, demonym + noun, and IS only with a fighters noun', () => {
    const s =
      'SAN SALVADOR, 3 MAR 89 -- FMLN TERRORISTS ATTACKED A POST OF THE SALVADORAN ARMY. IT IS KNOWN THAT THE ' +
      'ARMED FORCES OF EL SALVADOR LOST TWO MEN. THE SHINING PATH IS NOT INVOLVED.';
    const ms = annotateActors(s);
    expect(find(ms, 'FMLN TERRORISTS')).toMatchObject({ actor_id: 'fmln', inter: 2 });
    expect(find(ms, 'SALVADORAN ARMY')).toMatchObject({ name: 'Military Forces of El Salvador', iso3: 'SLV', inter: 1 });
    expect(find(ms, 'ARMED FORCES OF EL SALVADOR')).toMatchObject({ name: 'Military Forces of El Salvador', iso3: 'SLV' });
    expect(find(ms, 'SHINING PATH').actor_id).toBe('shining_path');
    expect(ms.some((m) => m.actor_id === 'islamic_state')).toBe(false);
    expect(find(annotateActors('WITNESSES SAID IS FIGHTERS ENTERED THE TOWN AT NIGHT AND LEFT.'), 'IS FIGHTERS').actor_id).toBe(
      'islamic_state',
    );
  });

  it('reads "US" as a country only as written, before a noun', () => {
    expect(find(annotateActors('US troops left the base.'), 'US troops').name).toBe('Military Forces of the United States');
    expect(annotateActors('They told us troops had left.').some((m) => m.name.includes('United States'))).toBe(false);
  });
});

describe('state forces', () => {
  it('turns a demonym and a military noun into the state actor of that country', () => {
    const m = find(annotateActors('The ambush killed 14 Malian soldiers near Boni.'), 'Malian soldiers');
    expect(m).toMatchObject({ name: 'Military Forces of Mali', iso3: 'MLI', inter: 1, generic: true, short: 'soldiers', noun: 'soldiers' });
  });

  it('reads "Mali\'s army", "the army of Mali" and "Nigerian troops"', () => {
    const ms = annotateActors("Mali's army denied it. The army of Mali later confirmed. Nigerian troops crossed the border.");
    expect(find(ms, "Mali's army").name).toBe('Military Forces of Mali');
    expect(find(ms, 'army of Mali').name).toBe('Military Forces of Mali');
    expect(find(ms, 'Nigerian troops')).toMatchObject({ name: 'Military Forces of Nigeria', iso3: 'NGA' });
  });

  it('gives each country its own mention in "forces of India and Pakistan" and "Malian and French soldiers"', () => {
    const a = annotateActors('Military forces of India and Pakistan exchanged fire.');
    expect(a.map((m) => m.name)).toEqual(['Military Forces of India', 'Military Forces of Pakistan']);
    const b = annotateActors('Malian and French soldiers patrolled.');
    expect(b.map((m) => m.name)).toEqual(['Military Forces of Mali', 'Military Forces of France']);
  });

  it('codes foreign expeditionary forces as external (inter 8) without placing them at home', () => {
    const m = find(annotateActors('French troops of Operation Barkhane struck a camp.'), 'French troops');
    expect(m).toMatchObject({ name: 'Military Forces of France', inter: 8, iso3: null });
    expect(find(annotateActors('Barkhane forces struck a camp.'), 'Barkhane forces').actor_id).toBe('france_military');
  });

  it('does not read "Turkish-backed" as Turkish forces', () => {
    const m = find(annotateActors('Turkish-backed factions shelled the village.'), 'Turkish-backed factions');
    expect(m.actor_id).toBe('sna_syria');
  });

  it('keeps the army a template when no country is stated', () => {
    const m = find(annotateActors('The army said it repelled the attack.'), 'army');
    expect(m).toMatchObject({ actor_id: 'generic:military', name: 'Military Forces of {country}', iso3: null, inter: 1, generic: true });
  });

  it('names gendarmes police in Mali and Burkina Faso, military elsewhere', () => {
    expect(find(annotateActors('Burkinabe gendarmes were wounded.'), 'Burkinabe gendarmes').name).toBe('Police Forces of Burkina Faso Gendarmerie');
    const plain = find(annotateActors('Two gendarmes were wounded.'), 'gendarmes');
    expect(resolveActorName(plain, 'Mali')).toBe('Police Forces of Mali Gendarmerie');
    expect(resolveActorName(plain, 'Cameroon')).toBe('Military Forces of Cameroon Gendarmerie');
  });
});

describe('generic actors', () => {
  it('codes gunmen as an unidentified armed group', () => {
    const m = find(annotateActors('Unidentified gunmen on motorbikes opened fire.'), 'gunmen');
    expect(m).toMatchObject({ actor_id: 'generic:armed_group', name: 'Unidentified Armed Group ({country})', inter: 3, generic: true, noun: 'militants' });
  });

  it('codes villagers as civilians, protesters as protesters', () => {
    const ms = annotateActors('Villagers fled as protesters gathered in the capital.');
    expect(find(ms, 'Villagers')).toMatchObject({ name: 'Civilians ({country})', inter: 7, noun: 'civilians' });
    expect(find(ms, 'protesters')).toMatchObject({ name: 'Protesters ({country})', inter: 6 });
  });

  it('fills the country when the mention states it', () => {
    expect(find(annotateActors('Afghan civilians were hurt.'), 'Afghan civilians')).toMatchObject({ name: 'Civilians (Afghanistan)', iso3: 'AFG' });
  });

  it('tells Dozo militias from Dan Na Ambassagou and names ethnic militias', () => {
    const ms = annotateActors('Dozo hunters clashed with Fulani militiamen, while Dogon hunters guarded the road.');
    expect(find(ms, 'Dozo hunters').name).toBe('Dozo Communal Militia ({country})');
    expect(find(ms, 'Fulani militiamen')).toMatchObject({ name: 'Fulani Ethnic Militia ({country})', inter: 4 });
    expect(find(ms, 'Dogon hunters').actor_id).toBe('dan_na_ambassagou');
  });

  it('keeps ethnic victims civilian and lists their group as associated actors', () => {
    const m = find(annotateActors('Gunmen killed three Dogon farmers.'), 'Dogon farmers');
    expect(m.actor_id).toBe('generic:civilians');
    expect(associatedActors(m, 'Mali')).toEqual(['Dogon Ethnic Group (Mali)', 'Farmers (Mali)']);
  });
});

describe('mentions', () => {
  const article =
    'BAMAKO, 4 March — Suspected jihadists ambushed Malian soldiers near Boni on Tuesday, and gunmen later ' +
    'abducted villagers. MINUSMA peacekeepers and Barkhane troops arrived after the Islamic State in the Greater ' +
    "Sahara (ISGS) claimed the attack. Protesters in Bamako denounced the army's failure.";

  it('has exact offsets and no overlaps', () => {
    const ms = annotateActors(article);
    expect(ms.length).toBeGreaterThan(8);
    let last = -1;
    for (const m of ms) {
      expect(article.slice(m.start, m.end)).toBe(m.text);
      expect(m.start).toBeGreaterThanOrEqual(last);
      last = m.end;
    }
  });

  it('finds what the article names', () => {
    const ids = annotateActors(article).map((m) => m.actor_id);
    expect(ids).toEqual([
      'generic:islamist',
      'fama',
      'generic:armed_group',
      'generic:civilians',
      'minusma',
      'france_military',
      'isgs',
      'isgs',
      'generic:protesters',
      'generic:military',
    ]);
  });
});

describe('resolution', () => {
  it('fills templates with the event country, or drops the country when unknown', () => {
    const [gunmen, army, civilians] = annotateActors('Gunmen fought the army and civilians fled.');
    expect(resolveActorName(gunmen!, 'Niger')).toBe('Unidentified Armed Group (Niger)');
    expect(resolveActorName(army!, 'Philippines')).toBe('Military Forces of the Philippines');
    expect(resolveActorName(gunmen!, null)).toBe('Unidentified Armed Group');
    expect(resolveActorName(army!, null)).toBe('Unidentified Military Forces');
    expect(resolveActorName(civilians!, null)).toBe('Civilians');
  });

  it('replaces a group by its local branch where the registry says so', () => {
    const [is] = annotateActors('Islamic State militants claimed it.');
    expect(resolveActorName(is!, 'Iraq')).toBe('Islamic State (Iraq)');
    expect(resolveActorName(is!, 'Nigeria')).toBe('Islamic State West Africa Province');
    expect(resolveActorName(is!, 'Afghanistan')).toBe('Islamic State Khorasan Province');
    const [shabaab] = annotateActors('Al-Shabaab fighters burned the village.');
    expect(resolveActorName(shabaab!, 'Somalia')).toBe('Al Shabaab');
    expect(resolveActorName(shabaab!, 'Mozambique')).toBe('Islamic State Mozambique Province');
  });

  it('gives the country a mention places its actor in', () => {
    const [minusma, french, malian] = annotateActors('MINUSMA, French troops and Malian soldiers met.');
    expect(actorCountry(minusma!)?.iso3).toBe('MLI');
    expect(actorCountry(french!)).toBeNull();
    expect(actorCountry(malian!)?.name).toBe('Mali');
  });

  it('turns state forces abroad into external forces, and back at home', () => {
    const [nigerian, french] = annotateActors('Nigerian troops and French soldiers deployed.');
    expect(actorInter(nigerian!, 'NGA')).toBe(1);
    expect(actorInter(nigerian!, 'NER')).toBe(8);
    expect(actorInter(french!, 'MLI')).toBe(8);
    expect(actorInter(french!, 'FRA')).toBe(1);
  });
});

describe('registry', () => {
  it('loads, with state forces generated for every country', () => {
    const reg = loadRegistry();
    expect(reg.state.get('military:PER')?.name).toBe('Military Forces of Peru');
    expect(reg.state.get('police:COL')?.name).toBe('Police Forces of Colombia');
    expect(reg.state.get('military:MLI')?.id).toBe('fama');
    expect(actorById('military:PHL')?.name).toBe('Military Forces of the Philippines');
    expect(actorById('military_cod')?.name).toBe('Military Forces of the Democratic Republic of Congo');
  });

  it('follows ACLED name conventions for rebel groups', () => {
    for (const id of ['jnim', 'eln', 'cjng', 'mnla', 'vdp']) expect(actorById(id)?.name).toMatch(/^[A-Z0-9-]+: [A-Z]/);
  });

  it('gives every alias a single meaning for one name', () => {
    // The same alias may not point at two different actors: a match must be deterministic.
    const seen = new Map<string, string>();
    for (const a of loadRegistry().actors) {
      for (const alias of [...a.aliases, ...(a.case_sensitive_aliases ?? [])]) {
        const key = alias.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
        const other = seen.get(key);
        if (other && other !== a.id) throw new Error(`alias "${alias}" belongs to ${other} and ${a.id}`);
        seen.set(key, a.id);
      }
    }
  });
});
