/**
 * The page frame: a header with the app's name and its three places (the events dashboard, an
 * event's page, the paste box), and the view the URL names.
 */
import { useEffect } from 'preact/hooks';
import { useView, href } from '../router';
import { Dashboard } from './Dashboard';
import { EventPage } from './EventPage';
import { PastePage } from './PastePage';

export function App() {
  const view = useView();
  const page = view.route.page;
  useEffect(() => {
    document.title =
      page === 'event' ? 'Event — sitrep' : page === 'paste' ? 'Paste an article — sitrep' : 'Conflict events — sitrep';
  }, [page]);
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href={href({ ...view, route: { page: 'dashboard' } })}>
          sitrep
        </a>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href={href({ ...view, route: { page: 'dashboard' } })} aria-current={page === 'dashboard' ? 'page' : undefined}>
                Events
              </a>
            </li>
            <li>
              <a href={href({ ...view, route: { page: 'paste' } })} aria-current={page === 'paste' ? 'page' : undefined}>
                Paste an article
              </a>
            </li>
            <li>
              <a href="/docs">API</a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {view.route.page === 'event' ? (
          <EventPage id={view.route.id} view={view} />
        ) : view.route.page === 'paste' ? (
          <PastePage view={view} />
        ) : (
          <Dashboard view={view} />
        )}
      </main>
    </>
  );
}
