// RFID cards and other tokens that may charge: list, add, change, delete, and CSV import and
// export (the backend's /api/v1/id-tags.csv, the same format both ways).

import { useState } from 'preact/hooks';
import { api, ApiError, errorText, get, sendText } from '../api/client';
import type { IdTag, IdTagStatus } from '../api/types';
import { FormActions } from '../components/form-actions';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading, Outcome } from '../components/states';
import { formatDateTime } from '../lib/format';
import { useResource, type Resource } from '../lib/use-resource';
import { useSubmit } from '../lib/use-submit';

const STATUSES: IdTagStatus[] = ['Accepted', 'Blocked', 'Expired', 'Invalid'];
type Message = { tone: 'ok' | 'error'; text: string } | undefined;
const tagPath = (idTag: string) => `/api/v1/id-tags/${encodeURIComponent(idTag)}`;

export function IdTagsPage() {
  const tags = useResource(() => get<IdTag[]>('/api/v1/id-tags'), []);
  const [message, setMessage] = useState<Message>();
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string>();

  const remove = async (tag: IdTag) => {
    if (!window.confirm(`Delete id tag ${tag.idTag}? Stations stop accepting it (unless it is in their local list).`)) return;
    try {
      await api('DELETE', tagPath(tag.idTag));
      tags.update((list) => list.filter((item) => item.idTag !== tag.idTag));
      setMessage({ tone: 'ok', text: `Id tag ${tag.idTag} deleted.` });
    } catch (error) {
      setMessage({ tone: 'error', text: `Id tag ${tag.idTag} could not be deleted: ${errorText(error)}` });
    }
  };
  const shown = (tags.data ?? []).filter((tag) => `${tag.idTag} ${tag.parentIdTag ?? ''} ${tag.status}`.toLowerCase().includes(filter.toLowerCase()));

  return (
    <>
      <PageHeader title="Id tags">
        <a class="button secondary" href="/api/v1/id-tags.csv" download>
          Export CSV
        </a>
      </PageHeader>
      <Outcome message={message} />
      <TagForm
        title="Add an id tag"
        onSaved={(tag) => {
          tags.update((list) => [...list, tag]);
          setMessage({ tone: 'ok', text: `Id tag ${tag.idTag} added.` });
        }}
        onMessage={setMessage}
      />
      <CsvImport tags={tags} onMessage={setMessage} />
      {tags.loading && <Loading what="Loading id tags" />}
      {tags.error !== undefined && <ErrorNotice error={tags.error} retry={tags.reload} />}
      {tags.data && tags.data.length === 0 && <Empty title="No id tags yet.">Add one above or import a CSV file.</Empty>}
      {tags.data && tags.data.length > 0 && (
        <section aria-labelledby="tags-heading">
          <h2 id="tags-heading">All id tags</h2>
          <label class="inline-label">
            Filter
            <input type="search" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} />
          </label>
          <table class="table responsive">
            <caption class="table-caption">{`${shown.length} of ${tags.data.length} id tags`}</caption>
            <thead>
              <tr>
                <th scope="col">Id tag</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Group (parent)</th>
                <th scope="col">Internal</th>
                <th scope="col">Changed</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {shown
                .sort((a, b) => a.idTag.localeCompare(b.idTag))
                .map((tag) =>
                  editing === tag.idTag ? (
                    <tr key={tag.idTag}>
                      <td colSpan={7}>
                        <TagForm
                          title={`Change ${tag.idTag}`}
                          existing={tag}
                          onSaved={(saved) => {
                            tags.update((list) => list.map((item) => (item.idTag === saved.idTag ? saved : item)));
                            setEditing(undefined);
                            setMessage({ tone: 'ok', text: `Id tag ${saved.idTag} saved.` });
                          }}
                          onCancel={() => setEditing(undefined)}
                          onMessage={setMessage}
                        />
                      </td>
                    </tr>
                  ) : (
                    <tr key={tag.idTag} data-id-tag={tag.idTag}>
                      <th scope="row" data-label="Id tag">
                        {tag.idTag}
                      </th>
                      <td data-label="Status">
                        <span class={`badge badge-${tag.status === 'Accepted' ? 'ok' : 'bad'}`}>{tag.status}</span>
                      </td>
                      <td data-label="Expires">{tag.expiryDate ? formatDateTime(tag.expiryDate) : 'never'}</td>
                      <td data-label="Group (parent)">{tag.parentIdTag ?? '—'}</td>
                      <td data-label="Internal">{tag.internal ? 'yes (not billed)' : 'no'}</td>
                      <td data-label="Changed">{formatDateTime(tag.updatedAt)}</td>
                      <td data-label="Actions">
                        <div class="actions">
                          <button type="button" class="secondary" onClick={() => setEditing(tag.idTag)} aria-label={`Change ${tag.idTag}`}>
                            Change
                          </button>
                          <button type="button" class="danger" onClick={() => remove(tag)} aria-label={`Delete ${tag.idTag}`}>
                            Delete
                          </button>
                        </div>
                      </td>
                    </tr>
                  ),
                )}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

/** A date-time field's value (local) from an ISO instant, and back. */
const toLocalInput = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

interface TagFormProps {
  title: string;
  existing?: IdTag;
  onSaved: (tag: IdTag) => void;
  onCancel?: () => void;
  onMessage: (message: Message) => void;
}

function TagForm({ title, existing, onSaved, onCancel, onMessage }: TagFormProps) {
  const [idTag, setIdTag] = useState(existing?.idTag ?? '');
  const [status, setStatus] = useState<IdTagStatus>(existing?.status ?? 'Accepted');
  const [expiry, setExpiry] = useState(toLocalInput(existing?.expiryDate ?? null));
  const [parent, setParent] = useState(existing?.parentIdTag ?? '');
  const [internal, setInternal] = useState(existing?.internal ?? false);
  const { busy, attempt } = useSubmit(onMessage);
  const prefix = existing ? `edit-${existing.idTag}` : 'new-tag';

  const submit = async (event: Event) => {
    event.preventDefault();
    const fields = { status, expiryDate: fromLocalInput(expiry), parentIdTag: parent.trim() || null, internal };
    await attempt('The id tag could not be saved', async () => {
      const saved = existing ? await api<IdTag>('PATCH', tagPath(existing.idTag), fields) : await api<IdTag>('POST', '/api/v1/id-tags', { idTag: idTag.trim(), ...fields });
      onSaved(saved);
      if (!existing) {
        setIdTag('');
        setParent('');
        setExpiry('');
        setInternal(false);
      }
    });
  };

  const body = (
    <form class="form-grid" onSubmit={submit} aria-label={title}>
      {!existing && (
        <label>
          Id tag
          <input id={`${prefix}-id`} required maxLength={20} value={idTag} onInput={(event) => setIdTag(event.currentTarget.value)} />
        </label>
      )}
      <label>
        Status
        <select value={status} onChange={(event) => setStatus(event.currentTarget.value as IdTagStatus)}>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      <label>
        Expires (optional)
        <input type="datetime-local" value={expiry} onInput={(event) => setExpiry(event.currentTarget.value)} />
      </label>
      <label>
        Group / parent id tag (optional)
        <input maxLength={20} value={parent} onInput={(event) => setParent(event.currentTarget.value)} />
      </label>
      <label class="checkbox">
        <input type="checkbox" checked={internal} onChange={(event) => setInternal(event.currentTarget.checked)} />
        Internal user (sessions not billed)
      </label>
      <FormActions label={existing ? 'Save' : 'Add id tag'} busy={busy} onCancel={onCancel} />
    </form>
  );
  return existing ? (
    body
  ) : (
    <details class="panel">
      <summary>{title}</summary>
      {body}
    </details>
  );
}

interface ImportProblem {
  line: number;
  reason: string;
}

/** The backend's import (all or nothing): it reads the file and says which rows are wrong. */
function CsvImport({ tags, onMessage }: { tags: Resource<IdTag[]>; onMessage: (message: Message) => void }) {
  const [file, setFile] = useState<{ name: string; text: string }>();
  // (Its failures are its own: a refused file lists the wrong rows.)
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<ImportProblem[]>([]);

  const choose = async (event: Event) => {
    const chosen = (event.currentTarget as HTMLInputElement).files?.[0];
    setProblems([]);
    setFile(chosen ? { name: chosen.name, text: await chosen.text() } : undefined);
  };

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setProblems([]);
    try {
      const result = await sendText<{ created: number; updated: number }>('POST', '/api/v1/id-tags.csv', file.text, 'text/csv');
      setFile(undefined);
      tags.reload();
      onMessage({ tone: 'ok', text: `Import done: ${result.created} added, ${result.updated} updated.` });
    } catch (error) {
      const listed = error instanceof ApiError ? (error.body as { errors?: ImportProblem[] } | undefined)?.errors : undefined;
      setProblems(Array.isArray(listed) ? listed : []);
      onMessage({ tone: 'error', text: `${Array.isArray(listed) ? 'Import refused' : 'The import failed'}: ${errorText(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="panel">
      <summary>Import id tags from a CSV file</summary>
      <p class="muted">
        Comma-separated, a header row naming the columns: <code>idTag</code> (required), <code>status</code>, <code>expiryDate</code>, <code>parentIdTag</code>,{' '}
        <code>ownerName</code>, <code>internal</code>, <code>maxConcurrentTx</code>, <code>origin</code>: the same as the export, so an export imports again. Id
        tags that exist are updated (columns the file lacks stay as they are). If any row is wrong, nothing is imported and every wrong row is listed.
      </p>
      <div class="form-row">
        <label>
          CSV file
          <input type="file" accept=".csv,text/csv" onChange={choose} />
        </label>
        <button type="button" disabled={!file || busy} onClick={run}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {problems.length > 0 && (
        <ul class="problems" aria-label="Rows that could not be read">
          {problems.map((problem) => (
            <li key={problem.line}>
              Line {problem.line}: {problem.reason}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
