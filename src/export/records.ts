/**
 * Canonical events as JSONL records and as GeoJSON features.
 *
 * JSONL: the canonical record in the Event shape of ../shared/event-schema.md ("Stored events"):
 * `event_id` is the canonical id, `sources` lists every reporting article, and each claim carries the
 * `article_id` of the article that states it (filled from the only source when a record lacks it).
 *
 * GeoJSON: a Point feature per event with coordinates ([longitude, latitude], WGS84, RFC 7946); its
 * properties are the record without the bulky parts (claims, evidence spans, the sources list), plus
 * `source` (the source names, "; "-separated, as in the ACLED column), `article_ids` and `updated_at`.
 */
import type { Claim, SitrepEvent } from '../core/types.js';
import type { CanonicalEvent } from '../store/index.js';
import { sourceNames } from './acled.js';

/** The fields of an event in the order of the schema (the store's JSON keeps no order); others follow. */
const EVENT_ORDER = [
  'event_id', 'event_date', 'time_precision', 'event_type', 'sub_event_type', 'disorder_type', 'actor1', 'assoc_actor_1',
  'actor2', 'assoc_actor_2', 'inter1', 'inter2', 'interaction', 'civilian_targeting', 'country', 'iso3', 'admin1', 'admin2',
  'location', 'latitude', 'longitude', 'geo_precision', 'geo_basis', 'fatalities', 'fatalities_low', 'fatalities_best',
  'fatalities_high', 'injured_low', 'injured_best', 'injured_high', 'weapons', 'claims', 'sources', 'evidence', 'notes',
];
const CLAIM_ORDER = ['kind', 'count', 'count_high', 'qualifier', 'claimant', 'victim', 'text', 'start', 'end', 'article_id'];
const SOURCE_ORDER = ['article_id', 'url', 'title', 'published', 'source'];
const EVIDENCE_ORDER = ['field', 'start', 'end', 'article_id'];

function ordered<T extends object>(value: T, order: readonly string[]): T {
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out as T;
}

/** The record `sitrep export --format jsonl` prints for a canonical event, its fields in the schema's order. */
export function jsonlRecord(c: CanonicalEvent): SitrepEvent {
  const e = c.event;
  const sources = (e.sources ?? []).map((s) => ordered(s, SOURCE_ORDER));
  const only = sources.length === 1 ? sources[0]!.article_id : undefined;
  const claims: Claim[] = (e.claims ?? []).map((cl) => ordered(cl.article_id || !only ? cl : { ...cl, article_id: only }, CLAIM_ORDER));
  const evidence = (e.evidence ?? []).map((v) => ordered(v, EVIDENCE_ORDER));
  return ordered({ ...e, event_id: c.id, sources, claims, evidence }, EVENT_ORDER);
}

export interface PointFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, unknown>;
}

/** The GeoJSON feature of an event, or null when it has no coordinates. */
export function geojsonFeature(c: CanonicalEvent): PointFeature | null {
  const e = c.event;
  const lat = e.latitude;
  const lon = e.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const { claims: _c, evidence: _e, sources, ...rest } = e;
  const properties: Record<string, unknown> = {
    ...ordered({ ...rest, event_id: c.id }, EVENT_ORDER),
    source: sourceNames(sources ?? []),
    article_ids: [...new Set((sources ?? []).map((s) => s.article_id))],
    updated_at: c.updated_at,
  };
  return { type: 'Feature', id: c.id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}
