import { Readable } from 'node:stream';

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

/** Rows of one batch, or none when the table is exhausted. */
export type BatchReader<Row extends { id: number }> = (afterId: number, limit: number) => Promise<Row[]>;

/**
 * Every row as one JSON array, read in id order in batches of short keyset queries and
 * written as it is read. Memory stays at one batch whatever the table's size, and no
 * connection or transaction is held while a slow client reads: each batch borrows a pool
 * connection for one query. The first batch is read before anything is sent, so a database
 * that is down still gets a clean error answer. Rows are not one snapshot: a row updated
 * while the array is being written shows the state it had when its batch was read.
 */
export async function jsonArrayStream<Row extends { id: number }>(
  read: BatchReader<Row>,
  toJson: (row: Row) => string,
  batchSize = 2_000,
): Promise<Readable> {
  const first = await read(0, batchSize);
  async function* chunks(): AsyncGenerator<string> {
    yield '[' + first.map(toJson).join(',');
    let rows = first;
    while (rows.length === batchSize) {
      rows = await read(rows.at(-1)!.id, batchSize);
      if (rows.length > 0) yield ',' + rows.map(toJson).join(',');
    }
    yield ']';
  }
  return Readable.from(chunks(), { objectMode: false });
}
