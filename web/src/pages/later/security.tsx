// Security: who is logged in now; users and roles, API keys, station certificates and the
// security event log arrive with the security work.

import { PageHeader } from '../../components/page-header';
import { Unavailable } from '../../components/states';

export function SecurityPage({ email, role }: { email: string; role: string }) {
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
        </dl>
        <p class="muted">A forgotten password is reset by starting the backend once with ADMIN_PASSWORD set.</p>
      </section>
      <Unavailable capability="Users and roles, API keys, station certificates and security events" comesWith="the security work" />
    </>
  );
}
