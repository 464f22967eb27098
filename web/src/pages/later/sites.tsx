// Sites and load (load-management work): each site's grid connection limit. The chart of the
// limit against the live draw needs the load API, which is not described yet; it says so.

import { get } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorNotice, Loading, Unavailable } from '../../components/states';
import { useResource } from '../../lib/use-resource';

interface Site {
  id: string;
  name: string;
  timeZone?: string;
  gridLimitAmps?: number | null;
  phases?: number;
  voltage?: number;
}

export function SitesPage() {
  const sites = useResource(() => get<Site[]>('/api/v1/sites'), []);
  return (
    <>
      <PageHeader title="Sites and load" />
      {sites.loading && <Loading what="Loading sites" />}
      {sites.error !== undefined && <ErrorNotice error={sites.error} retry={sites.reload} />}
      {sites.data?.length === 0 && <Empty title="No sites yet." />}
      {sites.data && sites.data.length > 0 && (
        <table class="table responsive">
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Time zone</th>
              <th scope="col">Grid limit</th>
            </tr>
          </thead>
          <tbody>
            {sites.data.map((site) => (
              <tr key={site.id}>
                <th scope="row" data-label="Site">
                  {site.name}
                </th>
                <td data-label="Time zone">{site.timeZone ?? '—'}</td>
                <td data-label="Grid limit">
                  {site.gridLimitAmps != null ? `${site.gridLimitAmps} A per phase${site.phases ? ` × ${site.phases} phases` : ''}${site.voltage ? ` at ${site.voltage} V` : ''}` : 'none'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Unavailable capability="Limit against live draw" comesWith="load management" />
    </>
  );
}
