// A document as a self-contained printable HTML page. Every value is escaped: names, addresses
// and reasons come from operators and drivers.

import { amountText, dateText, documentFacts, partyLines, quantityText, TITLES, unitPriceText, vatText } from './document-text.js';
import type { InvoiceRow } from './invoice-store.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

const STYLE = `
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111; margin: 0; }
  main { max-width: 800px; margin: 2rem auto; padding: 0 1.5rem; }
  header { display: flex; justify-content: space-between; gap: 2rem; margin-bottom: 2rem; }
  h1 { font-size: 1.8rem; margin: 0 0 .5rem; }
  .parties { display: flex; justify-content: space-between; gap: 2rem; margin-bottom: 2rem; }
  .parties h2 { font-size: .8rem; text-transform: uppercase; color: #555; margin: 0 0 .25rem; }
  dl { display: grid; grid-template-columns: auto auto; gap: .1rem 1rem; margin: 0; }
  dt { color: #555; } dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; margin-bottom: 1.5rem; }
  th, td { padding: .35rem .5rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
  th { font-size: .8rem; text-transform: uppercase; color: #555; }
  .num { text-align: right; white-space: nowrap; }
  .lines td:nth-child(3) { white-space: nowrap; }
  tfoot td { border-bottom: none; font-weight: 600; }
  tr.grand td { font-size: 1.1rem; border-top: 2px solid #111; }
  @media print { main { margin: 0; max-width: none; } }`;

const cell = (text: string, numeric = false) => `<td${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
const lines = (texts: string[]) => texts.map(escapeHtml).join('<br>');

export function renderHtml(row: InvoiceRow, timeZone: string, creditedNumber: string | undefined): string {
  const money = (amount: number | string) => amountText(amount, row.currency);
  const title = `${TITLES[row.kind]} ${row.number}`;
  const facts = documentFacts(row, timeZone, creditedNumber)
    .map((fact) => `<dt>${escapeHtml(fact.label)}</dt><dd>${escapeHtml(fact.value)}</dd>`)
    .join('');
  const lineRows = row.lines
    .map(
      (line) =>
        `<tr>${cell(String(line.position))}${cell(line.description)}${cell(line.sessionAt ? dateText(line.sessionAt, timeZone) : '')}${cell(quantityText(line), true)}${cell(unitPriceText(line.unitPrice, row.currency), true)}${cell(vatText(line.vatPercent), true)}${cell(money(line.totalExclTax), true)}${cell(money(line.total), true)}</tr>`,
    )
    .join('\n');
  const vatRows = row.vatSummary
    .map((rate) => `<tr>${cell(vatText(rate.vatPercent))}${cell(money(rate.totalExclTax), true)}${cell(money(rate.tax), true)}${cell(money(rate.total), true)}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
  <div><h1>${escapeHtml(TITLES[row.kind])}</h1><dl>${facts}</dl></div>
</header>
<section class="parties">
  <div><h2>From</h2>${lines(partyLines(row.seller))}</div>
  <div><h2>To</h2>${lines(partyLines(row.buyer))}</div>
</section>
<table class="lines">
<thead><tr><th>#</th><th>Description</th><th>Date</th><th class="num">Quantity</th><th class="num">Unit price</th><th class="num">VAT</th><th class="num">Excl. VAT</th><th class="num">Total</th></tr></thead>
<tbody>
${lineRows}
</tbody>
</table>
<table class="vat">
<thead><tr><th>VAT rate</th><th class="num">Net</th><th class="num">VAT</th><th class="num">Gross</th></tr></thead>
<tbody>
${vatRows}
</tbody>
<tfoot>
<tr>${cell('Total excl. VAT')}<td></td><td></td>${cell(`${money(row.totalExclTax)} ${row.currency}`, true)}</tr>
<tr>${cell('VAT')}<td></td><td></td>${cell(`${money(row.totalTax)} ${row.currency}`, true)}</tr>
<tr class="grand">${cell('Total')}<td></td><td></td>${cell(`${money(row.total)} ${row.currency}`, true)}</tr>
</tfoot>
</table>
</main>
</body>
</html>
`;
}
