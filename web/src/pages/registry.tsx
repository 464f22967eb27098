// Every page of the dashboard, one entry per capability. A page whose API is not part of this
// backend yet names the API paths it needs and what brings them; until then it shows a plain
// "not available in this version" (see ../app.tsx). Adding a capability's page is one entry here.

import type { ComponentChildren } from 'preact';
import type { Me } from '../api/types';
import { IdTagsPage } from './id-tags';
import { ExportsPage } from './exports';
import { InvoicesPage } from './invoices';
import { SecurityPage } from './security/security-page';
import { OverviewPage } from './overview';
import { SessionDetailPage } from './session-detail';
import { SessionsPage } from './sessions';
import { SitePage } from './sites/site-page';
import { SitesPage } from './sites/sites-page';
import { StationPage } from './station/station-page';
import { StationsPage } from './stations';
import { TariffsPage } from './tariffs/tariffs-page';

export interface PageDef {
  /** Route pattern, e.g. /stations/:id. */
  path: string;
  title: string;
  /** Label in the main navigation; detail pages have none. */
  nav?: string;
  /** API paths (as in /api/openapi.json) without which the page has nothing to show. */
  requires?: { paths: string[]; comesWith: string };
  view: (params: Record<string, string>, me: Me) => ComponentChildren;
}

const SITES = { paths: ['/api/v1/sites'], comesWith: 'sites and load management' };

export const PAGES: PageDef[] = [
  { path: '/', title: 'Overview', nav: 'Overview', view: () => <OverviewPage /> },
  { path: '/stations', title: 'Stations', nav: 'Stations', view: () => <StationsPage /> },
  { path: '/stations/:id', title: 'Station', view: (params, me) => <StationPage key={params['id']} id={params['id']!} me={me} /> },
  { path: '/sessions', title: 'Sessions', nav: 'Sessions', view: () => <SessionsPage /> },
  { path: '/sessions/:id', title: 'Session', view: (params) => <SessionDetailPage key={params['id']} id={params['id']!} /> },
  { path: '/id-tags', title: 'Id tags', nav: 'Id tags', view: () => <IdTagsPage /> },
  { path: '/tariffs', title: 'Tariffs', nav: 'Tariffs', requires: { paths: ['/api/v1/tariffs'], comesWith: 'billing' }, view: () => <TariffsPage /> },
  { path: '/sites', title: 'Sites and load', nav: 'Sites and load', requires: SITES, view: () => <SitesPage /> },
  { path: '/sites/:id', title: 'Site', requires: SITES, view: (params) => <SitePage key={params['id']} id={params['id']!} /> },
  { path: '/invoices', title: 'Invoices', nav: 'Invoices', requires: { paths: ['/api/v1/invoices'], comesWith: 'billing (invoices)' }, view: () => <InvoicesPage /> },
  { path: '/exports', title: 'Reports and exports', nav: 'Reports and exports', view: (_params, me) => <ExportsPage role={me.role} /> },
  { path: '/security', title: 'Security', nav: 'Security', view: (_params, me) => <SecurityPage me={me} /> },
];

export const NAVIGATION = PAGES.filter((page): page is PageDef & { nav: string } => page.nav !== undefined);
