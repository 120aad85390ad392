/**
 * The events dashboard: filters on top, the map and the timeline side by side, the table below,
 * and downloads of the current filter. Everything follows the URL: a change of a control is a new
 * URL, and the URL alone says what is shown.
 */
import { eventsGeoJson, facets } from '../api';
import { filterKey, without, type Filter, type View } from '../filters';
import { navigate } from '../router';
import { useApi } from '../useApi';
import { Downloads } from './Downloads';
import { EventTable } from './EventTable';
import { FilterBar } from './FilterBar';
import { MapView } from './MapView';
import { Timeline } from './Timeline';

export function Dashboard({ view }: { view: View }) {
  const { filter } = view;
  const setFilter = (f: Filter, replace = false) => navigate({ ...view, filter: f }, { replace });
  // The map shows the whole filter but the map-view box (panning must not empty the map).
  const mapFilter = without(filter, 'bbox');
  const mapKey = filterKey(mapFilter);
  const geo = useApi(mapKey, (s) => eventsGeoJson(mapFilter, s));
  // The menus count under the other filters, not their own choices.
  const facetFilter = without(filter, 'country', 'admin1', 'event_type', 'sub_event_type');
  const fac = useApi(filterKey(facetFilter), (s) => facets(facetFilter, s));

  return (
    <div class="dashboard">
      <FilterBar filter={filter} facets={fac.data} onChange={(f) => setFilter(f)} />
      {fac.error && (
        <p class="error" role="alert">
          Filter menus: {fac.error}
        </p>
      )}
      <div class="viz">
        <section class="panel map-panel" aria-label="Map">
          {geo.error && (
            <p class="error" role="alert">
              Map: {geo.error}
            </p>
          )}
          <MapView
            features={geo.data}
            fitKey={mapKey}
            countries={filter.country}
            limitToView={!!filter.bbox}
            onLimitToView={(on) => !on && setFilter(without(filter, 'bbox'))}
            onBounds={(bbox, replace) => setFilter({ ...filter, bbox }, replace)}
            onOpen={(id) => navigate({ ...view, route: { page: 'event', id } })}
          />
        </section>
        <section class="panel timeline-panel" aria-label="Timeline">
          <Timeline filter={filter} onRange={(from, to) => setFilter({ ...without(filter, 'from', 'to'), ...(from ? { from } : {}), ...(to ? { to } : {}) })} />
          <Downloads filter={filter} />
        </section>
      </div>
      <EventTable view={view} />
    </div>
  );
}
