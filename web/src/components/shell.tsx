// The frame around every page: skip link, header (live status, who is logged in, log out) and
// the navigation, which folds into a menu button on narrow screens.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useFeatures } from '../api/features';
import { useFeedStatus } from '../live/feed';
import { NAVIGATION } from '../pages/registry';
import { useLocation } from '../router';
import { Link } from './link';

const FEED_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

export function Shell({ email, tenant, onLogout, children }: { email: string; tenant: string; onLogout: () => void; children: ComponentChildren }) {
  const { path } = useLocation();
  const features = useFeatures();
  const status = useFeedStatus();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After navigation, focus goes to the new page's content, as after a page load.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <Link href="/" class="brand">
          Charging dashboard
        </Link>
        {status && (
          <span class={`feed-status feed-${status}`} role="status" aria-live="polite" title="Updates from the backend arrive without reloading">
            <span aria-hidden="true" class="feed-dot" />
            {FEED_TEXT[status]}
          </span>
        )}
        <span class="user" title="Logged in as">
          {email} <span class="muted">· {tenant}</span>
        </span>
        <button type="button" class="secondary" onClick={onLogout}>
          Log out
        </button>
      </header>
      {/* A chosen page closes the menu at once (not only after the new page has rendered). */}
      <nav id="main-nav" aria-label="Main" class={`sidenav ${menuOpen ? 'open' : ''}`} onClick={(event) => (event.target as Element).closest('a') && setMenuOpen(false)}>
        <ul>
          {NAVIGATION.map((page) => {
            const current = page.path === '/' ? path === '/' : path === page.path || path.startsWith(`${page.path}/`);
            const available = !page.requires || page.requires.paths.every((required) => features.has(required));
            return (
              <li key={page.path}>
                <Link href={page.path} class={available ? '' : 'not-available'} aria-current={current ? 'page' : undefined}>
                  {page.nav}
                  {!available && <span class="visually-hidden"> (not available in this version)</span>}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
