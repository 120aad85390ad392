/**
 * The pieces of the ACLED export: RFC 4180 fields, the inter and interaction labels, ISO numeric
 * codes and ACLED regions, and the column list.
 */
import { describe, expect, it } from 'vitest';
import { ACLED_COLUMNS, acledRegion, csvField, csvRecord, interactionLabel, interLabel, isoNumeric } from '../../src/export/index.js';
import { parseCsv } from '../ingest-store/helpers.js';

describe('ACLED CSV pieces', () => {
  it('has ACLED’s 31 columns in ACLED’s order', () => {
    expect(ACLED_COLUMNS.join(', ')).toBe(
      'event_id_cnty, event_date, year, time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1, ' +
        'actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country, admin1, admin2, admin3, location, ' +
        'latitude, longitude, geo_precision, source, source_scale, notes, fatalities, tags, timestamp',
    );
    expect(ACLED_COLUMNS).toHaveLength(31);
  });

  it('quotes exactly the fields with a comma, a quote, CR or LF, doubling quotes (RFC 4180)', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField(' spaces kept ')).toBe(' spaces kept ');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvRecord(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it('round-trips awkward values through a separate RFC 4180 parser', () => {
    const values = ['', ',', '"', '""', 'a\r\nb', '\n', 'bare\rreturn', 'ends with quote"', '"starts', 'Gao, "Mali"\nnext line', 'plain', 'ünïcödé, ✓'];
    const rows = [values, [...values].reverse(), values.map((v) => `${v}${v}`)];
    const text = rows.map((r) => csvRecord(r)).join('');
    expect(parseCsv(text)).toEqual(rows);
  });

  it('writes inter codes and interactions as ACLED’s current labels', () => {
    expect(interLabel(1)).toBe('State forces');
    expect(interLabel(2)).toBe('Rebel group');
    expect(interLabel(8)).toBe('External/Other forces');
    expect(interLabel(null)).toBe('');
    expect(interactionLabel(12)).toBe('State forces-Rebel group');
    expect(interactionLabel(17)).toBe('State forces-Civilians');
    expect(interactionLabel(37)).toBe('Political militia-Civilians');
    expect(interactionLabel(60)).toBe('Protesters only');
    expect(interactionLabel(20)).toBe('Rebel group only');
    expect(interactionLabel(88)).toBe('External/Other forces-External/Other forces');
    expect(interactionLabel(78)).toBe('External/Other forces-Civilians');
    expect(interactionLabel(null)).toBe('');
  });

  it('finds ISO numeric codes and ACLED regions from world-countries, with the documented exceptions', () => {
    expect(isoNumeric('MLI')).toBe(466);
    expect(isoNumeric('AFG')).toBe(4);
    expect(isoNumeric('XKX')).toBeNull();
    expect(isoNumeric(null)).toBeNull();
    expect(acledRegion('MLI')).toBe('Western Africa');
    expect(acledRegion('COD')).toBe('Middle Africa');
    expect(acledRegion('SOM')).toBe('Eastern Africa');
    expect(acledRegion('SDN')).toBe('Northern Africa');
    expect(acledRegion('SYR')).toBe('Middle East');
    expect(acledRegion('YEM')).toBe('Middle East');
    expect(acledRegion('IRN')).toBe('Middle East');
    expect(acledRegion('AFG')).toBe('South Asia');
    expect(acledRegion('MMR')).toBe('Southeast Asia');
    expect(acledRegion('CHN')).toBe('East Asia');
    expect(acledRegion('GEO')).toBe('Caucasus and Central Asia');
    expect(acledRegion('KAZ')).toBe('Caucasus and Central Asia');
    expect(acledRegion('UKR')).toBe('Europe');
    expect(acledRegion('RUS')).toBe('Europe');
    expect(acledRegion('XKX')).toBe('Europe');
    expect(acledRegion('MEX')).toBe('Central America');
    expect(acledRegion('COL')).toBe('South America');
    expect(acledRegion('HTI')).toBe('Caribbean');
    expect(acledRegion('USA')).toBe('North America');
    expect(acledRegion('PNG')).toBe('Oceania');
    expect(acledRegion(null)).toBeNull();
  });
});
