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

/** A charge waiting for its group's INSERT. */
interface PendingCharge {
  readonly charge: NewCharge;
  readonly settle: (recorded: boolean) => void;
  readonly fail: (err: unknown) => void;
}

/** Most charges one INSERT takes. */
const LARGEST_GROUP = 500;

/** The `charges` table: every charge the provider decided, in the order it decided them. */
export class Ledger {
  private waiting: PendingCharge[] = [];
  private inserting = false;

  constructor(private readonly db: ServiceApp['db']) {}

  /**
   * Records a charge; resolves once it is committed. Returns false, and changes nothing, when
   * its idempotency key is already in the ledger: a racing insert with the same key waits for
   * the other to commit and then does nothing, so exactly one row per key survives any race.
   *
   * Charges that arrive while an INSERT is in flight wait and are then recorded together, in
   * one statement and one commit (group commit): under load the provider commits once per many
   * charges instead of waiting for a WAL flush per charge, and alone a charge is inserted at
   * once. One INSERT at a time keeps the rows in the order the charges were decided.
   */
  record(charge: NewCharge): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.waiting.push({ charge, settle, fail });
      this.insertWaiting();
    });
  }

  private insertWaiting(): void {
    if (this.inserting || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, LARGEST_GROUP);
    this.inserting = true;
    this.insertGroup(group.map((pending) => pending.charge))
      .then(
        (recorded) => group.forEach((pending, index) => pending.settle(recorded[index]!)),
        // One statement: nothing of the group was recorded, and each caller may try again.
        (err: unknown) => group.forEach((pending) => pending.fail(err)),
      )
      .finally(() => {
        this.inserting = false;
        this.insertWaiting();
      });
  }

  /** Inserts charges in their order; whether each was recorded. */
  private async insertGroup(charges: readonly NewCharge[]): Promise<boolean[]> {
    // Of charges sharing a key, the first goes in; the others find it taken, as they would later.
    const keys = new Set<string>();
    const inserted = charges.filter((charge) => {
      if (charge.idempotencyKey === null) return true;
      if (keys.has(charge.idempotencyKey)) return false;
      keys.add(charge.idempotencyKey);
      return true;
    });
    const { rows } = await this.db.query<{ idempotency_key: string | null }>({
      name: 'record-charges',
      text: `INSERT INTO charges (idempotency_key, request_hash, invoice_id, customer_id, amount, currency, result)
       SELECT key, hash, invoice_id, customer_id, amount, currency, result
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::numeric[], $6::text[], $7::bool[])
            WITH ORDINALITY AS c(key, hash, invoice_id, customer_id, amount, currency, result, position)
       ORDER BY position
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING idempotency_key`,
      values: [
        inserted.map((charge) => charge.idempotencyKey),
        inserted.map((charge) => charge.requestHash),
        inserted.map((charge) => charge.invoiceId),
        inserted.map((charge) => charge.customerId),
        inserted.map((charge) => charge.amount.toFixed(2)),
        inserted.map((charge) => charge.currency),
        inserted.map((charge) => charge.result),
      ],
    });
    const recordedKeys = new Set(rows.map((row) => row.idempotency_key));
    const tried = new Set(inserted);
    // A row without a key cannot conflict: it is recorded if the statement succeeded.
    return charges.map(
      (charge) => tried.has(charge) && (charge.idempotencyKey === null || recordedKeys.has(charge.idempotencyKey)),
    );
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
