/**
 * Downloads of the current filter: ACLED CSV (/export.csv) and GeoJSON (/events.geojson), the
 * same query string as the page, so what is downloaded is what is shown (the map-view box included).
 */
import { csvUrl, geojsonUrl } from '../api';
import type { Filter } from '../filters';

export function Downloads({ filter }: { filter: Filter }) {
  return (
    <div class="downloads" role="group" aria-label="Download the events of this filter">
      <span class="muted">Download this filter:</span>
      <a class="button secondary" href={csvUrl(filter)} download="sitrep-events.csv">
        CSV (ACLED columns)
      </a>
      <a class="button secondary" href={geojsonUrl(filter)} download="sitrep-events.geojson">
        GeoJSON
      </a>
    </div>
  );
}
