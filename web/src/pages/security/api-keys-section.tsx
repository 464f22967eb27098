// API keys for scripts and integrations: list, create (the secret is shown once, here, and
// never again), revoke. Only an owner creates or revokes admin and owner keys.

import { useState } from 'preact/hooks';
import { api, errorText, get } from '../../api/client';
import type { ApiKey, Role } from '../../api/types';
import { FormActions } from '../../components/form-actions';
import { Empty, ErrorNotice, Loading, Outcome } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { defaultRole, mayManage, RoleSelect } from './roles';
import { useSubmit } from '../../lib/use-submit';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;

export function ApiKeysSection({ myRole, onChanged }: { myRole: string; onChanged: () => void }) {
  const keys = useResource(() => get<ApiKey[]>('/api/v1/api-keys'), []);
  const [message, setMessageOnly] = useState<Message>();
  // Every outcome, refused or done, is an audit entry.
  const setMessage = (next: Message) => {
    setMessageOnly(next);
    onChanged();
  };
  const [created, setCreated] = useState<{ name: string; secret: string }>();

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke the API key "${key.name}"? Whatever uses it stops working at once.`)) return;
    try {
      const revoked = await api<ApiKey>('DELETE', `/api/v1/api-keys/${key.id}`);
      keys.update((list) => list.map((item) => (item.id === revoked.id ? revoked : item)));
      setMessage({ tone: 'ok', text: `API key "${key.name}" revoked.` });
    } catch (error) {
      setMessage({ tone: 'error', text: `API key "${key.name}" could not be revoked: ${errorText(error)}` });
    }
  };

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <Outcome message={message} />
      {created && (
        <div class="state state-empty" role="region" aria-label="New API key secret" data-testid="new-key-secret">
          <p>
            <strong>The secret of "{created.name}" is shown this once.</strong> Copy it now (select it and press Ctrl+C, or ⌘C); only a hash is kept, so it cannot
            be shown again. Scripts send it as <code>Authorization: Bearer …</code>.
          </p>
          <input class="secret" readOnly value={created.secret} aria-label="Secret" onFocus={(event) => event.currentTarget.select()} />
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setCreated(undefined)}>
              I have copied it
            </button>
          </div>
        </div>
      )}
      <KeyForm
        myRole={myRole}
        onCreated={(key) => {
          const { secret, ...row } = key;
          keys.update((list) => [...list, row]);
          setCreated({ name: key.name, secret });
          setMessage({ tone: 'ok', text: `API key "${key.name}" created.` });
        }}
        onMessage={setMessage}
      />
      {keys.loading && <Loading what="Loading API keys" />}
      {keys.error !== undefined && <ErrorNotice error={keys.error} retry={keys.reload} />}
      {keys.data && keys.data.length === 0 && <Empty title="No API keys yet.">Create one for a script or an integration.</Empty>}
      {keys.data && keys.data.length > 0 && (
        <table class="table responsive">
          <caption class="table-caption">{`${keys.data.length} API keys`}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id} data-api-key={key.name}>
                <th scope="row" data-label="Name">
                  {key.name}
                </th>
                <td data-label="Role">{key.role}</td>
                <td data-label="Created">
                  {formatDateTime(key.createdAt)}
                  {key.createdBy && <span class="muted"> by {key.createdBy}</span>}
                </td>
                <td data-label="Last used">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never'}</td>
                <td data-label="State">
                  {key.revokedAt ? <span class="badge badge-bad">revoked {formatDateTime(key.revokedAt)}</span> : <span class="badge badge-ok">active</span>}
                </td>
                <td data-label="Actions">
                  {!key.revokedAt && mayManage(myRole, key.role) ? (
                    <button type="button" class="danger" onClick={() => revoke(key)} aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </button>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function KeyForm({ myRole, onCreated, onMessage }: { myRole: string; onCreated: (key: ApiKey & { secret: string }) => void; onMessage: (message: Message) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(defaultRole(myRole));
  const { busy, attempt } = useSubmit(onMessage);

  const submit = async (event: Event) => {
    event.preventDefault();
    await attempt('The API key could not be created', async () => {
      onCreated(await api<ApiKey & { secret: string }>('POST', '/api/v1/api-keys', { name: name.trim(), role }));
      setName('');
    });
  };

  return (
    <details class="panel">
      <summary>Create an API key</summary>
      <form class="form-grid" onSubmit={submit} aria-label="Create an API key">
        <label>
          Name (what uses it)
          <input required maxLength={100} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <RoleSelect actor={myRole} value={role} onChange={setRole} />
        <FormActions label="Create API key" busy={busy} />
      </form>
    </details>
  );
}
