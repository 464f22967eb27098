// The app: checks for a session, shows the log-in or the shell with the page for the current
// path, and keeps the live feed open while someone is logged in.

import { useEffect, useState } from 'preact/hooks';
import { api, get, setCsrfToken, whenSessionLost, ApiError } from './api/client';
import { FeaturesContext, loadFeatures, useFeatures, type ApiFeatures } from './api/features';
import type { Me } from './api/types';
import { PageHeader } from './components/page-header';
import { Shell } from './components/shell';
import { ErrorNotice, Loading, Unavailable } from './components/states';
import { FeedContext, openFeed, type Feed } from './live/feed';
import { LoginPage } from './pages/login';
import { PAGES } from './pages/registry';
import { matchPath, useLocation } from './router';

type State = { phase: 'starting' } | { phase: 'failed'; error: unknown } | { phase: 'login'; notice?: string } | { phase: 'ready'; me: Me };

export function App() {
  const [state, setState] = useState<State>({ phase: 'starting' });
  const [features, setFeatures] = useState<ApiFeatures>();
  const [feed, setFeed] = useState<Feed>();

  const start = () => {
    setState({ phase: 'starting' });
    Promise.all([loadFeatures(), get<Me>('/api/v1/auth/session').catch((error: unknown) => (error instanceof ApiError && error.status === 401 ? undefined : Promise.reject(error)))]).then(
      ([loaded, me]) => {
        setFeatures(loaded);
        setState(me ? { phase: 'ready', me } : { phase: 'login' });
      },
      (error: unknown) => setState({ phase: 'failed', error }),
    );
  };
  useEffect(start, []);
  useEffect(() => whenSessionLost(() => setState({ phase: 'login', notice: 'Your session has ended. Please log in again.' })), []);

  const me = state.phase === 'ready' ? state.me : undefined;
  useEffect(() => {
    setCsrfToken(me?.csrfToken);
    if (!me) return;
    const opened = openFeed('/api/v1/events/stream', () => {
      // The feed was refused: find out whether the session ended (the API then says 401).
      void get('/api/v1/auth/session').catch(() => setState({ phase: 'login', notice: 'Your session has ended. Please log in again.' }));
    });
    setFeed(opened);
    return () => {
      opened.close();
      setFeed(undefined);
    };
  }, [me]);

  const logout = async () => {
    await api('POST', '/api/v1/auth/logout').catch(() => undefined);
    setState({ phase: 'login', notice: 'You are logged out.' });
  };

  if (state.phase === 'starting') return <Loading what="Starting the dashboard" />;
  if (state.phase === 'failed') return <ErrorNotice error={state.error} retry={start} title="The dashboard could not reach the backend" />;
  if (state.phase === 'login') return <LoginPage notice={state.notice} onLoggedIn={(loggedIn) => setState({ phase: 'ready', me: loggedIn })} />;
  return (
    <FeaturesContext.Provider value={features!}>
      <FeedContext.Provider value={feed}>
        <Shell email={state.me.email} tenant={state.me.tenant.name} onLogout={logout}>
          <CurrentPage me={state.me} />
        </Shell>
      </FeedContext.Provider>
    </FeaturesContext.Provider>
  );
}

function CurrentPage({ me }: { me: Me }) {
  const { path } = useLocation();
  const features = useFeatures();
  for (const page of PAGES) {
    const params = matchPath(page.path, path);
    if (!params) continue;
    if (page.requires && !page.requires.paths.every((required) => features.has(required))) {
      return (
        <>
          <PageHeader title={page.title} />
          <Unavailable capability={page.title} comesWith={page.requires.comesWith} />
        </>
      );
    }
    return page.view(params, me);
  }
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at <code>{path}</code>. Use the navigation to find your way.
      </p>
    </>
  );
}
