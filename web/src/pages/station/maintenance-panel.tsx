// Firmware and diagnostics of one station: what it last reported of each
// (GET /api/v1/stations/{id}/maintenance, asked again every few seconds while something is under
// way or just asked for), installing a firmware file the backend hosts (uploaded here, POST /api/v1/firmware, then
// POST .../firmware-update) and asking for a diagnostics upload (POST .../diagnostics), whose
// files are then downloadable here.

import { useEffect, useState } from 'preact/hooks';
import { api, get, query, sendFile } from '../../api/client';
import { useFeatures } from '../../api/features';
import type { FirmwareFile, FirmwareUpdate, Maintenance, DiagnosticsRequest, StationDetail } from '../../api/types';
import { ErrorNotice, Loading, Unavailable } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import type { Message } from './station-page';
import { useSubmit } from '../../lib/use-submit';

const POLL_MS = 3000;
/** How long after a request the panel waits for the station's first report. */
const WAIT_MS = 10 * 60_000;
/** Statuses after which nothing more is expected from the station. */
const SETTLED = new Set(['Idle', 'Installed', 'InstallationFailed', 'DownloadFailed', 'Uploaded', 'UploadFailed']);

/** A recent request whose station has not reported a final status since. */
function awaited(status: string | null, statusAt: string | null, requestedAt: string | undefined): boolean {
  if (status !== null && !SETTLED.has(status)) return true;
  if (requestedAt === undefined || Date.now() - Date.parse(requestedAt) > WAIT_MS) return false;
  return statusAt === null || Date.parse(statusAt) < Date.parse(requestedAt);
}
const bytes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const formatSize = (size: number) => (size >= 1_048_576 ? `${bytes.format(size / 1_048_576)} MB` : size >= 1024 ? `${bytes.format(size / 1024)} kB` : `${size} B`);

export function MaintenancePanel({ station, onMessage }: { station: StationDetail; onMessage: (message: Message) => void }) {
  if (!useFeatures().has('/api/v1/stations/{id}/maintenance')) {
    return (
      <section aria-labelledby="maintenance-heading">
        <h2 id="maintenance-heading">Firmware and diagnostics</h2>
        <Unavailable capability="Firmware updates and diagnostics" comesWith="remote maintenance" />
      </section>
    );
  }
  return <MaintenanceState station={station} onMessage={onMessage} />;
}

function MaintenanceState({ station, onMessage }: { station: StationDetail; onMessage: (message: Message) => void }) {
  const base = `/api/v1/stations/${encodeURIComponent(station.id)}`;
  const state = useResource(() => get<Maintenance>(`${base}/maintenance`), [station.id]);
  const { firmware, diagnostics } = state.data ?? {};
  const underWay =
    (firmware !== undefined && awaited(firmware.status, firmware.statusAt, firmware.update?.requestedAt)) ||
    (diagnostics !== undefined && awaited(diagnostics.status, diagnostics.statusAt, diagnostics.request?.requestedAt));
  useEffect(() => {
    if (!underWay) return;
    const timer = window.setInterval(state.reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [underWay, state.reload]);

  return (
    <section aria-labelledby="maintenance-heading" data-testid="station-maintenance">
      <h2 id="maintenance-heading">Firmware and diagnostics</h2>
      {state.loading && <Loading what="Loading the maintenance state" />}
      {state.error !== undefined && <ErrorNotice error={state.error} retry={state.reload} title="The maintenance state could not be loaded" />}
      {state.data && <MaintenanceFacts maintenance={state.data} />}
      <FirmwareForm station={station} onStarted={state.reload} onMessage={onMessage} />
      <DiagnosticsForm station={station} onStarted={state.reload} onMessage={onMessage} />
    </section>
  );
}

function MaintenanceFacts({ maintenance }: { maintenance: Maintenance }) {
  const { firmware, diagnostics } = maintenance;
  const files = diagnostics.request?.files ?? [];
  return (
    <dl class="facts" aria-label="Maintenance state">
      <div>
        <dt>Firmware status</dt>
        <dd data-testid="firmware-status">
          {firmware.status ?? 'nothing reported'}
          {firmware.statusAt && <span class="muted"> ({formatDateTime(firmware.statusAt)})</span>}
        </dd>
      </div>
      <div>
        <dt>Latest firmware update</dt>
        <dd>{firmware.update ? updateText(firmware.update) : 'none'}</dd>
      </div>
      <div>
        <dt>Diagnostics status</dt>
        <dd data-testid="diagnostics-status">
          {diagnostics.status ?? 'nothing reported'}
          {diagnostics.statusAt && <span class="muted"> ({formatDateTime(diagnostics.statusAt)})</span>}
        </dd>
      </div>
      <div>
        <dt>Latest diagnostics request</dt>
        <dd>
          {diagnostics.request ? requestText(diagnostics.request) : 'none'}
          {files.map((file) => (
            <a key={file.id} class="spaced" href={file.url} download aria-label={`Download diagnostics file ${file.filename}`}>
              {file.filename} ({formatSize(file.size)})
            </a>
          ))}
        </dd>
      </div>
    </dl>
  );
}

const updateText = (update: FirmwareUpdate) =>
  `#${update.id}, ${update.outcome}${update.detail ? ` (${update.detail})` : ''}, asked ${formatDateTime(update.requestedAt)} by ${update.requestedBy}`;
const requestText = (request: DiagnosticsRequest) =>
  `#${request.id}, ${request.outcome}${request.detail ? ` (${request.detail})` : request.fileName ? `: ${request.fileName}` : ''}, asked ${formatDateTime(request.requestedAt)} by ${request.requestedBy}`;

interface FormProps {
  station: StationDetail;
  onStarted: () => void;
  onMessage: (message: Message) => void;
}

/** Choose a hosted file, or upload a new one, and tell the station to install it. */
function FirmwareForm({ station, onStarted, onMessage }: FormProps) {
  const files = useResource(() => get<FirmwareFile[]>('/api/v1/firmware'), []);
  const [chosen, setChosen] = useState('');
  const [upload, setUpload] = useState<File>();
  /** Changed after an upload: a new file input, emptied. */
  const [inputKey, setInputKey] = useState(0);
  const { busy, attempt } = useSubmit(onMessage);

  const uploadFile = async () => {
    if (!upload) return;
    await attempt('The firmware could not be uploaded', async () => {
      const saved = await sendFile<FirmwareFile>('POST', `/api/v1/firmware${query({ filename: upload.name })}`, upload);
      files.update((list) => [saved, ...list]);
      setChosen(String(saved.id));
      setUpload(undefined);
      setInputKey((key) => key + 1);
      onMessage({ tone: 'ok', text: `Firmware ${saved.filename} uploaded (${formatSize(saved.size)}).` });
    });
  };

  const install = async (event: Event) => {
    event.preventDefault();
    const file = files.data?.find((candidate) => String(candidate.id) === chosen);
    if (!file || !window.confirm(`Install ${file.filename} on station ${station.id}? The station restarts to install it.`)) return;
    await attempt('The firmware update could not be started', async () => {
      const update = await api<FirmwareUpdate>('POST', `/api/v1/stations/${encodeURIComponent(station.id)}/firmware-update`, { firmwareId: file.id });
      onMessage({ tone: 'ok', text: `Firmware update #${update.id} sent: ${station.id} downloads ${file.filename}.` });
      onStarted();
    });
  };

  return (
    <>
      <h3>Firmware update</h3>
      {files.error !== undefined && <ErrorNotice error={files.error} retry={files.reload} title="Hosted firmware files could not be loaded" />}
      <div class="form-row">
        <label>
          Upload a firmware file
          <input key={inputKey} type="file" onChange={(event) => setUpload(event.currentTarget.files?.[0])} />
        </label>
        <button type="button" class="secondary" disabled={busy || !upload} onClick={uploadFile}>
          Upload file
        </button>
      </div>
      <form class="form-row" aria-label="Firmware update" onSubmit={install}>
        <label>
          Firmware file
          <select value={chosen} required onChange={(event) => setChosen(event.currentTarget.value)}>
            <option value="">{files.data?.length === 0 ? 'No file uploaded yet' : 'Choose a file'}</option>
            {(files.data ?? []).map((file) => (
              <option key={file.id} value={String(file.id)}>
                {`${file.filename} (${formatSize(file.size)}, ${formatDateTime(file.uploadedAt)})`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || !chosen || !station.online}>
          Start update
        </button>
        {!station.online && <span class="muted">The station is offline: updates need a connection.</span>}
      </form>
    </>
  );
}

function DiagnosticsForm({ station, onStarted, onMessage }: FormProps) {
  const { busy, attempt } = useSubmit(onMessage);
  const ask = async () => {
    await attempt('Diagnostics could not be requested', async () => {
      const request = await api<DiagnosticsRequest>('POST', `/api/v1/stations/${encodeURIComponent(station.id)}/diagnostics`, {});
      onMessage({ tone: 'ok', text: request.fileName ? `Diagnostics requested: ${station.id} uploads ${request.fileName}.` : `Diagnostics requested: ${request.detail ?? 'sent'}.` });
      onStarted();
    });
  };
  return (
    <>
      <h3>Diagnostics</h3>
      <div class="actions">
        <button type="button" class="secondary" disabled={busy || !station.online} onClick={ask}>
          Request diagnostics
        </button>
        <span class="muted">The station uploads its diagnostics file to the backend; it can be downloaded above once it arrives.</span>
      </div>
    </>
  );
}
