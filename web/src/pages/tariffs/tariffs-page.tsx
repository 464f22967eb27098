// Tariffs (billing): OCPI 2.2.1 Tariff objects. Listed with their prices in words, each one's
// elements on demand; a form makes the common tariff, anything richer goes through the API.

import { useState } from 'preact/hooks';
import { api, errorText } from '../../api/client';
import type { Tariff } from '../../api/types';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorNotice, Loading, Outcome } from '../../components/states';
import { formatDateTime, formatMoney } from '../../lib/format';
import { componentName, componentText, restrictionsText, tariffName, useTariffs } from '../../lib/tariffs';
import { TariffForm } from './tariff-form';

type Message = { tone: 'ok' | 'error'; text: string } | undefined;

export function TariffsPage() {
  const tariffs = useTariffs(true);
  const [message, setMessage] = useState<Message>();

  const remove = async (tariff: Tariff) => {
    if (!window.confirm(`Delete tariff ${tariffName(tariff)}? Sessions already rated keep their cost.`)) return;
    try {
      await api('DELETE', `/api/v1/tariffs/${encodeURIComponent(tariff.id)}`);
      tariffs.update((list) => list.filter((item) => item.id !== tariff.id));
      setMessage({ tone: 'ok', text: `Tariff ${tariffName(tariff)} deleted.` });
    } catch (error) {
      setMessage({ tone: 'error', text: `Tariff ${tariffName(tariff)} could not be deleted: ${errorText(error)}` });
    }
  };

  return (
    <>
      <PageHeader title="Tariffs" />
      <Outcome message={message} />
      <details class="panel">
        <summary>Add a tariff</summary>
        <TariffForm
          onSaved={(tariff) => {
            tariffs.update((list) => [...list, tariff]);
            setMessage({ tone: 'ok', text: `Tariff ${tariffName(tariff)} added.` });
          }}
          onMessage={setMessage}
        />
      </details>
      {tariffs.loading && <Loading what="Loading tariffs" />}
      {tariffs.error !== undefined && <ErrorNotice error={tariffs.error} retry={tariffs.reload} />}
      {tariffs.data?.length === 0 && <Empty title="No tariffs yet.">Add one above; then choose it for a site or a station.</Empty>}
      {tariffs.data && tariffs.data.length > 0 && (
        <ul class="tariff-list">
          {tariffs.data.map((tariff) => (
            <li key={tariff.id} class="card" data-tariff={tariff.id}>
              <TariffCard tariff={tariff} onDelete={() => remove(tariff)} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TariffCard({ tariff, onDelete }: { tariff: Tariff; onDelete: () => void }) {
  const name = tariffName(tariff);
  const elements = Array.isArray(tariff.elements) ? tariff.elements : [];
  const grace = typeof tariff['idle_grace_minutes'] === 'number' ? tariff['idle_grace_minutes'] : undefined;
  const updated = typeof tariff['last_updated'] === 'string' ? tariff['last_updated'] : undefined;
  return (
    <>
      <div class="card-header">
        <h2 class="card-title">{name}</h2>
        <button type="button" class="danger" onClick={onDelete} aria-label={`Delete tariff ${name}`}>
          Delete
        </button>
      </div>
      <p class="muted">
        {tariff.currency}
        {name !== tariff.id && ` · id ${tariff.id}`}
        {updated && ` · changed ${formatDateTime(updated)}`}
      </p>
      <ul class="plain-list">
        {elements.flatMap((element, index) =>
          (element.price_components ?? []).map((component, at) => (
            <li key={`${index}-${at}`}>
              <strong>{componentName(component.type)}:</strong> {componentText(component, tariff.currency)}
              {element.restrictions && <span class="muted"> ({restrictionsText(element.restrictions)})</span>}
            </li>
          )),
        )}
        {grace !== undefined && <li>The first {grace} idle minutes are free.</li>}
        {tariff.min_price && <li>At least {formatMoney(tariff.min_price.excl_vat, tariff.currency)} per session (excl. VAT).</li>}
        {tariff.max_price && <li>At most {formatMoney(tariff.max_price.excl_vat, tariff.currency)} per session (excl. VAT).</li>}
      </ul>
      <details>
        <summary>Elements ({elements.length})</summary>
        <table class="table responsive">
          <caption class="table-caption">The first element whose restrictions match sets the price of each component.</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Applies</th>
              <th scope="col">Components</th>
            </tr>
          </thead>
          <tbody>
            {elements.map((element, index) => (
              <tr key={index}>
                <td data-label="#">{index + 1}</td>
                <td data-label="Applies">{restrictionsText(element.restrictions)}</td>
                <td data-label="Components">
                  {(element.price_components ?? []).map((component) => `${componentName(component.type)}: ${componentText(component, tariff.currency)}`).join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
