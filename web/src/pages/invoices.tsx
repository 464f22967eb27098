// Invoices (invoicing): number, date, total and the rendered documents (HTML, PDF). The answer is
// read defensively: the document links may come as `links` or as *Url fields.

import { get } from '../api/client';
import { useFeatures, type ApiFeatures } from '../api/features';
import type { Invoice } from '../api/types';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { formatDateTime, formatMoney } from '../lib/format';
import { useResource } from '../lib/use-resource';

function totalText(invoice: Invoice): string {
  const { total } = invoice;
  if (typeof total === 'number') return invoice.currency ? formatMoney(total, invoice.currency) : String(total);
  if (total && typeof total.amount === 'number') return total.currency ? formatMoney(total.amount, total.currency) : String(total.amount);
  return '—';
}

/** Where an invoice's paths live in the API when the answer carries no links. */
const DOCUMENT_PATHS = [
  ['HTML', '/api/v1/invoices/{id}.html'],
  ['HTML', '/api/v1/invoices/{id}/html'],
  ['PDF', '/api/v1/invoices/{id}.pdf'],
  ['PDF', '/api/v1/invoices/{id}/pdf'],
] as const;

/** The invoice's documents as [label, href]. */
export function documentLinks(invoice: Invoice & Record<string, unknown>, features: ApiFeatures): Array<[string, string]> {
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries(invoice.links ?? {})) {
    const href = typeof value === 'string' ? value : (value as { href?: unknown } | null)?.href;
    if (typeof href === 'string') found.set(name.toUpperCase(), href);
  }
  for (const [field, value] of Object.entries(invoice)) {
    const match = /^(\w+?)(Url|Href)$/i.exec(field);
    if (match && typeof value === 'string' && !found.has(match[1]!.toUpperCase())) found.set(match[1]!.toUpperCase(), value);
  }
  for (const [label, path] of DOCUMENT_PATHS) {
    if (!found.has(label) && features.has(path)) found.set(label, path.replace('{id}', encodeURIComponent(String(invoice.id))));
  }
  return [...found];
}

export function InvoicesPage() {
  const features = useFeatures();
  const invoices = useResource(() => get<Array<Invoice & Record<string, unknown>>>('/api/v1/invoices'), []);
  return (
    <>
      <PageHeader title="Invoices" />
      {invoices.loading && <Loading what="Loading invoices" />}
      {invoices.error !== undefined && <ErrorNotice error={invoices.error} retry={invoices.reload} />}
      {invoices.data?.length === 0 && <Empty title="No invoices yet.">Invoices appear here once rated sessions are invoiced.</Empty>}
      {invoices.data && invoices.data.length > 0 && (
        <table class="table responsive">
          <caption class="table-caption">{`${invoices.data.length} invoice${invoices.data.length === 1 ? '' : 's'}, as issued`}</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Issued</th>
              <th scope="col" class="number">
                Total
              </th>
              <th scope="col">Documents</th>
            </tr>
          </thead>
          <tbody>
            {invoices.data.map((invoice) => {
              const links = documentLinks(invoice, features);
              return (
                <tr key={invoice.id} data-invoice={invoice.id}>
                  <th scope="row" data-label="Number">
                    {invoice.number}
                    {typeof invoice['kind'] === 'string' && <span class="muted"> ({invoice['kind'].replace(/_/g, ' ')})</span>}
                  </th>
                  <td data-label="Issued">{formatDateTime(invoice.issuedAt)}</td>
                  <td data-label="Total" class="number">
                    {totalText(invoice)}
                  </td>
                  <td data-label="Documents">
                    {links.length === 0 ? (
                      <span class="muted">none</span>
                    ) : (
                      links.map(([label, href]) => (
                        <a key={label} href={href} class="spaced" target="_blank" rel="noopener" aria-label={`Invoice ${invoice.number} as ${label}`}>
                          {label}
                        </a>
                      ))
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
