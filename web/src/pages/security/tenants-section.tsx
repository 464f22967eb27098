// Organisations (tenants) sharing this backend, for the platform operator's admins and owners:
// the list, and a new organisation with its first owner, who logs in and sets up the rest of
// it. Nobody else is offered this section (the backend refuses them anyway).

import { useState } from 'preact/hooks';
import { api, get } from '../../api/client';
import type { Tenant } from '../../api/types';
import { FormActions } from '../../components/form-actions';
import { ErrorNotice, Loading, Outcome } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;

export function TenantsSection({ onChanged }: { onChanged: () => void }) {
  const tenants = useResource(() => get<Tenant[]>('/api/v1/tenants'), []);
  const [message, setMessageOnly] = useState<Message>();
  const setMessage = (next: Message) => {
    setMessageOnly(next);
    onChanged();
  };

  return (
    <section aria-labelledby="tenants-heading">
      <h2 id="tenants-heading">Organisations</h2>
      <p class="muted">Each organisation sees only its own stations, sites, id tags, tariffs, sessions, invoices, people and keys.</p>
      <Outcome message={message} />
      <TenantForm
        onSaved={(tenant, ownerEmail) => {
          tenants.update((list) => [...list, tenant]);
          setMessage({ tone: 'ok', text: `${tenant.name} added; ${ownerEmail} can now log in as its owner.` });
        }}
        onMessage={setMessage}
      />
      {tenants.loading && <Loading what="Loading organisations" />}
      {tenants.error !== undefined && <ErrorNotice error={tenants.error} retry={tenants.reload} />}
      {tenants.data && (
        <table class="table responsive">
          <caption class="table-caption">{`${tenants.data.length} organisations`}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Invoice details</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {tenants.data.map((tenant) => (
              <tr key={tenant.id} data-tenant={tenant.name}>
                <th scope="row" data-label="Name">
                  {tenant.name}
                  {tenant.platform && <span class="muted"> (platform operator)</span>}
                </th>
                <td data-label="Invoice details">{[tenant.invoiceAddress, tenant.vatId].filter(Boolean).join(' · ') || '—'}</td>
                <td data-label="Added">{formatDateTime(tenant.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TenantForm({ onSaved, onMessage }: { onSaved: (tenant: Tenant, ownerEmail: string) => void; onMessage: (message: Message) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, attempt } = useSubmit(onMessage);

  const submit = async (event: Event) => {
    event.preventDefault();
    await attempt('The organisation could not be added', async () => {
      const owner = { email: email.trim(), password };
      onSaved(await api<Tenant>('POST', '/api/v1/tenants', { name: name.trim(), owner }), owner.email);
      setName('');
      setEmail('');
      setPassword('');
    });
  };

  return (
    <details class="panel">
      <summary>Add an organisation</summary>
      <form class="form-grid" onSubmit={submit} aria-label="Add an organisation">
        <label>
          Name
          <input required maxLength={100} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label>
          Its owner's e-mail
          <input type="email" required autoComplete="off" value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        </label>
        <label>
          Owner's initial password (at least 10 characters)
          <input type="password" required minLength={10} autoComplete="new-password" value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </label>
        <FormActions label="Add organisation" busy={busy} />
      </form>
    </details>
  );
}
