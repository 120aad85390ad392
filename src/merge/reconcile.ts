/**
 * One canonical record for a cluster of reports: every source and claim kept (each claim with its
 * `article_id`), fatalities and injured low/best/high recomputed from all claims by `estimate`
 * (src/assemble/fatalities.ts, the assembler's rules); the other fields from the most precise member.
 */
import { countFields, estimate } from '../assemble/fatalities.js';
import type { DraftClaim } from '../assemble/claims.js';
import type { Claim, Evidence, EventSource, SitrepEvent } from '../core/types.js';
import { countryKey, normName } from './score.js';


/**
 * An article event as a canonical record on its own: `sources` name the article, and each claim and
 * evidence span says which article it points into (a merged record's spans point into several).
 */
export function singletonRecord(event: SitrepEvent, articleId: string): SitrepEvent {
  const sources: EventSource[] = event.sources.length
    ? event.sources.map((s) => ({ ...s, article_id: s.article_id || articleId }))
    : [{ article_id: articleId, url: null, title: null, published: null, source: null }];
  const claims: Claim[] = event.claims.map((c) => ({ ...c, article_id: c.article_id ?? articleId }));
  const evidence = event.evidence.map((e): Evidence & { article_id: string } => ({ ...e, article_id: (e as { article_id?: string }).article_id ?? articleId }));
  return { ...event, sources, claims, evidence };
}

/** Victim keys for stored claims (the assembler's actor mentions are not stored): the same victims across articles are alternatives. */
export function victimKeyOf(c: Claim, event?: { iso3: string | null; country: string | null }): string {
  const v = normName(c.victim);
  if (!v || /^(?:people|persons?|person|victims?|passengers|residents|villagers)$/.test(v)) return 'people';
  if (/\bcivilians?\b/.test(v)) return 'civilians';
  if (/\b(?:militants?|terrorists?|jihadists?|insurgents?|rebels?|assailants?|attackers?|gunmen|fighters?|guerrillas?)\b/.test(v)) return 'militants';
  const country = /\(([^)]+)\)/.exec(c.victim ?? '')?.[1];
  const state = /\b(soldiers?|troops|military|army|police(?:men)?|officers?|gendarmes?|gendarmerie)\b/.exec(v);
  if (state) {
    // The event's own country for "soldiers" and "soldiers (Mali)" alike, so that both are the same victims.
    const own = event?.iso3 && (!country || normName(country) === normName(event.country)) ? event.iso3.toUpperCase() : null;
    const code = own ?? (country ? normName(country).replace(/ /g, '').slice(0, 3).toUpperCase().padEnd(3, 'X') : '?');
    return `state:${code}:${state[1]!.replace(/s$/, '').replace(/^(?:policemen|policeman)$/, 'police').replace(/^(?:gendarmerie|gendarme)$/, 'gendarme')}`;
  }
  return `victims:${v}`;
}

/** A stored claim as the assembler's draft, for `estimate`. */
export function draftOf(c: Claim, index: number, event?: { iso3: string | null; country: string | null }): DraftClaim {
  return { ...c, victim_key: victimKeyOf(c, event), sentence: index, end_noun: c.end };
}

const claimKey = (c: Claim) => `${c.article_id ?? ''}|${c.kind}|${c.start}|${c.end}|${c.count}`;

/**
 * One canonical record from its members (each an article event or an earlier canonical record,
 * claims carrying `article_id`): sources are the union, claims are all of them, counts are
 * recomputed from all claims; the other fields come from the member with the most precise place
 * (then date) among those of the country most members are in (ties: the first member's), and the date is the earliest of the members with the finest date precision.
 * A cluster of one is returned as it is.
 */
export function reconcile(members: readonly SitrepEvent[], id: string): SitrepEvent {
  if (members.length === 0) throw new Error('reconcile: no members');
  if (members.length === 1) return { ...members[0]!, event_id: id };
  // The country most members are in (ties: the earliest member's): a report joined from another
  // country (its own was doubtful, src/merge/countries.ts) never moves the record there.
  const votes = new Map<string, number>();
  for (const m of members) votes.set(countryKey(m), (votes.get(countryKey(m)) ?? 0) + 1);
  let country = countryKey(members[0]!);
  for (const [k, n] of votes) if (n > votes.get(country)!) country = k;
  const rank = (e: SitrepEvent) => [countryKey(e) === country ? 0 : 1, (e.geo_precision ?? 9), e.latitude === null ? 1 : 0, (e.time_precision ?? 9), e.actor2 ? 0 : 1];
  const ordered = [...members].sort((x, y) => {
    const rx = rank(x);
    const ry = rank(y);
    for (let i = 0; i < rx.length; i++) if (rx[i]! !== ry[i]!) return rx[i]! - ry[i]!;
    return 0;
  });
  const base = ordered[0]!;
  const sources: EventSource[] = [];
  const seenSources = new Set<string>();
  for (const m of members) for (const s of m.sources) if (!seenSources.has(s.article_id)) (seenSources.add(s.article_id), sources.push(s));
  const claims: Claim[] = [];
  const seenClaims = new Set<string>();
  for (const m of members) for (const c of m.claims) if (!seenClaims.has(claimKey(c))) (seenClaims.add(claimKey(c)), claims.push(c));
  const evidence = members.flatMap((m) => m.evidence);
  const drafts = claims.map((c, i) => draftOf(c, i, base));
  const killed = estimate(drafts, 'killed');
  const injured = estimate(drafts, 'injured');
  const finest = Math.min(...members.map((m) => m.time_precision ?? 9));
  const dates = members.filter((m) => (m.time_precision ?? 9) === finest && m.event_date).map((m) => m.event_date!).sort();
  const weapons = [...new Set(members.flatMap((m) => m.weapons))];
  const fill = <K extends 'actor1' | 'actor2' | 'assoc_actor_1' | 'assoc_actor_2' | 'admin1' | 'admin2' | 'location'>(k: K): SitrepEvent[K] =>
    base[k] ?? ordered.find((m) => m[k] !== null && (k.startsWith('actor') || k.startsWith('assoc') || countryKey(m) === countryKey(base)))?.[k] ?? null;
  return {
    ...base,
    event_id: id,
    event_date: dates[0] ?? base.event_date,
    time_precision: dates.length ? (finest as 1 | 2 | 3) : base.time_precision,
    actor1: fill('actor1'),
    actor2: base.actor1 ? base.actor2 : fill('actor2'),
    assoc_actor_1: fill('assoc_actor_1'),
    assoc_actor_2: fill('assoc_actor_2'),
    ...countFields(killed, injured),
    weapons,
    claims,
    sources,
    evidence,
    notes: base.notes,
  };
}
