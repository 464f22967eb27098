// What a session cost and why, from billing's rating (`cost`: currency, totals with and without
// tax, one item per tariff component). A session without one says it was not rated, and why
// that may be.

import { useFeatures } from '../api/features';
import type { CostItem, Session } from '../api/types';
import { formatDuration, formatMoney } from '../lib/format';

const COMPONENT: Record<string, string> = { ENERGY: 'Energy', TIME: 'Charging time', PARKING_TIME: 'Parking (idle time)', FLAT: 'Session fee' };
const UNIT_TEXT: Record<string, string> = { kWh: 'kWh', h: 'hour', session: 'session' };
const kwh = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 3 });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

function quantityText(item: CostItem): string {
  if (item.unit === 'kWh') return `${kwh.format(item.quantity)} kWh`;
  if (item.unit === 'h') return formatDuration(item.quantity * 3_600_000);
  if (item.unit === 'session') return '1 session';
  return `${item.quantity} ${item.unit}`;
}

export function CostBreakdown({ session }: { session: Session }) {
  const billing = useFeatures().has('/api/v1/tariffs');
  const cost = session.cost;
  if (!cost) {
    if (session.active) return <p class="muted">The cost is known once the session has stopped.</p>;
    return (
      <p data-testid="session-cost">
        <strong>Not rated.</strong>{' '}
        <span class="muted">
          {billing ? 'No tariff applied to this session (its station and site have none).' : 'Sessions are rated once billing (tariffs) is part of this backend.'}
        </span>
      </p>
    );
  }
  const money = (amount: number) => formatMoney(amount, cost.currency);
  return (
    <div data-testid="session-cost">
      {cost.internal && <p class="muted">An internal user’s session: recorded, not billed.</p>}
      <table class="table responsive cost">
        <caption class="table-caption">Cost in {cost.currency}</caption>
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Quantity</th>
            <th scope="col" class="number">
              Unit price excl. tax
            </th>
            <th scope="col" class="number">
              VAT
            </th>
            <th scope="col" class="number">
              Excl. tax
            </th>
            <th scope="col" class="number">
              Incl. tax
            </th>
          </tr>
        </thead>
        <tbody>
          {cost.items.map((item, index) => (
            <tr key={index}>
              <th scope="row" data-label="Component">
                {COMPONENT[item.type] ?? item.type}
              </th>
              <td data-label="Quantity">{quantityText(item)}</td>
              <td data-label="Unit price excl. tax" class="number">
                {`${money(item.unitPrice)} per ${UNIT_TEXT[item.unit] ?? item.unit}`}
              </td>
              <td data-label="VAT" class="number">
                {item.vatPercent != null ? `${percent.format(item.vatPercent)} %` : '—'}
              </td>
              <td data-label="Excl. tax" class="number">
                {money(item.totalExclTax)}
              </td>
              <td data-label="Incl. tax" class="number">
                {money(item.total)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl class="facts cost-totals">
        <div>
          <dt>Total excl. tax</dt>
          <dd>{money(cost.totalExclTax)}</dd>
        </div>
        <div>
          <dt>Tax</dt>
          <dd>{money(cost.total - cost.totalExclTax)}</dd>
        </div>
        <div>
          <dt>Total incl. tax</dt>
          <dd>
            <strong data-testid="session-total">{money(cost.total)}</strong>
          </dd>
        </div>
      </dl>
    </div>
  );
}
