// What a session cost and why, from billing's rating (shared/contract.md: `cost` with currency,
// total incl. tax, totalExclTax and one item per tariff component). Before billing is part of the
// backend this says so; once it is, unrated sessions (still running, say) say that.

import { useFeatures } from '../api/features';
import type { Session, SessionCost } from '../api/types';
import { formatMoney } from '../lib/format';
import { Unavailable } from './states';

const itemLabel = (item: SessionCost['items'][number], index: number) =>
  String(item.description ?? item.type ?? item['component'] ?? `Item ${index + 1}`);
const itemAmount = (item: SessionCost['items'][number]) => {
  const amount = item.total ?? item.amount ?? item['price'];
  return typeof amount === 'number' ? amount : undefined;
};

export function CostBreakdown({ session }: { session: Session }) {
  const rated = useFeatures().answers('/api/v1/sessions/{id}', 'cost');
  if (!rated) return <Unavailable capability="Cost breakdown" comesWith="billing (tariffs)" />;
  const cost = session.cost;
  if (!cost) return <p class="muted">{session.active ? 'The cost is known once the session has stopped.' : 'This session has not been rated.'}</p>;
  return (
    <table class="table cost">
      <caption class="table-caption">Cost in {cost.currency}</caption>
      <thead>
        <tr>
          <th scope="col">Component</th>
          <th scope="col" class="number">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {cost.items.map((item, index) => (
          <tr key={index}>
            <td>{itemLabel(item, index)}</td>
            <td class="number">{itemAmount(item) !== undefined ? formatMoney(itemAmount(item)!, cost.currency) : '—'}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total excl. tax</th>
          <td class="number">{formatMoney(cost.totalExclTax, cost.currency)}</td>
        </tr>
        <tr>
          <th scope="row">Total incl. tax</th>
          <td class="number">
            <strong>{formatMoney(cost.total, cost.currency)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
