import { describe, expect, it } from 'vitest';
import type { SitrepEvent } from '../../src/core/types.js';
import { parseAcledRow, parseGtdRow, parseMuc4Row } from '../../src/eval/gold.js';
import {
  ACLED_METRICS,
  GTD_METRICS,
  MUC4_METRICS,
  f1,
  haversineKm,
  predictedActors,
  scoreAcled,
  scoreGtd,
  scoreMuc4,
  type Metrics,
} from '../../src/eval/score.js';
import { makeEvent } from './event-fixture.js';

function expectMetric(metrics: Metrics, name: string, value: number, n: number): void {
  expect(metrics[name], name).toBeDefined();
  expect(metrics[name]!.n, `${name}.n`).toBe(n);
  expect(metrics[name]!.value, `${name}.value`).toBeCloseTo(value, 10);
}

describe('haversineKm', () => {
  it('gives about 111.2 km per degree of latitude and 0 for the same point', () => {
    expect(haversineKm(10, 5, 11, 5)).toBeCloseTo(111.19, 1);
    expect(haversineKm(-3, 20, -3, 20)).toBe(0);
  });

  it('shrinks longitude degrees away from the equator', () => {
    expect(haversineKm(60, 0, 60, 1)).toBeCloseTo(55.6, 0);
  });
});

describe('predictedActors', () => {
  it('lists actor1, actor2 and each associated actor', () => {
    const e = makeEvent({ actor1: 'A', actor2: 'B', assoc_actor_1: 'C; D', assoc_actor_2: '' });
    expect(predictedActors(e)).toEqual(['A', 'B', 'C', 'D']);
    expect(predictedActors(undefined)).toEqual([]);
  });
});

describe('scoreAcled', () => {
  const row = (id: string, over: Record<string, unknown> = {}) =>
    parseAcledRow({
      event_id_cnty: id,
      event_date: '4 June 2019',
      year: '2019',
      event_type: 'Battles',
      sub_event_type: 'Armed clash',
      country: 'Mali',
      admin1: 'Northland',
      location: 'Port Alma',
      latitude: '15.5',
      longitude: '-1.25',
      fatalities: '3',
      notes: 'Synthetic note.',
      actor1: 'Alpha Militia',
      actor2: 'Civilians (Mali)',
      ...over,
    });
  const records = [row('R1'), row('R2', { fatalities: '0' }), row('R3')];
  const right = makeEvent({
    event_type: 'Battles',
    sub_event_type: 'Armed clash',
    fatalities: 3,
    event_date: '2019-06-04',
    country: 'Mali',
    admin1: 'Northland Region',
    location: 'Port Alma',
    latitude: 15.6, // about 11 km north
    longitude: -1.25,
    actor1: 'Alpha Militia',
    assoc_actor_2: 'Beta Front; Civilians (Mali)',
  });
  const wrong = makeEvent({
    event_type: 'Violence against civilians',
    sub_event_type: 'Attack',
    fatalities: 5,
    event_date: '2019-06-05',
    country: 'Mali',
    admin1: null,
    location: 'Other Town',
    latitude: 16.0, // about 56 km north
    longitude: -1.25,
    actor1: 'Alpha Militia',
  });
  const predictions = new Map<string, SitrepEvent[]>([
    ['R1', [right, makeEvent()]],
    ['R2', [wrong]],
    // R3: no events at all
  ]);
  const { metrics, outcomes } = scoreAcled(records, predictions);

  it('reports every ACLED metric', () => {
    expect(Object.keys(metrics)).toEqual([...ACLED_METRICS]);
  });

  it('computes each metric over the first event, a missing one scoring wrong', () => {
    expectMetric(metrics, 'detected', 2 / 3, 3);
    expectMetric(metrics, 'event_type', 1 / 3, 3);
    expectMetric(metrics, 'sub_event_type', 1 / 3, 3);
    expectMetric(metrics, 'fatalities', 1 / 3, 3);
    expectMetric(metrics, 'date', 1 / 3, 3);
    expectMetric(metrics, 'country', 2 / 3, 3);
    expectMetric(metrics, 'admin1', 1 / 3, 3);
    expectMetric(metrics, 'location', 1 / 3, 3);
    expectMetric(metrics, 'coords_25km', 1 / 3, 3);
    expectMetric(metrics, 'coords_100km', 2 / 3, 3);
    // R1 2 of 2 gold actors, R2 1 of 2, R3 none.
    expectMetric(metrics, 'actors', (1 + 0.5 + 0) / 3, 3);
    expectMetric(metrics, 'extra_events', 1 / 3, 3);
  });

  it('keeps wrong outcomes with gold and predicted values', () => {
    const missed = outcomes.find((o) => o.id === 'R3' && o.metric === 'location');
    expect(missed).toMatchObject({ ok: false, gold: 'Port Alma', predicted: '(no event)' });
    const half = outcomes.find((o) => o.id === 'R2' && o.metric === 'actors');
    expect(half).toMatchObject({ score: 0.5, ok: false });
  });

  it('skips fields the gold row leaves empty', () => {
    const bare = [row('R9', { latitude: '', longitude: '', actor1: '', actor2: '', admin1: '' })];
    const m = scoreAcled(bare, new Map([['R9', [right]]])).metrics;
    expectMetric(m, 'coords_25km', 0, 0);
    expectMetric(m, 'actors', 0, 0);
    expectMetric(m, 'admin1', 0, 0);
    expectMetric(m, 'location', 1, 1);
  });
});

describe('scoreGtd', () => {
  const row = (id: number, over: Record<string, unknown>) =>
    parseGtdRow({
      eventid: id,
      iyear: 2019,
      imonth: 1,
      country_txt: 'Testland',
      provstate: 'Northland',
      city: 'Port Alma',
      gname: 'Alpha Front',
      weaptype1_txt: 'Firearms',
      nkill: 2,
      nwound: '',
      summary: 'Synthetic summary.',
      ...over,
    });
  const records = [
    row(1, {}),
    row(2, { nkill: '', nwound: 4, provstate: 'Unknown', city: 'Unknown', gname: 'Unknown', weaptype1_txt: 'Unknown' }),
    row(3, { nkill: 0, nwound: 0, gname: 'Beta Group', weaptype1_txt: 'Explosives' }),
  ];
  const predictions = new Map<string, SitrepEvent[]>([
    [
      '1',
      [
        makeEvent({
          fatalities_best: 2,
          event_date: '2019-01-05',
          country: 'Testland',
          admin1: 'Northland Province',
          location: 'Port Alma',
          actor1: 'Alpha Front',
          weapons: ['firearms'],
        }),
      ],
    ],
    [
      '3',
      [
        makeEvent({
          fatalities_best: 1,
          injured_best: 0,
          event_date: '2018-12-30',
          country: 'Testland',
          admin1: null,
          location: 'Somewhere Else',
          actor1: 'Gamma Group',
          weapons: ['ied'],
        }),
      ],
    ],
  ]);
  const { metrics } = scoreGtd(records, predictions);

  it('reports every GTD metric', () => {
    expect(Object.keys(metrics)).toEqual([...GTD_METRICS]);
  });

  it('skips empty counts and Unknown places, groups and weapons', () => {
    expectMetric(metrics, 'detected', 2 / 3, 3);
    expectMetric(metrics, 'fatalities', 1 / 2, 2); // record 2 has empty nkill
    expectMetric(metrics, 'injured', 1 / 2, 2); // record 1 has empty nwound; record 2 has no event
    expectMetric(metrics, 'date', 1 / 3, 3);
    expectMetric(metrics, 'country', 2 / 3, 3);
    expectMetric(metrics, 'admin1', 1 / 2, 2);
    expectMetric(metrics, 'location', 1 / 2, 2);
    expectMetric(metrics, 'actors', 1 / 2, 2);
    expectMetric(metrics, 'weapon', 1 / 2, 2);
    expectMetric(metrics, 'extra_events', 0, 3);
  });

  it('skips the date of a row with an unknown month', () => {
    const m = scoreGtd([row(4, { imonth: 0 })], new Map()).metrics;
    expectMetric(m, 'date', 0, 0);
    expectMetric(m, 'fatalities', 0, 1);
  });
});

describe('scoreMuc4', () => {
  const msg = (id: string, type: string, location = 'PERU: LIMA (CITY)') =>
    parseMuc4Row({ message_id: id, text: 'SYNTHETIC', templates: [{ 'INCIDENT: TYPE': type, 'INCIDENT: LOCATION': location }] });
  const records = [
    msg('M1', 'ATTACK'),
    msg('M2', 'BOMBING', 'EL SALVADOR: SAN SALVADOR (CITY)'),
    msg('M3', 'KIDNAPPING'),
    msg('M4', 'ARSON'),
    msg('M5', '*'),
    msg('M6', '-'),
  ];
  const predictions = new Map<string, SitrepEvent[]>([
    ['M1', [makeEvent({ country: 'Peru' })]],
    ['M2', [makeEvent({ country: 'Guatemala' })]],
    ['M5', [makeEvent({ country: 'Peru' })]],
    ['M6', []],
  ]);
  const { metrics } = scoreMuc4(records, predictions);

  it('reports every MUC-4 metric', () => {
    expect(Object.keys(metrics)).toEqual([...MUC4_METRICS]);
  });

  it('computes precision, recall and F1 over messages', () => {
    expectMetric(metrics, 'incident_precision', 2 / 3, 3);
    expectMetric(metrics, 'incident_recall', 2 / 4, 4);
    expectMetric(metrics, 'incident_f1', 4 / 7, 6);
  });

  it('scores the country over messages positive in both', () => {
    expectMetric(metrics, 'country', 1 / 2, 2);
  });

  it('gives 0 with n 0 when nothing is predicted', () => {
    const m = scoreMuc4(records, new Map()).metrics;
    expectMetric(m, 'incident_precision', 0, 0);
    expectMetric(m, 'incident_recall', 0, 4);
    expectMetric(m, 'incident_f1', 0, 6);
  });
});

describe('f1', () => {
  it('is the harmonic mean, 0 when both are 0', () => {
    expect(f1(0.5, 1)).toBeCloseTo(2 / 3);
    expect(f1(0, 0)).toBe(0);
  });
});
