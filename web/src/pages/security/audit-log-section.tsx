// The audit log: every change made through the API, allowed or refused, newest first, a page
// at a time (the backend pages by id: "before" the last id shown).

import { useState } from 'preact/hooks';
import { get, query } from '../../api/client';
import type { AuditEntry } from '../../api/types';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

const PAGE = 50;

export function AuditLogSection({ changes }: { changes: number }) {
  // Ids that started each page seen so far, so "Newer" goes back without a second cursor.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const entries = useResource(() => get<AuditEntry[]>(`/api/v1/audit-log${query({ limit: PAGE, before })}`), [before, changes]);
  const last = entries.data?.[entries.data.length - 1];

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <p class="muted">Every change made through the API or this dashboard, allowed or refused, newest first.</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={entries.reload}>
          Refresh
        </button>
        <button type="button" class="secondary" disabled={cursors.length <= 1} onClick={() => setCursors((list) => list.slice(0, -1))}>
          Newer
        </button>
        <button type="button" class="secondary" disabled={!last || (entries.data?.length ?? 0) < PAGE} onClick={() => last && setCursors((list) => [...list, last.id])}>
          Older
        </button>
      </div>
      {entries.loading && <Loading what="Loading the audit log" />}
      {entries.error !== undefined && <ErrorNotice error={entries.error} retry={entries.reload} />}
      {entries.data && entries.data.length === 0 && <Empty title="Nothing in the audit log yet.">Changes made through the API appear here.</Empty>}
      {entries.data && entries.data.length > 0 && (
        <table class="table responsive" aria-label="Audit log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {entries.data.map((entry) => (
              <tr key={entry.id} data-audit={entry.id}>
                <td data-label="When">{formatDateTime(entry.at)}</td>
                <td data-label="Who">
                  {entry.actor}{' '}
                  <span class="muted">
                    ({entry.actorKind === 'user' ? '' : `${entry.actorKind}, `}
                    {entry.role})
                  </span>
                </td>
                <td data-label="What">
                  <code>{entry.action}</code>
                </td>
                <td data-label="Target">{entry.target ?? '—'}</td>
                <td data-label="Status">
                  <span class={`badge badge-${entry.outcome < 400 ? 'ok' : 'bad'}`}>{entry.outcome}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
