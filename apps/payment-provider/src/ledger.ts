import type { ServiceApp } from '@billing/service-kit';

/** A charge about to be recorded. */
export interface NewCharge {
  readonly idempotencyKey: string | null;
  readonly requestHash: string;
  readonly invoiceId: number | null;
  readonly customerId: number;
  readonly amount: number;
  readonly currency: string;
  readonly result: boolean;
}

/** What a repeated request needs to know about the charge its key already made. */
export interface EarlierCharge {
  readonly requestHash: string;
  readonly result: boolean;
}

/** A ledger row as GET /rest/v1/charges shows it (the contract's shape). */
export interface LedgerEntry {
  readonly id: number;
  readonly invoiceId: number | null;
  readonly customerId: number;
  readonly amount: { readonly value: number; readonly currency: string };
  readonly result: boolean;
  readonly idempotencyKey: string | null;
  readonly createdAt: string;
}

/** Which rows to list. */
export interface LedgerFilter {
  /** Only the charges of this invoice. @default every charge */
  readonly invoiceId?: number;
}

// bigint and numeric arrive from pg as strings; every id is kept below 2^53 by the request schema.
interface ChargeRow {
  id: string;
  invoice_id: string | null;
  customer_id: string;
  amount: string;
  currency: string;
  result: boolean;
  idempotency_key: string | null;
  created_at: Date;
}

/** The `charges` table: every charge the provider decided, in the order it decided them. */
export class Ledger {
  constructor(private readonly db: ServiceApp['db']) {}

  /**
   * Records a charge. Returns false, and changes nothing, when its idempotency key is already
   * in the ledger: a racing insert with the same key waits for the other to commit and then
   * does nothing, so exactly one row per key survives any race.
   */
  async record(charge: NewCharge): Promise<boolean> {
    const { rowCount } = await this.db.query({
      name: 'record-charge',
      text: `INSERT INTO charges (idempotency_key, request_hash, invoice_id, customer_id, amount, currency, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      values: [
        charge.idempotencyKey,
        charge.requestHash,
        charge.invoiceId,
        charge.customerId,
        charge.amount.toFixed(2),
        charge.currency,
        charge.result,
      ],
    });
    return rowCount === 1;
  }

  async findByIdempotencyKey(key: string): Promise<EarlierCharge | undefined> {
    const { rows } = await this.db.query<{ request_hash: string; result: boolean }>({
      name: 'find-charge-by-key',
      text: 'SELECT request_hash, result FROM charges WHERE idempotency_key = $1',
      values: [key],
    });
    const row = rows[0];
    return row && { requestHash: row.request_hash, result: row.result };
  }

  /**
   * Up to `limit` entries after `afterId`, in id order: the batches of a streamed listing
   * (see the kit's jsonArrayStream), optionally of one invoice only.
   */
  async entriesAfter(afterId: number, limit: number, filter: LedgerFilter = {}): Promise<LedgerEntry[]> {
    const byInvoice = filter.invoiceId !== undefined;
    const { rows } = await this.db.query<ChargeRow>(
      `SELECT id, invoice_id, customer_id, amount, currency, result, idempotency_key, created_at
       FROM charges WHERE id > $1 ${byInvoice ? 'AND invoice_id = $3' : ''}
       ORDER BY id LIMIT $2`,
      byInvoice ? [afterId, limit, filter.invoiceId] : [afterId, limit],
    );
    return rows.map(toEntry);
  }
}

function toEntry(row: ChargeRow): LedgerEntry {
  return {
    id: Number(row.id),
    invoiceId: row.invoice_id === null ? null : Number(row.invoice_id),
    customerId: Number(row.customer_id),
    amount: { value: Number(row.amount), currency: row.currency },
    result: row.result,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at.toISOString(),
  };
}
