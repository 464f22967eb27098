// People who may log in: list, add one with a role and an initial password, change a role,
// remove. An admin manages operators and viewers; only an owner manages admins and owners.

import { useState } from 'preact/hooks';
import { api, errorText, get } from '../../api/client';
import type { Role, User } from '../../api/types';
import { FormActions } from '../../components/form-actions';
import { Empty, ErrorNotice, Loading, Outcome } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { defaultRole, grantable, isRole, mayManage, RoleSelect } from './roles';
import { useSubmit } from '../../lib/use-submit';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;

export function UsersSection({ myEmail, myRole, onChanged }: { myEmail: string; myRole: string; onChanged: () => void }) {
  const users = useResource(() => get<User[]>('/api/v1/users'), []);
  const [message, setMessageOnly] = useState<Message>();
  // Every outcome, refused or done, is an audit entry.
  const setMessage = (next: Message) => {
    setMessageOnly(next);
    onChanged();
  };

  const changeRole = async (user: User, role: Role) => {
    try {
      const saved = await api<User>('PATCH', `/api/v1/users/${user.id}`, { role });
      users.update((list) => list.map((item) => (item.id === saved.id ? saved : item)));
      setMessage({ tone: 'ok', text: `${saved.email} is now ${saved.role}.` });
    } catch (error) {
      setMessage({ tone: 'error', text: `The role of ${user.email} could not be changed: ${errorText(error)}` });
      users.reload();
    }
  };
  const remove = async (user: User) => {
    if (!window.confirm(`Remove ${user.email}? They are logged out and can no longer log in.`)) return;
    try {
      await api('DELETE', `/api/v1/users/${user.id}`);
      users.update((list) => list.filter((item) => item.id !== user.id));
      setMessage({ tone: 'ok', text: `${user.email} removed.` });
    } catch (error) {
      setMessage({ tone: 'error', text: `${user.email} could not be removed: ${errorText(error)}` });
    }
  };

  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <Outcome message={message} />
      <UserForm
        myRole={myRole}
        onSaved={(user) => {
          users.update((list) => [...list, user]);
          setMessage({ tone: 'ok', text: `${user.email} added as ${user.role}.` });
        }}
        onMessage={setMessage}
      />
      {users.loading && <Loading what="Loading users" />}
      {users.error !== undefined && <ErrorNotice error={users.error} retry={users.reload} />}
      {users.data && users.data.length === 0 && <Empty title="No users yet." />}
      {users.data && users.data.length > 0 && (
        <table class="table responsive">
          <caption class="table-caption">{`${users.data.length} users`}</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Last login</th>
              <th scope="col">Added</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((user) => {
              const manageable = mayManage(myRole, user.role) && user.email !== myEmail;
              return (
                <tr key={user.id} data-user={user.email}>
                  <th scope="row" data-label="E-mail">
                    {user.email}
                    {user.email === myEmail && <span class="muted"> (you)</span>}
                  </th>
                  <td data-label="Role">
                    {manageable ? (
                      <select
                        aria-label={`Role of ${user.email}`}
                        value={user.role}
                        onChange={(event) => {
                          const value = event.currentTarget.value;
                          if (isRole(value) && value !== user.role) void changeRole(user, value);
                        }}
                      >
                        {grantable(myRole).map((role) => (
                          <option key={role} value={role}>
                            {role}
                          </option>
                        ))}
                      </select>
                    ) : (
                      user.role
                    )}
                  </td>
                  <td data-label="Last login">{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'never'}</td>
                  <td data-label="Added">{formatDateTime(user.createdAt)}</td>
                  <td data-label="Actions">
                    {manageable ? (
                      <button type="button" class="danger" onClick={() => remove(user)} aria-label={`Remove ${user.email}`}>
                        Remove
                      </button>
                    ) : (
                      <span class="muted">{user.email === myEmail ? '—' : 'only an owner manages admins and owners'}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function UserForm({ myRole, onSaved, onMessage }: { myRole: string; onSaved: (user: User) => void; onMessage: (message: Message) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(defaultRole(myRole));
  const { busy, attempt } = useSubmit(onMessage);

  const submit = async (event: Event) => {
    event.preventDefault();
    await attempt('The user could not be added', async () => {
      onSaved(await api<User>('POST', '/api/v1/users', { email: email.trim(), password, role }));
      setEmail('');
      setPassword('');
    });
  };

  return (
    <details class="panel">
      <summary>Add a user</summary>
      <form class="form-grid" onSubmit={submit} aria-label="Add a user">
        <label>
          E-mail
          <input type="email" required autoComplete="off" value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        </label>
        <label>
          Initial password (at least 10 characters)
          <input type="password" required minLength={10} autoComplete="new-password" value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </label>
        <RoleSelect actor={myRole} value={role} onChange={setRole} />
        <FormActions label="Add user" busy={busy} />
      </form>
    </details>
  );
}
