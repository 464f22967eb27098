// Invoices (invoicing, GET /api/v1/invoices): receipts, monthly invoices and credit notes with
// their number, customer, total and rendered documents (HTML, PDF), filtered by kind.

import { useState } from 'preact/hooks';
import { get, query } from '../api/client';
import type { Invoice } from '../api/types';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { formatDateTime, formatMoney } from '../lib/format';
import { useResource } from '../lib/use-resource';

const KINDS: Array<[string, string]> = [
  ['', 'All documents'],
  ['receipt', 'Receipts'],
  ['invoice', 'Invoices'],
  ['credit_note', 'Credit notes'],
];
const kindText = (kind: string) => kind.replace(/_/g, ' ');

export function InvoicesPage() {
  const [kind, setKind] = useState('');
  const invoices = useResource(() => get<Invoice[]>(`/api/v1/invoices${query({ kind, limit: 200 })}`), [kind]);
  const list = invoices.data ?? [];
  return (
    <>
      <PageHeader title="Invoices" />
      <form class="form-row" aria-label="Filter invoices" onSubmit={(event) => event.preventDefault()}>
        <label>
          Show
          <select value={kind} onChange={(event) => setKind(event.currentTarget.value)}>
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {invoices.loading && <Loading what="Loading invoices" />}
      {invoices.error !== undefined && <ErrorNotice error={invoices.error} retry={invoices.reload} title="Invoices could not be loaded" />}
      {invoices.data?.length === 0 && (
        <Empty title={kind ? `No ${kindText(kind)}s yet.` : 'No invoices yet.'}>Receipts are issued as rated sessions end; monthly invoices by the monthly run.</Empty>
      )}
      {list.length > 0 && (
        <table class="table responsive">
          <caption class="table-caption">{`${list.length} document${list.length === 1 ? '' : 's'}, newest first`}</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Issued</th>
              <th scope="col">Customer</th>
              <th scope="col" class="number">
                Total
              </th>
              <th scope="col">Documents</th>
            </tr>
          </thead>
          <tbody>
            {list.map((invoice) => (
              <tr key={invoice.id} data-invoice={invoice.id}>
                <th scope="row" data-label="Number">
                  {invoice.number} <span class="muted">({kindText(invoice.kind)}{invoice.period ? `, ${invoice.period}` : ''})</span>
                </th>
                <td data-label="Issued">{formatDateTime(invoice.issuedAt)}</td>
                <td data-label="Customer">{invoice.customer}</td>
                <td data-label="Total" class="number">
                  {formatMoney(invoice.total, invoice.currency)}
                </td>
                <td data-label="Documents">
                  <a href={invoice.links.html} class="spaced" target="_blank" rel="noopener" aria-label={`Invoice ${invoice.number} as HTML`}>
                    HTML
                  </a>
                  <a href={invoice.links.pdf} class="spaced" target="_blank" rel="noopener" aria-label={`Invoice ${invoice.number} as PDF`}>
                    PDF
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
