// Tariffs (billing work): OCPI 2.2.1 Tariff objects as shared/contract.md describes them. Shown
// read-only for now; editing comes with the billing work's page.

import { get } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { useResource } from '../../lib/use-resource';

interface Tariff {
  id: string | number;
  currency: string;
  elements?: Array<{ price_components?: Array<{ type: string; price: number; vat?: number; step_size?: number }> }>;
}

const UNIT: Record<string, string> = { ENERGY: 'per kWh', TIME: 'per hour', PARKING_TIME: 'per idle hour', FLAT: 'per session' };

export function TariffsPage() {
  const tariffs = useResource(() => get<Tariff[]>('/api/v1/tariffs'), []);
  return (
    <>
      <PageHeader title="Tariffs" />
      {tariffs.loading && <Loading what="Loading tariffs" />}
      {tariffs.error !== undefined && <ErrorNotice error={tariffs.error} retry={tariffs.reload} />}
      {tariffs.data?.length === 0 && <Empty title="No tariffs yet." />}
      {tariffs.data && tariffs.data.length > 0 && (
        <table class="table responsive">
          <thead>
            <tr>
              <th scope="col">Tariff</th>
              <th scope="col">Currency</th>
              <th scope="col">Prices (excl. VAT)</th>
            </tr>
          </thead>
          <tbody>
            {tariffs.data.map((tariff) => (
              <tr key={tariff.id}>
                <th scope="row" data-label="Tariff">
                  {tariff.id}
                </th>
                <td data-label="Currency">{tariff.currency}</td>
                <td data-label="Prices (excl. VAT)">
                  {(tariff.elements ?? [])
                    .flatMap((element) => element.price_components ?? [])
                    .map((component) => `${component.price} ${UNIT[component.type] ?? component.type}${component.vat !== undefined ? ` (+${component.vat} % VAT)` : ''}`)
                    .join('; ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
