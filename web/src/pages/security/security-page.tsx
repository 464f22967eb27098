// Security: who is logged in now (and in which organisation), the organisations (for the
// platform operator's admins), the people who may log in and their roles, API keys, station
// certificates (our CA, the revocation list) and the audit log of every change made through the
// API. Managing people, keys and revocations is an admin's or an owner's; everyone else sees
// their own account, the certificates, and why the rest is not offered.

import { useState } from 'preact/hooks';
import { PageHeader } from '../../components/page-header';
import { ApiKeysSection } from './api-keys-section';
import { AuditLogSection } from './audit-log-section';
import { CertificatesSection } from './certificates-section';
import { mayAdminister } from './roles';
import { TenantsSection } from './tenants-section';
import { UsersSection } from './users-section';
import type { Me } from '../../api/types';

export function SecurityPage({ me }: { me: Me }) {
  const { email, role, tenant } = me;
  const admin = mayAdminister(role);
  // Each change made here is a new audit entry: the log reloads to show it.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((count) => count + 1);
  return (
    <>
      <PageHeader title="Security" />
      <section aria-labelledby="account-heading">
        <h2 id="account-heading">Your account</h2>
        <dl class="facts">
          <div>
            <dt>E-mail</dt>
            <dd>{email}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{role}</dd>
          </div>
          <div>
            <dt>Organisation</dt>
            <dd>{tenant.name}</dd>
          </div>
        </dl>
        <p class="muted">A forgotten password is reset by starting the backend once with ADMIN_PASSWORD set.</p>
      </section>
      {admin ? (
        <>
          <UsersSection myEmail={email} myRole={role} onChanged={changed} />
          <ApiKeysSection myRole={role} onChanged={changed} />
        </>
      ) : (
        <section aria-labelledby="needs-admin-heading" class="state state-empty" data-testid="needs-admin">
          <h2 id="needs-admin-heading">Users, API keys and the audit log</h2>
          <p>
            These need the <strong>admin</strong> or <strong>owner</strong> role; yours is <strong>{role}</strong>. Ask an admin to change your role if you need
            them.
          </p>
        </section>
      )}
      {admin && tenant.platform && <TenantsSection onChanged={changed} />}
      <CertificatesSection admin={admin} onChanged={changed} />
      {admin && <AuditLogSection changes={changes} />}
    </>
  );
}
