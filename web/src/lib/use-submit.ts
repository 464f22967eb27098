// What every form and action button does with the backend: busy while the request runs (its
// button disabled), and a failure reported as "<what failed>: <the backend's reason>".

import { useState } from 'preact/hooks';
import { errorText } from '../api/client';

export function useSubmit(report: (message: { tone: 'error'; text: string }) => void) {
  const [busy, setBusy] = useState(false);
  /** Runs `action`; if it throws, reports `failure` with the reason. */
  const attempt = async (failure: string, action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      report({ tone: 'error', text: `${failure}: ${errorText(error)}` });
    } finally {
      setBusy(false);
    }
  };
  return { busy, attempt };
}
