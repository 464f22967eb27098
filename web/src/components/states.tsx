// The states every page can be in besides "here is the data": loading, failed, empty, and not
// part of this backend yet. Each says what is going on and, where there is one, what to do.

import type { ComponentChildren } from 'preact';
import { errorText } from '../api/client';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

export function ErrorNotice({ error, retry, title = 'This could not be loaded' }: { error: unknown; retry?: () => void; title?: string }) {
  return (
    <div class="state state-error" role="alert">
      <p>
        <strong>{title}.</strong> {errorText(error)}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children && <div>{children}</div>}
    </div>
  );
}

/** A capability whose API this backend does not have yet: said plainly, no stand-in data. */
export function Unavailable({ capability, comesWith, compact = false }: { capability: string; comesWith: string; compact?: boolean }) {
  if (compact) return <span class="unavailable">{`${capability}: not available in this version (arrives with ${comesWith}).`}</span>;
  return (
    <div class="state state-unavailable" role="note">
      <p>
        <strong>{capability}: not available in this version.</strong>
      </p>
      <p>This backend does not offer it yet; it arrives with {comesWith}. Nothing is shown here until then.</p>
    </div>
  );
}

/** The outcome of an action, read out by screen readers. */
export function Outcome({ message }: { message: { tone: 'ok' | 'error'; text: string } | undefined }) {
  return (
    <p class={`outcome ${message ? `outcome-${message.tone}` : ''}`} role="status" aria-live="polite">
      {message?.text ?? ''}
    </p>
  );
}
