/**
 * "Paste an article": the text (and, optionally, its date, title and URL) goes to POST /articles,
 * which extracts, stores and merges it as `sitrep ingest` does; the events it found are shown at
 * once, each with its claims and a link to its page. When the server asks for a token (it does
 * when it is not on loopback, or has one set), a token field appears; the token is kept for this
 * tab only.
 */
import { useState } from 'preact/hooks';
import { ApiError, postArticle, type IngestResult } from '../api';
import type { View } from '../filters';
import { href } from '../router';
import { eventTypeClass, placeName } from '../vocab';

const TOKEN_KEY = 'sitrep-api-token';

export function PastePage({ view }: { view: View }) {
  const [text, setText] = useState('');
  const [published, setPublished] = useState('');
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [needToken, setNeedToken] = useState(() => !!sessionStorage.getItem(TOKEN_KEY));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<IngestResult | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) {
      setError('Paste the text of an article first.');
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await postArticle(
        { text, ...(published ? { published } : {}), ...(title.trim() ? { title: title.trim() } : {}), ...(url.trim() ? { url: url.trim() } : {}) },
        token.trim() || undefined,
      );
      if (token.trim()) sessionStorage.setItem(TOKEN_KEY, token.trim());
      setResult(r);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setNeedToken(true);
      setError(err instanceof ApiError ? `${err.message}${err.status ? ` (HTTP ${err.status})` : ''}` : String(err));
    } finally {
      setBusy(false);
    }
  };

  const events = result?.articles.flatMap((a) => a.events.map((e) => ({ article: a, event: e }))) ?? [];
  return (
    <div class="paste-page">
      <h1>Paste an article</h1>
      <p class="muted">The text is extracted and stored like any ingested article; its events join the dashboard.</p>
      <form class="paste-form" onSubmit={submit}>
        <div class="field wide">
          <label for="p-text">Article text</label>
          <textarea id="p-text" rows={14} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} aria-describedby="p-text-hint" />
          <span id="p-text-hint" class="hint">
            Plain text as published. Relative dates ("on Tuesday") need the publication date.
          </span>
        </div>
        <div class="paste-meta">
          <div class="field">
            <label for="p-published">Published</label>
            <input id="p-published" type="date" value={published} onChange={(e) => setPublished((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="p-title">Title</label>
            <input id="p-title" type="text" size={30} value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="p-url">URL</label>
            <input id="p-url" type="url" size={30} value={url} onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)} />
          </div>
          {needToken && (
            <div class="field">
              <label for="p-token">API token</label>
              <input id="p-token" type="password" autoComplete="off" value={token} onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} />
            </div>
          )}
          <button type="submit" disabled={busy}>
            {busy ? 'Extracting…' : 'Extract events'}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite" class="paste-status">
        {busy ? 'Extracting…' : result ? `${events.length} event${events.length === 1 ? '' : 's'} found${result.articles[0] ? ` (article ${result.articles[0].status})` : ''}.` : ''}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {result?.errors.map((e, i) => (
        <p class="error" key={i}>
          {e.input}: {e.message}
        </p>
      ))}
      {result && (
        <section class="paste-results" aria-label="Extracted events">
          {events.length === 0 && <p>No event was found in this text.</p>}
          {events.map(({ event: e }) => (
            <article class="paste-event" key={e.event_id} data-event-id={e.event_id}>
              <h2>
                <span class={`dot ${eventTypeClass(e.event_type)}`} aria-hidden="true" />
                <a href={href({ ...view, route: { page: 'event', id: e.event_id } })}>
                  {e.event_type ?? 'Event'}
                  {e.sub_event_type ? `: ${e.sub_event_type}` : ''}
                </a>
              </h2>
              <dl class="facts">
                <div>
                  <dt>Date</dt>
                  <dd>{e.event_date ?? 'undated'}</dd>
                </div>
                <div>
                  <dt>Place</dt>
                  <dd class="place">{placeName(e.location, e.admin1, e.country) || 'unknown'}</dd>
                </div>
                <div>
                  <dt>Actors</dt>
                  <dd>{[e.actor1, e.actor2].filter(Boolean).join(' vs ') || '—'}</dd>
                </div>
                <div>
                  <dt>Fatalities</dt>
                  <dd class="fatalities">
                    {e.fatalities}
                    {e.fatalities_high !== undefined && e.fatalities_high !== e.fatalities ? ` (reports up to ${e.fatalities_high})` : ''}
                  </dd>
                </div>
              </dl>
              {e.notes && <p class="notes">{e.notes}</p>}
              {(e.claims ?? []).length > 0 && (
                <table class="claims">
                  <caption class="visually-hidden">Claims</caption>
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
                    {e.claims.map((c, i) => (
                      <tr key={i}>
                        <td>{c.kind}</td>
                        <td class="num">{c.count === null ? 'unknown' : c.count_high != null && c.count_high !== c.count ? `${c.count}–${c.count_high}` : c.count}</td>
                        <td>{c.qualifier.replace('_', ' ')}</td>
                        <td>{c.claimant ?? '—'}</td>
                        <td>{c.victim ?? '—'}</td>
                        <td>“{c.text}”</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </article>
          ))}
        </section>
      )}
    </div>
  );
}
