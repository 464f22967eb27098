// A document as an A4 PDF (pdfkit: pure JavaScript, its standard fonts need no files of ours).
// The same facts and figures as the HTML rendering, laid out as a table that breaks onto new pages.

import PDFDocument from 'pdfkit';
import { amountText, dateText, documentFacts, partyLines, quantityText, TITLES, unitPriceText, vatText } from './document-text.js';
import type { InvoiceRow } from './invoice-store.js';

const LEFT = 50;
const WIDTH = 495; // A4 (595 pt) less both margins
const BOTTOM = 780;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

const LINE_COLUMNS: Column[] = [
  { title: '#', width: 22, align: 'left' },
  { title: 'Description', width: 163, align: 'left' },
  { title: 'Date', width: 60, align: 'left' },
  { title: 'Quantity', width: 60, align: 'right' },
  { title: 'Unit price', width: 50, align: 'right' },
  { title: 'VAT', width: 35, align: 'right' },
  { title: 'Excl. VAT', width: 52, align: 'right' },
  { title: 'Total', width: 53, align: 'right' },
];

const VAT_COLUMNS: Column[] = [
  { title: 'VAT rate', width: 195, align: 'left' },
  { title: 'Net', width: 100, align: 'right' },
  { title: 'VAT', width: 100, align: 'right' },
  { title: 'Gross', width: 100, align: 'right' },
];

/** Writes one table row; returns the y below it, starting a new page first when it would not fit. */
function row(doc: PDFKit.PDFDocument, columns: Column[], cells: string[], y: number, bold = false): number {
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
  const height = Math.max(...cells.map((text, i) => doc.heightOfString(text, { width: columns[i]!.width - 4 }))) + 6;
  if (y + height > BOTTOM) {
    doc.addPage();
    y = 50;
  }
  let x = LEFT;
  cells.forEach((text, i) => {
    const column = columns[i]!;
    doc.text(text, x + 2, y + 3, { width: column.width - 4, align: column.align });
    x += column.width;
  });
  doc.moveTo(LEFT, y + height).lineTo(LEFT + WIDTH, y + height).lineWidth(0.5).strokeColor('#cccccc').stroke();
  return y + height;
}

export function renderPdf(invoice: InvoiceRow, timeZone: string, creditedNumber: string | undefined): Promise<Buffer> {
  // Dated by the issue, not the rendering: the same document renders to the same bytes every time
  // (the file id is derived from this information too).
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `${TITLES[invoice.kind]} ${invoice.number}`, Author: invoice.seller.name, CreationDate: invoice.issuedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (amount: number | string) => amountText(amount, invoice.currency);

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#111111').text(TITLES[invoice.kind], LEFT, 50);
  let y = 80;
  doc.fontSize(9);
  for (const fact of documentFacts(invoice, timeZone, creditedNumber)) {
    doc.font('Helvetica').fillColor('#555555').text(fact.label, LEFT, y, { width: 70 });
    doc.fillColor('#111111').text(fact.value, LEFT + 70, y, { width: 300 });
    y = doc.y + 2;
  }
  y += 14;
  const parties = (heading: string, lines: string[], x: number) => {
    doc.font('Helvetica-Bold').fontSize(8).fillColor('#555555').text(heading.toUpperCase(), x, y, { width: 230 });
    doc.font('Helvetica').fontSize(9.5).fillColor('#111111').text(lines.join('\n'), x, y + 12, { width: 230 });
    return doc.y;
  };
  y = Math.max(parties('From', partyLines(invoice.seller), LEFT), parties('To', partyLines(invoice.buyer), LEFT + 265)) + 20;

  doc.fillColor('#111111');
  y = row(doc, LINE_COLUMNS, LINE_COLUMNS.map((column) => column.title), y, true);
  for (const line of invoice.lines) {
    y = row(
      doc,
      LINE_COLUMNS,
      [
        String(line.position),
        line.description,
        line.sessionAt ? dateText(line.sessionAt, timeZone) : '',
        quantityText(line),
        unitPriceText(line.unitPrice, invoice.currency),
        vatText(line.vatPercent),
        money(line.totalExclTax),
        money(line.total),
      ],
      y,
    );
  }
  y += 16;
  y = row(doc, VAT_COLUMNS, VAT_COLUMNS.map((column) => column.title), y, true);
  for (const rate of invoice.vatSummary) {
    y = row(doc, VAT_COLUMNS, [vatText(rate.vatPercent), money(rate.totalExclTax), money(rate.tax), money(rate.total)], y);
  }
  y += 6;
  const currency = ` ${invoice.currency}`;
  y = row(doc, VAT_COLUMNS, ['Total excl. VAT', '', '', money(invoice.totalExclTax) + currency], y);
  y = row(doc, VAT_COLUMNS, ['VAT', '', '', money(invoice.totalTax) + currency], y);
  row(doc, VAT_COLUMNS, ['Total', '', '', money(invoice.total) + currency], y, true);
  doc.end();
  return done;
}
