// Invoices (billing work): number, date, total and the rendered documents.

import { get } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { formatDateTime, formatMoney } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

interface Invoice {
  id: string | number;
  number: string;
  issuedAt: string;
  total: number | { amount?: number; currency?: string };
  currency?: string;
  links?: Record<string, string>;
}

const totalText = (invoice: Invoice) =>
  typeof invoice.total === 'number'
    ? invoice.currency
      ? formatMoney(invoice.total, invoice.currency)
      : String(invoice.total)
    : invoice.total.amount !== undefined && invoice.total.currency
      ? formatMoney(invoice.total.amount, invoice.total.currency)
      : '—';

export function InvoicesPage() {
  const invoices = useResource(() => get<Invoice[]>('/api/v1/invoices'), []);
  return (
    <>
      <PageHeader title="Invoices" />
      {invoices.loading && <Loading what="Loading invoices" />}
      {invoices.error !== undefined && <ErrorNotice error={invoices.error} retry={invoices.reload} />}
      {invoices.data?.length === 0 && <Empty title="No invoices yet." />}
      {invoices.data && invoices.data.length > 0 && (
        <table class="table responsive">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Issued</th>
              <th scope="col">Total</th>
              <th scope="col">Documents</th>
            </tr>
          </thead>
          <tbody>
            {invoices.data.map((invoice) => (
              <tr key={invoice.id}>
                <th scope="row" data-label="Number">
                  {invoice.number}
                </th>
                <td data-label="Issued">{formatDateTime(invoice.issuedAt)}</td>
                <td data-label="Total">{totalText(invoice)}</td>
                <td data-label="Documents">
                  {Object.entries(invoice.links ?? {}).map(([name, href]) => (
                    <a key={name} href={href} class="spaced">
                      {name.toUpperCase()}
                    </a>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
