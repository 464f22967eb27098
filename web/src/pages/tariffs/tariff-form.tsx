// The common tariff in a few fields: prices excluding VAT, one VAT rate, an idle fee after a
// grace period, a session fee, and optionally a cheaper (or dearer) energy price in a daily window.

import { useState } from 'preact/hooks';
import { api, errorText } from '../../api/client';
import type { Tariff } from '../../api/types';
import { EMPTY_DRAFT, tariffFromDraft, type TariffDraft } from '../../lib/tariffs';
import { useSubmit } from '../../lib/use-submit';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;

export function TariffForm({ onSaved, onMessage }: { onSaved: (tariff: Tariff) => void; onMessage: (message: Message) => void }) {
  const [draft, setDraft] = useState<TariffDraft>(EMPTY_DRAFT);
  const { busy, attempt } = useSubmit(onMessage);
  const set = (field: Exclude<keyof TariffDraft, 'window'>) => (event: Event) => setDraft({ ...draft, [field]: (event.currentTarget as HTMLInputElement).value });
  const setWindow = (field: 'energyPerKwh' | 'from' | 'to') => (event: Event) =>
    draft.window && setDraft({ ...draft, window: { ...draft.window, [field]: (event.currentTarget as HTMLInputElement).value } });

  const submit = async (event: Event) => {
    event.preventDefault();
    const built = tariffFromDraft(draft);
    if ('problem' in built) return onMessage({ tone: 'error', text: `The tariff is not complete: ${built.problem}.` });
    await attempt('The tariff could not be saved', async () => {
      onSaved(await api<Tariff>('POST', '/api/v1/tariffs', built.tariff));
      setDraft(EMPTY_DRAFT);
    });
  };

  const money = (label: string, field: Exclude<keyof TariffDraft, 'window'>) => (
    <label>
      {label}
      <input type="text" inputMode="decimal" pattern="[0-9]*[.,]?[0-9]*" value={draft[field]} onInput={set(field)} />
    </label>
  );

  return (
    <form onSubmit={submit} aria-label="Add a tariff">
      <p class="muted">Prices exclude VAT; leave a price empty when it is not charged.</p>
      <div class="form-grid">
        <label>
          Name
          <input required maxLength={512} value={draft.name} onInput={set('name')} />
        </label>
        <label>
          Currency (ISO 4217)
          <input required maxLength={3} pattern="[A-Za-z]{3}" value={draft.currency} onInput={set('currency')} />
        </label>
        {money('VAT, %', 'vatPercent')}
        {money('Energy, per kWh', 'energyPerKwh')}
        {money('Charging time, per hour', 'timePerHour')}
        {money('Idle time (parking), per hour', 'parkingPerHour')}
        <label>
          Idle minutes free (grace period)
          <input type="number" min="0" step="1" value={draft.parkingGraceMinutes} onInput={set('parkingGraceMinutes')} disabled={draft.parkingPerHour.trim() === ''} />
        </label>
        {money('Session fee', 'flatFee')}
        {money('Least per session (optional)', 'minPrice')}
        {money('Most per session (optional)', 'maxPrice')}
      </div>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={draft.window !== null}
          onChange={(event) => setDraft({ ...draft, window: event.currentTarget.checked ? { energyPerKwh: '', from: '22:00', to: '06:00' } : null })}
        />
        A different energy price at certain hours (site time)
      </label>
      {draft.window && (
        <fieldset class="form-grid">
          <legend>Time window</legend>
          <label>
            From
            <input type="time" required value={draft.window.from} onInput={setWindow('from')} />
          </label>
          <label>
            Until
            <input type="time" required value={draft.window.to} onInput={setWindow('to')} />
          </label>
          <label>
            Energy in this window, per kWh
            <input type="text" inputMode="decimal" required value={draft.window.energyPerKwh} onInput={setWindow('energyPerKwh')} />
          </label>
        </fieldset>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          Add tariff
        </button>
      </div>
    </form>
  );
}
