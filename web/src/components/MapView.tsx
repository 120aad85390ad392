/**
 * The map: MapLibre with an inline style, GeoJSON sources only (no tiles, no glyphs, nothing from
 * the network): Natural Earth country polygons and first-level boundaries bundled by the build
 * (scripts/build-web-geo.mjs), and the events of the current filter as circles coloured by event
 * type and sized by fatalities. Zoomed out, nearby events are clustered; a cluster's number of events
 * is an HTML label over its circle (there are no glyphs for text layers). Clicking an event opens it,
 * clicking a cluster zooms into it. Chosen countries are tinted.
 *
 * For tests and debugging the map object is `window.sitrepMap`; `data-state` on the container is
 * "rendered" once the current events are drawn.
 */
import * as maplibregl from 'maplibre-gl';
// The worker file is already one self-contained ES module: emitted as it is (bundling it again cost 4 s of every build).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FeatureCollection } from '../api';
import overviewUrl from '../geo/countries-overview.json?url';
import countriesUrl from '../geo/countries.json?url';
import admin1Url from '../geo/admin1.json?url';
import { markOnce } from '../perf';
import { EVENT_TYPE_COLOURS, OTHER_COLOUR, placeName } from '../vocab';

maplibregl.setWorkerUrl(new URL(workerUrl, location.href).href);

declare global {
  interface Window {
    sitrepMap?: maplibregl.Map;
  }
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const ATTRIBUTION = 'Boundaries: <a href="https://www.naturalearthdata.com/" rel="noopener noreferrer">Natural Earth</a> (public domain)';

const colourByType: maplibregl.ExpressionSpecification = [
  'match',
  ['coalesce', ['get', 'event_type'], ''],
  ...EVENT_TYPE_COLOURS.flatMap(([t, c]) => [t, c]),
  OTHER_COLOUR,
] as unknown as maplibregl.ExpressionSpecification;

/** Radius by fatalities: the area grows with the number of dead (0 → 4 px, 10 → 10 px, 100 → 24 px). */
const radiusByFatalities: maplibregl.ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['sqrt', ['max', 0, ['to-number', ['get', 'fatalities'], 0]]],
  0, 4,
  3.17, 10,
  10, 24,
  30, 40,
];

const abs = (u: string) => new URL(u, location.href).href;


/** Below this zoom the overview outlines are drawn, from it on the detailed ones and the first-level boundaries. */
const DETAIL_ZOOM = 6;
const chosenFilter = (list: readonly string[]): maplibregl.FilterSpecification => {
  const l = list.length ? [...list] : [''];
  return ['any', ['in', ['get', 'iso3'], ['literal', l]], ['in', ['get', 'name'], ['literal', l]]];
};
// No antialiased fill edges: the border lines draw every edge anyway, and MapLibre would compile and
// run a second program for them (a CPU-drawn canvas pays for every program on the first frame).
const landPaint = { 'fill-color': '#f4f2ec', 'fill-antialias': false };
const chosenPaint = { 'fill-color': '#fbe7c6', 'fill-antialias': false };
const borderPaint: maplibregl.LineLayerSpecification['paint'] = { 'line-color': '#8d887c', 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.5, 8, 1.6] };

/**
 * The detailed outlines (1 MB) and first-level boundaries (2.5 MB) are added once the first events
 * are drawn: the first render reads only the overview outlines.
 */
function addDetail(map: maplibregl.Map, chosen: readonly string[]): void {
  if (map.getSource('countries')) return;
  map.addSource('countries', { type: 'geojson', data: abs(countriesUrl) });
  map.addSource('admin1', { type: 'geojson', data: abs(admin1Url) });
  map.addLayer({ id: 'land-detail', type: 'fill', source: 'countries', minzoom: DETAIL_ZOOM, paint: landPaint }, 'land-chosen');
  map.addLayer({ id: 'land-chosen-detail', type: 'fill', source: 'countries', minzoom: DETAIL_ZOOM, filter: chosenFilter(chosen), paint: chosenPaint }, 'borders');
  map.addLayer(
    { id: 'admin1', type: 'line', source: 'admin1', minzoom: 2.5, paint: { 'line-color': '#c4bfb2', 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.3, 8, 1] } },
    'borders',
  );
  map.addLayer({ id: 'borders-detail', type: 'line', source: 'countries', minzoom: DETAIL_ZOOM, paint: borderPaint }, 'clusters');
}

function style(): maplibregl.StyleSpecification {
  return {
    version: 8,
    sources: {
      overview: { type: 'geojson', data: abs(overviewUrl), attribution: ATTRIBUTION },
      events: {
        type: 'geojson',
        data: EMPTY as unknown as GeoJSON.FeatureCollection,
        cluster: true,
        clusterMaxZoom: 6,
        clusterRadius: 34,
        clusterProperties: { fatalities: ['+', ['to-number', ['get', 'fatalities'], 0]] },
      },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#d6e2ec' } },
      { id: 'land', type: 'fill', source: 'overview', maxzoom: DETAIL_ZOOM, paint: landPaint },
      { id: 'land-chosen', type: 'fill', source: 'overview', maxzoom: DETAIL_ZOOM, filter: chosenFilter([]), paint: chosenPaint },
      { id: 'borders', type: 'line', source: 'overview', maxzoom: DETAIL_ZOOM, paint: borderPaint },
      {
        id: 'clusters',
        type: 'circle',
        source: 'events',
        filter: ['has', 'point_count'],
        paint: {
          'circle-color': '#374151',
          'circle-opacity': 0.78,
          'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 11, 10, 30, 40, 46],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'events',
        type: 'circle',
        source: 'events',
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': colourByType,
          'circle-radius': radiusByFatalities,
          'circle-opacity': 0.82,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
    ],
  };
}

interface Props {
  features: FeatureCollection | undefined;
  /** When it changes, the map fits the events (a new filter; not a pan of the map-view filter). */
  fitKey: string;
  /** Chosen countries, names or ISO3 codes, tinted. */
  countries: readonly string[];
  /** The map view limits the list: report the view's box after each move. */
  limitToView: boolean;
  /** Called with false when the user turns the map-view filter off. */
  onLimitToView: (on: boolean) => void;
  /** The view's box; `replace`: a pan of the map, not a new history entry. */
  onBounds: (bbox: [number, number, number, number], replace: boolean) => void;
  onOpen: (eventId: string) => void;
}

function boxOf(map: maplibregl.Map): [number, number, number, number] {
  const b = map.getBounds();
  const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
  let w = b.getWest();
  let e = b.getEast();
  if (e - w >= 360) {
    w = -180;
    e = 180;
  } else {
    // Normalise to [-180, 180]; west > east then means the box crosses the antimeridian.
    w = ((((w + 180) % 360) + 360) % 360) - 180;
    e = ((((e + 180) % 360) + 360) % 360) - 180;
  }
  return [w, clamp(b.getSouth(), -90, 90), e, clamp(b.getNorth(), -90, 90)];
}

export function MapView({ features, fitKey, countries, limitToView, onLimitToView, onBounds, onOpen }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const props = useRef({ onOpen, onBounds, limitToView });
  props.current = { onOpen, onBounds, limitToView };
  const fitted = useRef<string | null>(null);
  const chosenRef = useRef(countries);
  chosenRef.current = countries;

  // The map, once. Made a task later than the first render's effects, so that the dashboard's
  // requests (the effects of the components around it run after this one) are on their way while
  // the map sets up its WebGL context and style (a few hundred ms on a CPU-drawn canvas).
  useEffect(() => {
    let cleanup: (() => void) | undefined;
    const timer = setTimeout(() => {
      cleanup = createMap();
    }, 0);
    return () => {
      clearTimeout(timer);
      cleanup?.();
    };
  }, []);

  function createMap(): (() => void) | undefined {
    const el = container.current;
    if (!el) return undefined;
    let map: maplibregl.Map;
    try {
      map = new maplibregl.Map({
        container: el,
        style: style(),
        center: [15, 15],
        zoom: 1.3,
        minZoom: 0.5,
        maxZoom: 12,
        attributionControl: { compact: false },
        dragRotate: false,
        pitchWithRotate: false,
        fadeDuration: 0,
      });
    } catch (e) {
      setFailed(`The map cannot be drawn in this browser (${e instanceof Error ? e.message : String(e)}). The table below lists the same events.`);
      return undefined;
    }
    mapRef.current = map;
    window.sitrepMap = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    const canvas = map.getCanvas();
    canvas.setAttribute('aria-label', 'Map of the events. Arrow keys pan, plus and minus zoom. The table below lists the same events.');

    // Cluster labels: HTML markers over the cluster circles.
    const markers = new Map<number, maplibregl.Marker>();
    let shown = new Map<number, maplibregl.Marker>();
    const updateLabels = () => {
      const next = new Map<number, maplibregl.Marker>();
      for (const f of map.querySourceFeatures('events')) {
        const p = f.properties as { cluster?: boolean; cluster_id?: number; point_count?: number } | null;
        if (!p?.cluster || p.cluster_id === undefined || f.geometry.type !== 'Point') continue;
        let m = markers.get(p.cluster_id);
        if (!m) {
          const div = document.createElement('div');
          div.className = 'cluster-label';
          div.textContent = (p.point_count ?? 0).toLocaleString('en');
          div.setAttribute('aria-hidden', 'true');
          m = new maplibregl.Marker({ element: div }).setLngLat(f.geometry.coordinates as [number, number]);
          markers.set(p.cluster_id, m);
        }
        next.set(p.cluster_id, m);
        if (!shown.has(p.cluster_id)) m.addTo(map);
      }
      for (const [id, m] of shown) if (!next.has(id)) m.remove();
      shown = next;
    };
    map.on('render', () => {
      if (map.getSource('events') && map.isSourceLoaded('events')) updateLabels();
    });
    map.on('sourcedata', (e) => {
      // New data: old cluster ids mean nothing any more.
      if (e.sourceId === 'events' && e.sourceDataType !== 'metadata' && e.isSourceLoaded) {
        for (const m of shown.values()) m.remove();
        shown = new Map();
        markers.clear();
      }
    });

    map.on('click', 'clusters', async (e) => {
      const f = e.features?.[0];
      const id = f?.properties?.['cluster_id'];
      if (typeof id !== 'number' || f?.geometry.type !== 'Point') return;
      const src = map.getSource('events') as maplibregl.GeoJSONSource;
      const zoom = await src.getClusterExpansionZoom(id);
      map.easeTo({ center: f.geometry.coordinates as [number, number], zoom });
    });
    map.on('click', 'events', (e) => {
      const id = e.features?.[0]?.properties?.['event_id'];
      if (typeof id === 'string') props.current.onOpen(id);
    });
    const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 10, className: 'event-popup' });
    map.on('mousemove', 'events', (e) => {
      const f = e.features?.[0];
      if (!f || f.geometry.type !== 'Point') return;
      map.getCanvas().classList.add('pointer');
      const p = f.properties as Record<string, unknown>;
      const box = document.createElement('div');
      const title = document.createElement('strong');
      title.textContent = `${p['event_type'] ?? 'Event'} · ${p['event_date'] ?? 'undated'}`;
      const place = document.createElement('div');
      place.textContent = placeName(p['location'], p['admin1'], p['country']);
      const dead = document.createElement('div');
      dead.textContent = `${Number(p['fatalities'] ?? 0)} fatalities`;
      box.append(title, place, dead);
      popup.setLngLat(f.geometry.coordinates as [number, number]).setDOMContent(box).addTo(map);
    });
    map.on('mouseleave', 'events', () => {
      map.getCanvas().classList.remove('pointer');
      popup.remove();
    });
    map.on('mouseenter', 'clusters', () => map.getCanvas().classList.add('pointer'));
    map.on('mouseleave', 'clusters', () => map.getCanvas().classList.remove('pointer'));
    map.on('moveend', () => {
      if (props.current.limitToView) props.current.onBounds(boxOf(map), true);
    });
    map.on('error', (e) => console.error('map:', e.error?.message ?? e));
    // The events can go in as soon as the style is there: the worker then reads them with the outlines.
    map.once('style.load', () => setReady(true));
    // For bench/web.ts: when the outlines were read and tiled, and when the map was first complete.
    const onOutlines = (e: maplibregl.MapSourceDataEvent) => {
      if (e.sourceId !== 'overview' || !e.isSourceLoaded) return;
      performance.mark('sitrep:outlines-loaded');
      map.off('sourcedata', onOutlines);
    };
    map.on('sourcedata', onOutlines);
    map.once('load', () => performance.mark('sitrep:map-load'));
    return () => {
      popup.remove();
      map.remove();
      mapRef.current = null;
      if (window.sitrepMap === map) delete window.sitrepMap;
    };
  }

  // The events.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !features) return;
    const el = container.current;
    el?.setAttribute('data-state', 'loading');
    if (!performance.getEntriesByName('sitrep:map-data', 'mark').length) performance.mark('sitrep:map-data');
    (map.getSource('events') as maplibregl.GeoJSONSource).setData(features as unknown as GeoJSON.FeatureCollection);
    map.once('idle', () => {
      el?.setAttribute('data-state', 'rendered');
      el?.setAttribute('data-events', String(features.features.length));
      markOnce('sitrep:map-rendered');
      addDetail(map, chosenRef.current);
    });
    if (fitted.current !== fitKey && !props.current.limitToView) {
      fitted.current = fitKey;
      const pts = features.features.map((f) => f.geometry.coordinates);
      if (pts.length) {
        const b = new maplibregl.LngLatBounds(pts[0], pts[0]);
        for (const p of pts) b.extend(p);
        map.fitBounds(b, { padding: 40, maxZoom: 5.5, duration: 0 });
      }
    }
  }, [features, ready]);

  // Chosen countries.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.setFilter('land-chosen', chosenFilter(countries));
    if (map.getLayer('land-chosen-detail')) map.setFilter('land-chosen-detail', chosenFilter(countries));
  }, [countries.join('\n'), ready]);


  return (
    <div class="map-wrap">
      {failed ? (
        <p class="map-failed" role="alert">
          {failed}
        </p>
      ) : (
        <div class="map" ref={container} data-state="loading" role="region" aria-label="Map of events" />
      )}
      <div class="map-tools">
        <label class="check">
          <input
            type="checkbox"
            checked={limitToView}
            disabled={!!failed}
            onChange={(e) => {
              // Turning it on takes the current view at once; off drops the box.
              const map = mapRef.current;
              if ((e.currentTarget as HTMLInputElement).checked && map) onBounds(boxOf(map), false);
              else onLimitToView(false);
            }}
          />
          Only events in the map view
        </label>
        <ul class="legend" aria-label="Event types">
          {EVENT_TYPE_COLOURS.map(([t], i) => (
            <li key={t}>
              <span class={`swatch type-${i}`} aria-hidden="true" />
              {t}
            </li>
          ))}
          <li>
            <span class="swatch cluster" aria-hidden="true" />
            cluster (number of events)
          </li>
          <li class="legend-note">circle area ∝ fatalities</li>
        </ul>
      </div>
    </div>
  );
}
