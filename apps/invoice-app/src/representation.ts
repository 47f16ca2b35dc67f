/** An invoice row as the API reads it. */
export interface InvoiceRow {
  readonly id: number;
  readonly customer_id: number;
  /** numeric(12,2) as text. */
  readonly amount: string;
  readonly currency: string;
  readonly status: string;
  readonly attempts: number;
  readonly last_error: string | null;
}

/** A customer row as the API reads it. */
export interface CustomerRow {
  readonly id: number;
  readonly currency: string;
}

/** The columns InvoiceRow needs, for every query that reads invoices for the API. */
export const INVOICE_COLUMNS = 'id, customer_id, amount::text AS amount, currency, status, attempts, last_error';

/**
 * The Antaeus invoice JSON, plus the attempt count and last error. Written by hand rather
 * than through JSON.stringify so the amount keeps its two decimals exactly as stored
 * ("184.10" stays 184.10; a JS number would print 184.1). Currency and status are
 * constrained by the table's CHECKs, so they need no escaping.
 */
export function invoiceJson(row: InvoiceRow): string {
  return (
    `{"id":${row.id},"customerId":${row.customer_id},` +
    `"amount":{"value":${row.amount},"currency":"${row.currency}"},"status":"${row.status}",` +
    `"attempts":${row.attempts},"lastError":${JSON.stringify(row.last_error)}}`
  );
}

/** The Antaeus customer JSON. */
export function customerJson(row: CustomerRow): string {
  return `{"id":${row.id},"currency":"${row.currency}"}`;
}
