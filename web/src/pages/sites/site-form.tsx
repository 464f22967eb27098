// A site's fields, to create one or change it. The grid limit is per phase and optional (none:
// load management keeps no limit); the tariff can be chosen once tariffs are part of the backend.

import { useState } from 'preact/hooks';
import { api, errorText } from '../../api/client';
import { useFeatures } from '../../api/features';
import type { Site } from '../../api/types';
import { FormActions } from '../../components/form-actions';
import { tariffName, useTariffs } from '../../lib/tariffs';
import { useSubmit } from '../../lib/use-submit';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** A number field's value, or null when empty. */
const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

interface SiteFormProps {
  existing?: Site;
  onSaved: (site: Site) => void;
  onCancel?: () => void;
  onMessage: (message: Message) => void;
}

export function SiteForm({ existing, onSaved, onCancel, onMessage }: SiteFormProps) {
  const features = useFeatures();
  const hasTariffs = features.has('/api/v1/tariffs');
  // Load management adds the building's own load, when no meter reports it.
  const hasBuilding = features.answers('/api/v1/sites', 'buildingLoadAmps');
  const tariffs = useTariffs(hasTariffs);
  const [name, setName] = useState(existing?.name ?? '');
  const [id, setId] = useState('');
  const [timeZone, setTimeZone] = useState(existing?.timeZone ?? browserZone());
  const [limit, setLimit] = useState(existing?.gridLimitAmps != null ? String(existing.gridLimitAmps) : '');
  const [phases, setPhases] = useState<1 | 3>(existing?.phases ?? 3);
  const [voltage, setVoltage] = useState(String(existing?.voltage ?? 230));
  const [minCurrent, setMinCurrent] = useState(String(existing?.minCurrentAmps ?? 6));
  const [building, setBuilding] = useState(typeof existing?.['buildingLoadAmps'] === 'number' ? String(existing['buildingLoadAmps']) : '');
  const [tariffId, setTariffId] = useState(existing?.tariffId ?? '');
  const { busy, attempt } = useSubmit(onMessage);
  const title = existing ? `Change site ${existing.name}` : 'Add a site';

  const submit = async (event: Event) => {
    event.preventDefault();
    const fields = {
      name: name.trim(),
      timeZone: timeZone.trim(),
      gridLimitAmps: numberOrNull(limit),
      phases,
      voltage: Number(voltage),
      minCurrentAmps: Number(minCurrent),
      ...(hasTariffs ? { tariffId: tariffId || null } : {}),
      ...(hasBuilding ? { buildingLoadAmps: numberOrNull(building) } : {}),
    };
    await attempt('The site could not be saved', async () => {
      const saved = existing
        ? await api<Site>('PATCH', `/api/v1/sites/${encodeURIComponent(existing.id)}`, fields)
        : await api<Site>('POST', '/api/v1/sites', { ...fields, ...(id.trim() ? { id: id.trim() } : {}) });
      onSaved(saved);
      if (!existing) {
        setName('');
        setId('');
        setLimit('');
      }
    });
  };

  return (
    <form class="form-grid" onSubmit={submit} aria-label={title}>
      <label>
        Name
        <input required maxLength={200} value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </label>
      {!existing && (
        <label>
          Id (optional, generated if empty)
          <input maxLength={64} pattern="[A-Za-z0-9._:\-]+" title="Letters, digits and . _ : -" value={id} onInput={(event) => setId(event.currentTarget.value)} />
        </label>
      )}
      <label>
        Time zone
        <input required list="time-zones" value={timeZone} onInput={(event) => setTimeZone(event.currentTarget.value)} />
        <datalist id="time-zones">
          {ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>
      <label>
        Grid limit per phase, A (empty: none)
        <input type="number" min="0.1" step="any" inputMode="decimal" value={limit} onInput={(event) => setLimit(event.currentTarget.value)} />
      </label>
      <label>
        Phases
        <select value={String(phases)} onChange={(event) => setPhases(event.currentTarget.value === '1' ? 1 : 3)}>
          <option value="3">3</option>
          <option value="1">1</option>
        </select>
      </label>
      <label>
        Voltage (phase to neutral), V
        <input type="number" required min="100" max="1000" step="1" value={voltage} onInput={(event) => setVoltage(event.currentTarget.value)} />
      </label>
      <label>
        Least charging current, A
        <input type="number" required min="0" max="80" step="any" inputMode="decimal" value={minCurrent} onInput={(event) => setMinCurrent(event.currentTarget.value)} />
      </label>
      {hasBuilding && (
        <label>
          Other building load per phase, A (when not measured)
          <input type="number" min="0" step="any" inputMode="decimal" value={building} onInput={(event) => setBuilding(event.currentTarget.value)} />
        </label>
      )}
      {hasTariffs && (
        <label>
          Tariff
          <select value={tariffId} onChange={(event) => setTariffId(event.currentTarget.value)}>
            <option value="">None</option>
            {(tariffs.data ?? []).map((tariff) => (
              <option key={tariff.id} value={tariff.id}>
                {tariffName(tariff)}
              </option>
            ))}
            {tariffId && !tariffs.data?.some((tariff) => tariff.id === tariffId) && <option value={tariffId}>{tariffId}</option>}
          </select>
        </label>
      )}
      <FormActions label={existing ? 'Save' : 'Add site'} busy={busy} onCancel={onCancel} />
    </form>
  );
}
