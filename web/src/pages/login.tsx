// Log-in for dashboard users (for now the bootstrap administrator printed at first start).

import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client';
import type { Me } from '../api/types';

export function LoginPage({ onLoggedIn, notice }: { onLoggedIn: (me: Me) => void; notice?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLoggedIn(await api<Me>('POST', '/api/v1/auth/login', { email: email.trim(), password }));
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  };

  return (
    <main class="login" id="main">
      <form class="login-form" onSubmit={submit} aria-labelledby="login-heading">
        <h1 id="login-heading">Charging dashboard</h1>
        {notice && <p class="state state-empty">{notice}</p>}
        <label>
          E-mail
          <input type="email" name="email" autocomplete="username" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autocomplete="current-password" required value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        </label>
        {error && (
          <p class="state state-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <p class="muted">The first administrator's password is printed once when the backend first starts (or set with ADMIN_EMAIL and ADMIN_PASSWORD).</p>
      </form>
    </main>
  );
}
