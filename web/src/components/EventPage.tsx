/**
 * An event's page (`#/event/ID`): every field of the record, the claims (who claims what about
 * whom), the sources, and each source's text with the spans that support the event's fields and
 * claims highlighted as `<mark>`s. A field's or claim's quote button selects its spans in the text
 * (all of them tinted, the one clicked scrolled to and focused); a click on a mark selects the field
 * rows it supports. Article text is rendered as text, never as HTML.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getArticle, getEvent, type ArticleText, type Claim, type EventDetail, type EventRecord, type MergeReason } from '../api';
import type { View } from '../filters';
import { highlightTree, type LabelledSpan, type MarkNode, type SpanLabel, type TextNode } from '../highlight';
import { href } from '../router';
import { useApi } from '../useApi';
import { FIELD_ORDER, INTER_LABELS, PRECISION_LABELS, SECTION_FIELDS, eventTypeClass, placeName, plural, rowsForEvidenceField } from '../vocab';

type LoadedArticle = { id: string; article?: ArticleText; error?: string };

/** The key of a label, as marks and rows carry it: `f:<field>` or `c:<claim index>`. */
function labelKey(l: SpanLabel): string {
  return l.kind === 'field' ? `f:${l.field}` : `c:${l.index}`;
}

function markId(articleIndex: number, start: number, end: number): string {
  return `mark-${articleIndex}-${start}-${end}`;
}

/** The event's spans in one article: its evidence and its claims, by article id (or the only source's). */
function spansIn(detail: EventDetail, art: ArticleText, single: boolean): LabelledSpan[] {
  const e = detail.event;
  const here = (id: string | null | undefined) => (id ? id === art.id : single);
  const out: LabelledSpan[] = [];
  for (const v of e.evidence ?? []) if (here(v.article_id)) out.push({ start: v.start, end: v.end, labels: [{ kind: 'field', field: v.field }] });
  (e.claims ?? []).forEach((c, index) => {
    if (here(c.article_id)) out.push({ start: c.start, end: c.end, labels: [{ kind: 'claim', index }] });
  });
  if (!out.length) {
    // Evidence without article ids in an event of several articles: the article's own spans for this event and its members.
    const ids = new Set([e.event_id, ...detail.merges.map((m) => m.member)]);
    for (const s of art.spans ?? [])
      if (s.kind === 'evidence' && s.field && s.event_id && ids.has(s.event_id)) out.push({ start: s.start, end: s.end, labels: [{ kind: 'field', field: s.field }] });
  }
  return out;
}

function show(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if ((key === 'inter1' || key === 'inter2') && typeof v === 'number') return `${v} (${INTER_LABELS[v] ?? '?'})`;
  if (key === 'interaction' && typeof v === 'number') {
    // As ACLED labels it (src/export/acled.ts): "X only", else lower code first, but 78 the other way round.
    const [hi, lo] = v === 78 ? [8, 7] : [Math.floor(v / 10), v % 10];
    const a = INTER_LABELS[hi];
    if (!a) return String(v);
    return `${v} (${lo === 0 ? `${a} only` : `${a}–${INTER_LABELS[lo] ?? '?'}`})`;
  }
  const p = PRECISION_LABELS[key];
  if (p && typeof v === 'number') return `${v} (${p[v] ?? '?'})`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A reason's name as words ("shared_evidence" → "shared evidence"). */
const reasonName = (name: string) => name.replace(/_/g, ' ');

/** Points as the merger adds them: "+2", "−1.5", "0"; none when not a number. */
function points(p: number | null): string {
  if (p === null) return '';
  return p > 0 ? `+${p}` : p < 0 ? `\u2212${-p}` : '0';
}

/** A merge decision's reasons, each on its line: name, points, what the merger saw. */
function Reasons({ reasons }: { reasons: MergeReason[] }) {
  if (!reasons.length) return <span class="muted">none recorded</span>;
  return (
    <ul class="reasons">
      {reasons.map((r, i) => (
        <li key={i}>
          <span class="reason-name">{reasonName(r.name)}</span>
          {r.points !== null && <span class={`reason-points${r.points < 0 ? ' against' : ''}`}>{points(r.points)}</span>}
          {r.detail && <span class="reason-detail">{r.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

function claimCount(c: Claim): string {
  if (c.count === null) return 'unknown';
  return c.count_high !== null && c.count_high !== undefined && c.count_high !== c.count ? `${c.count}–${c.count_high}` : String(c.count);
}

export function EventPage({ id, view }: { id: string; view: View }) {
  const detail = useApi(id, (s) => getEvent(id, s));
  const event = detail.data?.event;
  const articleIds = detail.data ? [...new Set([...detail.data.articles.map((a) => a.id), ...(event?.sources ?? []).map((s) => s.article_id)])] : [];
  const texts = useApi<LoadedArticle[]>(detail.data ? `${id}|${articleIds.join('|')}` : null, (s) =>
    Promise.all(
      articleIds.slice(0, 20).map((aid) =>
        getArticle(aid, s).then(
          (article) => ({ id: aid, article }),
          (e: unknown) => ({ id: aid, error: e instanceof Error ? e.message : String(e) }),
        ),
      ),
    ),
  );
  const [active, setActive] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => setActive(null), [id]);
  useEffect(() => {
    if (event) heading.current?.focus();
  }, [event?.event_id]);

  const back = href({ ...view, route: { page: 'dashboard' } });
  if (detail.error) {
    return (
      <div class="event-page">
        <p>
          <a href={back}>← Back to the events</a>
        </p>
        <p class="error" role="alert">
          {detail.error.includes('404') ? `There is no event "${id}".` : `Could not load the event: ${detail.error}`}
        </p>
      </div>
    );
  }
  if (!event || !detail.data) return <p role="status">Loading the event…</p>;

  const loaded = texts.data ?? [];
  const single = articleIds.length <= 1;
  const perArticle = loaded.map((a) => (a.article ? spansIn(detail.data!, a.article, single) : []));

  /** Focus one span's mark (and tint every span of its label). */
  const goTo = (label: string, articleIndex: number, start: number, end: number) => {
    setActive(label);
    const el = document.getElementById(markId(articleIndex, start, end));
    if (el) {
      el.scrollIntoView({ block: 'center', behavior: 'auto' });
      el.focus({ preventScroll: true });
    }
  };
  /** Where a field's or claim's spans are: article index and range, in text order. */
  const locate = (label: string) => {
    const out: { ai: number; start: number; end: number; text: string }[] = [];
    perArticle.forEach((spans, ai) => {
      const text = loaded[ai]?.article?.text ?? '';
      const seen = new Set<string>();
      for (const s of spans)
        if (s.labels.some((l) => labelKey(l) === label) && !seen.has(`${s.start}-${s.end}`)) {
          seen.add(`${s.start}-${s.end}`);
          out.push({ ai, start: s.start, end: s.end, text: text.slice(s.start, s.end) });
        }
    });
    return out.sort((a, b) => a.ai - b.ai || a.start - b.start);
  };

  const keys = [...FIELD_ORDER.filter((k) => k in event), ...Object.keys(event).filter((k) => !FIELD_ORDER.includes(k) && !SECTION_FIELDS.has(k))];
  const evidenceFields = [...new Set((event.evidence ?? []).map((v) => v.field))];
  const rowEvidence = new Map<string, string[]>();
  for (const f of evidenceFields) for (const row of rowsForEvidenceField(f, keys)) rowEvidence.set(row, [...(rowEvidence.get(row) ?? []), f]);
  const activeFields = active?.startsWith('f:') ? new Set(rowsForEvidenceField(active.slice(2), keys)) : new Set<string>();

  const place = placeName(event.location, event.admin1, event.country);
  return (
    <article class="event-page" aria-labelledby="event-heading">
      <p class="crumbs">
        <a href={back}>← Back to the events</a>
      </p>
      <header class="event-header">
        <h1 id="event-heading" tabIndex={-1} ref={heading}>
          <span class={`dot ${eventTypeClass(event.event_type)}`} aria-hidden="true" />
          {event.event_type ?? 'Event'}
          {event.sub_event_type ? `: ${event.sub_event_type}` : ''} — {place || 'place unknown'}, {event.event_date ?? 'undated'}
        </h1>
        {event.notes && <p class="notes">{event.notes}</p>}
        <p class="muted">
          {event.fatalities} fatalities (ACLED count)
          {event.fatalities_high !== undefined && event.fatalities_high !== event.fatalities ? `; reports range from ${event.fatalities_low ?? event.fatalities} to ${event.fatalities_high}` : ''} ·{' '}
          {plural((event.claims ?? []).length, 'claim')} · {plural(articleIds.length, 'source')}
        </p>
      </header>
      <div class="event-grid">
        <div class="event-data">
          <section aria-labelledby="fields-heading">
            <h2 id="fields-heading">Fields</h2>
            <table class="fields">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Value</th>
                  <th scope="col">Evidence in the text</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => {
                  const fields = rowEvidence.get(k) ?? [];
                  return (
                    <tr key={k} data-field={k} class={activeFields.has(k) ? 'active' : undefined}>
                      <th scope="row">{k}</th>
                      <td class={k === 'notes' ? 'wrap' : undefined}>{show(k, (event as EventRecord)[k])}</td>
                      <td>
                        <div class="quotes">
                        {fields.flatMap((f) =>
                          locate(`f:${f}`).map((s) => (
                            <button
                              type="button"
                              class="quote"
                              key={`${f}-${s.ai}-${s.start}`}
                              data-evidence-field={f}
                              aria-label={`Show the evidence for ${f} in the text: ${s.text}`}
                              onClick={() => goTo(`f:${f}`, s.ai, s.start, s.end)}
                            >
                              “{s.text}”
                            </button>
                          )),
                        )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="claims-heading">
            <h2 id="claims-heading">Claims</h2>
            {(event.claims ?? []).length === 0 ? (
              <p class="muted">No source states a number for this event.</p>
            ) : (
              <table class="claims">
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col" class="num">
                      Count
                    </th>
                    <th scope="col">Qualifier</th>
                    <th scope="col">Claimant</th>
                    <th scope="col">Victim</th>
                    <th scope="col">Text</th>
                  </tr>
                </thead>
                <tbody>
                  {event.claims.map((c, i) => {
                    const where = locate(`c:${i}`)[0];
                    return (
                      <tr key={i} data-claim={i} class={active === `c:${i}` ? 'active' : undefined}>
                        <td>{c.kind}</td>
                        <td class="num">{claimCount(c)}</td>
                        <td>{c.qualifier.replace('_', ' ')}</td>
                        <td>{c.claimant ?? <span class="muted">not attributed</span>}</td>
                        <td>{c.victim ?? '—'}</td>
                        <td>
                          {where ? (
                            <button type="button" class="quote" aria-label={`Show this claim in the text: ${c.text}`} onClick={() => goTo(`c:${i}`, where.ai, where.start, where.end)}>
                              “{c.text}”
                            </button>
                          ) : (
                            `“${c.text}”`
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="sources-heading">
            <h2 id="sources-heading">Sources</h2>
            <ul class="sources">
              {detail.data.articles.map((a) => (
                <li key={a.id}>
                  <button type="button" class="link-button source-title" onClick={() => document.getElementById(`article-${a.id}`)?.scrollIntoView({ block: 'start' })}>
                    {a.title || a.id}
                  </button>
                  <span class="muted">
                    {' '}
                    {[a.source, a.published].filter(Boolean).join(' · ')}
                    {a.url && (
                      <>
                        {' · '}
                        {/^https?:\/\//i.test(a.url) ? (
                          <a href={a.url} rel="noopener noreferrer nofollow" target="_blank">
                            {a.url}
                          </a>
                        ) : (
                          a.url
                        )}
                      </>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          {detail.data.merges.length > 0 && (
            <section aria-labelledby="merges-heading">
              <h2 id="merges-heading">Merged reports</h2>
              <table class="claims">
                <thead>
                  <tr>
                    <th scope="col">Member event</th>
                    <th scope="col" class="num">
                      Score
                    </th>
                    <th scope="col">Reasons</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.data.merges.map((m) => (
                    <tr key={m.member}>
                      <td>{m.member}</td>
                      <td class="num">{typeof m.score === 'number' ? m.score.toFixed(2) : String(m.score)}</td>
                      <td class="wrap">
                        <Reasons reasons={m.reasons} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>
        <section class="event-texts" aria-labelledby="texts-heading">
          <h2 id="texts-heading">Source texts</h2>
          <p class="hint">
            Highlighted: the words each field and claim comes from (<mark class="legend-mark kind-field">field</mark> <mark class="legend-mark kind-claim">claim</mark>).
            Choose a quote on the left to find it here; choose a highlight to find its field.
          </p>
          {texts.loading && !texts.data && <p role="status">Loading the texts…</p>}
          {loaded.map((a, ai) => (
            <section class="article" id={`article-${a.id}`} key={a.id} aria-label={`Text of ${a.article?.title || a.id}`}>
              <h3>{a.article?.title || a.id}</h3>
              {a.error ? (
                <p class="error">Could not load this article: {a.error}</p>
              ) : (
                <div class="article-text" data-article-id={a.id}>
                  <Highlighted nodes={highlightTree(a.article!.text, perArticle[ai] ?? [])} articleIndex={ai} active={active} onPick={(label) => setActive(label)} claims={event.claims ?? []} />
                </div>
              )}
            </section>
          ))}
        </section>
      </div>
    </article>
  );
}

interface HighlightedProps {
  nodes: TextNode[];
  articleIndex: number;
  active: string | null;
  claims: Claim[];
  onPick: (label: string) => void;
}

function describe(labels: SpanLabel[], claims: Claim[]): string {
  return labels.map((l) => (l.kind === 'field' ? l.field : `claim: ${claims[l.index]?.kind ?? ''} ${claims[l.index] ? claimCount(claims[l.index]!) : ''}`.trim())).join('; ');
}

/** The text runs and marks; the first piece of each span carries the span's id (the quote buttons' target). */
function Highlighted({ nodes, articleIndex, active, claims, onPick }: HighlightedProps) {
  const seen = new Set<string>();
  const render = (n: TextNode, i: number): preact.ComponentChild => {
    if (typeof n === 'string') return n;
    const m: MarkNode = n;
    const keys = m.labels.map(labelKey);
    const fields = m.labels.filter((l) => l.kind === 'field').map((l) => (l as { field: string }).field);
    const claimIdx = m.labels.filter((l) => l.kind === 'claim').map((l) => String((l as { index: number }).index));
    const first = !seen.has(m.key);
    seen.add(m.key);
    const [s, e] = m.key.split('-').map(Number) as [number, number];
    const cls = ['ev', claimIdx.length ? 'kind-claim' : 'kind-field', active && keys.includes(active) ? 'active' : ''].filter(Boolean).join(' ');
    return (
      <mark
        key={`${m.start}-${i}`}
        id={first ? markId(articleIndex, s, e) : undefined}
        class={cls}
        tabIndex={-1}
        data-fields={fields.join(' ') || undefined}
        data-claims={claimIdx.join(' ') || undefined}
        data-start={s}
        data-end={e}
        title={describe(m.labels, claims)}
        onClick={() => {
          const k = keys[0];
          if (!k) return;
          onPick(k);
          const row = document.querySelector(k.startsWith('f:') ? `tr[data-field="${CSS.escape(k.slice(2))}"], tr[data-field^="${CSS.escape(k.slice(2))}_"]` : `tr[data-claim="${k.slice(2)}"]`);
          row?.scrollIntoView({ block: 'nearest' });
        }}
      >
        {m.children.map(render)}
      </mark>
    );
  };
  return <>{nodes.map(render)}</>;
}
