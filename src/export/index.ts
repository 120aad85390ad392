/**
 * `sitrep export`: canonical events out of the store as ACLED CSV, GeoJSON or JSONL, streamed page
 * by page from `listCanonical` (newest first, as the API lists them), so that memory stays flat
 * whatever the size of the store.
 */
import type { CanonicalEvent, EventFilter, Store } from '../store/index.js';
import { ACLED_COLUMNS, acledValues } from './acled.js';
import { csvRecord } from './csv.js';
import { geojsonFeature, jsonlRecord } from './records.js';

export { ACLED_COLUMNS, acledRegion, acledValues, interactionLabel, interLabel, isoNumeric } from './acled.js';
export { csvField, csvRecord } from './csv.js';
export { geojsonFeature, jsonlRecord } from './records.js';

export const EXPORT_FORMATS = ['acled-csv', 'geojson', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Where the output goes: resolves when the chunk is accepted (back-pressure is the writer's job). */
export type ChunkWriter = (chunk: string) => Promise<void>;

export interface ExportResult {
  /** Events written. */
  written: number;
  /** Events left out: for GeoJSON, those without coordinates. */
  withoutCoordinates: number;
}

/** Every active canonical event matching the filter, page by page. */
export async function* canonicalEvents(store: Store, filter: EventFilter, pageSize = 500): AsyncGenerator<CanonicalEvent[]> {
  let cursor: string | null = null;
  do {
    const page = await store.listCanonical(filter, cursor, pageSize);
    if (page.items.length) yield page.items;
    cursor = page.next;
  } while (cursor);
}

export async function exportEvents(store: Store, format: ExportFormat, filter: EventFilter, write: ChunkWriter): Promise<ExportResult> {
  const result: ExportResult = { written: 0, withoutCoordinates: 0 };
  if (format === 'acled-csv') await write(csvRecord(ACLED_COLUMNS));
  if (format === 'geojson') await write('{"type":"FeatureCollection","features":[');
  for await (const page of canonicalEvents(store, filter)) {
    let chunk = '';
    for (const c of page) {
      if (format === 'acled-csv') chunk += csvRecord(acledValues(c));
      else if (format === 'jsonl') chunk += `${JSON.stringify(jsonlRecord(c))}\n`;
      else {
        const feature = geojsonFeature(c);
        if (!feature) {
          result.withoutCoordinates++;
          continue;
        }
        chunk += `${result.written ? ',' : ''}\n${JSON.stringify(feature)}`;
      }
      result.written++;
    }
    if (chunk) await write(chunk);
  }
  if (format === 'geojson') await write('\n]}\n');
  return result;
}
