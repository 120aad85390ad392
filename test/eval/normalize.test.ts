import { describe, expect, it } from 'vitest';
import { ACTOR_ALIAS_GROUPS } from '../../src/eval/aliases.js';
import {
  actorMatch,
  aliasMatch,
  jaccard,
  normalizeActor,
  normalizePlace,
  placeMatch,
} from '../../src/eval/normalize.js';

describe('normalizePlace', () => {
  it('lower-cases, removes accents, parentheses, apostrophes and admin words', () => {
    expect(normalizePlace('Ségou Region')).toBe('segou');
    expect(normalizePlace("N'Djaména")).toBe('ndjamena');
    expect(normalizePlace('Gao (town)')).toBe('gao');
    expect(normalizePlace('Cercle de  Bourem')).toBe('de bourem');
    expect(normalizePlace('Extreme-North')).toBe('extreme north');
    expect(normalizePlace('Borno State')).toBe('borno');
    expect(normalizePlace('Kandahar Province')).toBe('kandahar');
    expect(normalizePlace('Maywand District')).toBe('maywand');
    expect(normalizePlace('Department of Loreto')).toBe('of loreto');
    expect(normalizePlace('Kraków')).toBe('krakow');
  });

  it('removes nested parentheses too', () => {
    expect(normalizePlace('Alpha (near (old) Beta) Town')).toBe('alpha town');
  });
});

describe('placeMatch', () => {
  it('matches equal names after normalising', () => {
    expect(placeMatch('Tombouctou', 'TOMBOUCTOU')).toBe(true);
    expect(placeMatch('Mopti Region', 'Mopti')).toBe(true);
    expect(placeMatch('São Paulo', 'Sao Paulo')).toBe(true);
  });

  it('matches when one contains the other as whole words, either way', () => {
    expect(placeMatch('Bamako', 'Bamako Capital District')).toBe(true);
    expect(placeMatch('Port Alma North', 'Alma')).toBe(true);
  });

  it('does not match a part of a word', () => {
    expect(placeMatch('Niger', 'Nigeria')).toBe(false);
    expect(placeMatch('Gao', 'Gaoua')).toBe(false);
  });

  it('matches nothing when a name is empty or only admin words', () => {
    expect(placeMatch('', '')).toBe(false);
    expect(placeMatch(null, 'Gao')).toBe(false);
    expect(placeMatch('Region', 'Gao Region')).toBe(false);
  });
});

describe('normalizeActor', () => {
  it('drops parentheses holding only years, keeps others', () => {
    expect(normalizeActor('Military Forces of Mali (2020-2021)')).toBe('military forces mali');
    expect(normalizeActor('Military Forces of Yemen (2016-)')).toBe('military forces yemen');
    expect(normalizeActor('Civilians (Mali)')).toBe('civilians mali');
  });

  it('drops of/the/and/for/in and keeps the generic words', () => {
    expect(normalizeActor('Group for Support of Islam and Muslims')).toBe('group support islam muslims');
    expect(normalizeActor('Islamic State in the Greater Sahara')).toBe('islamic state greater sahara');
  });
});

describe('jaccard', () => {
  it('is shared over union, and 1 for two empty sets', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(1);
    expect(jaccard(new Set(['a']), new Set())).toBe(0);
  });
});

describe('actorMatch: the README examples', () => {
  it('"Military Forces of Mali (2020-2021)" matches "Military Forces of Mali"', () => {
    expect(actorMatch('Military Forces of Mali (2020-2021)', 'Military Forces of Mali')).toBe(true);
  });

  it.each(['Military Forces of France', 'Police Forces of Mali', 'Civilians (Mali)'])(
    '"Military Forces of Mali (2020-2021)" does not match "%s"',
    (other) => {
      expect(actorMatch('Military Forces of Mali (2020-2021)', other)).toBe(false);
      expect(actorMatch('Military Forces of Mali', other)).toBe(false);
    },
  );

  it('"Fulani Ethnic Militia (Mali)" does not match "Dogon Ethnic Militia (Mali)"', () => {
    expect(actorMatch('Fulani Ethnic Militia (Mali)', 'Dogon Ethnic Militia (Mali)')).toBe(false);
  });

  it('JNIM long name = JNIM = GSIM, through the alias table', () => {
    expect(actorMatch('JNIM: Group for Support of Islam and Muslims', 'JNIM')).toBe(true);
    expect(actorMatch('GSIM', 'JNIM')).toBe(true);
    expect(actorMatch('JNIM: Group for Support of Islam and Muslims', 'GSIM')).toBe(true);
  });
});

describe('actorMatch: other cases', () => {
  it('knows the Islamic State Sahel names', () => {
    expect(actorMatch('Islamic State (Greater Sahara)', 'ISGS')).toBe(true);
    expect(actorMatch('IS Sahel', 'Islamic State (Greater Sahara)')).toBe(true);
    expect(actorMatch('ISGS', 'JNIM')).toBe(false);
  });

  it('reads ACLED\'s "ABBR: Full name" as two names for one actor', () => {
    expect(actorMatch('ABC: Alpha Beta Coalition', 'ABC')).toBe(true);
    expect(actorMatch('ABC: Alpha Beta Coalition', 'Alpha Beta Coalition')).toBe(true);
    expect(aliasMatch('ABC: Alpha Beta Coalition', 'XYZ')).toBe(false);
  });

  it('lets names made only of generic words match on the all-words overlap', () => {
    expect(actorMatch('Unidentified Armed Group', 'Armed Group')).toBe(true);
    expect(actorMatch('Armed Group', 'Militia')).toBe(false);
  });

  it('needs a distinctive word in common when one name has some', () => {
    expect(actorMatch('Unidentified Armed Group (Mali)', 'Unidentified Armed Group')).toBe(false);
    expect(actorMatch('Unidentified Armed Group (Mali)', 'Unidentified Armed Group (Mali)')).toBe(true);
  });

  it('never matches an empty name', () => {
    expect(actorMatch('', '')).toBe(false);
    expect(actorMatch('(2020-2021)', 'Militia')).toBe(false);
    expect(actorMatch(null, 'JNIM')).toBe(false);
  });
});

describe('alias table', () => {
  it('puts every normalised alias in one group only', () => {
    const owner = new Map<string, number>();
    ACTOR_ALIAS_GROUPS.forEach((group, i) => {
      for (const name of group) {
        const key = normalizeActor(name);
        expect(key, name).not.toBe('');
        const seen = owner.get(key);
        expect(seen === undefined || seen === i, `${name} is in groups ${seen} and ${i}`).toBe(true);
        owner.set(key, i);
      }
    });
  });
});
