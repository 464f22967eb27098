// Giving the station to another organisation: offered to the platform operator's admins only
// (the backend refuses everyone else anyway). The usual case is a charger that connected
// unannounced and waits here, pending, for the organisation that installed it. The backend
// refuses, with the reason, a station at a site, with a tariff of its own or with sessions.

import { useState } from 'preact/hooks';
import { api, get } from '../../api/client';
import type { StationDetail, Tenant } from '../../api/types';
import { FormActions } from '../../components/form-actions';
import { ErrorNotice, Loading } from '../../components/states';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import type { Message } from './station-page';

export function HandOverPanel({ station, onHandedOver, onMessage }: { station: StationDetail; onHandedOver: (tenantName: string) => void; onMessage: (message: Message) => void }) {
  const tenants = useResource(() => get<Tenant[]>('/api/v1/tenants'), []);
  const [tenantId, setTenantId] = useState('');
  const { busy, attempt } = useSubmit(onMessage);
  const others = (tenants.data ?? []).filter((tenant) => !tenant.platform);

  const submit = async (event: Event) => {
    event.preventDefault();
    const target = others.find((tenant) => String(tenant.id) === tenantId);
    if (!target || !window.confirm(`Give station ${station.id} to ${target.name}? You will no longer see it.`)) return;
    await attempt(`Station ${station.id} was not handed over`, async () => {
      const done = await api<{ tenantName: string }>('POST', `/api/v1/stations/${encodeURIComponent(station.id)}/hand-over`, { tenantId: target.id });
      onHandedOver(done.tenantName);
    });
  };

  return (
    <section aria-labelledby="hand-over-heading">
      <h2 id="hand-over-heading">Organisation</h2>
      <p class="muted">
        This station is the platform's. Give it to the organisation that installed it: from then on it uses that organisation's id tags and tariffs,
        and only that organisation sees it. A station at a site, with a tariff of its own or with sessions stays where it is.
      </p>
      {tenants.loading && <Loading what="Loading organisations" />}
      {tenants.error !== undefined && <ErrorNotice error={tenants.error} retry={tenants.reload} />}
      {tenants.data && others.length === 0 && <p class="muted">There is no other organisation yet (Security › Organisations adds one).</p>}
      {others.length > 0 && (
        <form class="form-grid" onSubmit={submit} aria-label="Hand the station over">
          <label>
            Organisation
            <select required value={tenantId} onChange={(event) => setTenantId(event.currentTarget.value)}>
              <option value="">Choose…</option>
              {others.map((tenant) => (
                <option key={tenant.id} value={String(tenant.id)}>
                  {tenant.name}
                </option>
              ))}
            </select>
          </label>
          <FormActions label="Hand over" busy={busy} />
        </form>
      )}
    </section>
  );
}
