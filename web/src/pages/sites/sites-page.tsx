// Sites: each grid connection with its limit and stations; one opens for its stations, its
// settings and its load.

import { useState } from 'preact/hooks';
import { get } from '../../api/client';
import type { Site } from '../../api/types';
import { Link, siteHref } from '../../components/link';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorNotice, Loading, Outcome } from '../../components/states';
import { useResource } from '../../lib/use-resource';
import { navigate, useLocation } from '../../router';
import { SiteForm } from './site-form';

export function limitText(site: Site): string {
  if (site.gridLimitAmps == null) return 'none';
  return `${site.gridLimitAmps} A per phase × ${site.phases} at ${site.voltage} V`;
}

export function SitesPage() {
  const { search } = useLocation();
  const sites = useResource(() => get<Site[]>('/api/v1/sites'), []);
  const deleted = search.get('deleted');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>(deleted ? { tone: 'ok', text: `Site ${deleted} deleted.` } : undefined);

  return (
    <>
      <PageHeader title="Sites and load" />
      <Outcome message={message} />
      <details class="panel">
        <summary>Add a site</summary>
        <SiteForm onSaved={(site) => navigate(siteHref(site.id))} onMessage={setMessage} />
      </details>
      {sites.loading && <Loading what="Loading sites" />}
      {sites.error !== undefined && <ErrorNotice error={sites.error} retry={sites.reload} />}
      {sites.data?.length === 0 && (
        <Empty title="No sites yet.">A site is one grid connection (a car park, a depot): add one above, then add its stations to share its limit.</Empty>
      )}
      {sites.data && sites.data.length > 0 && (
        <table class="table responsive">
          <caption class="table-caption">{`${sites.data.length} site${sites.data.length === 1 ? '' : 's'}`}</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Time zone</th>
              <th scope="col">Grid limit</th>
              <th scope="col">Stations</th>
            </tr>
          </thead>
          <tbody>
            {sites.data.map((site) => (
              <tr key={site.id} data-site={site.id}>
                <th scope="row" data-label="Site">
                  <Link href={siteHref(site.id)}>{site.name}</Link>
                </th>
                <td data-label="Time zone">{site.timeZone}</td>
                <td data-label="Grid limit">{limitText(site)}</td>
                <td data-label="Stations">{site.stationIds.length === 0 ? <span class="muted">none</span> : site.stationIds.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
