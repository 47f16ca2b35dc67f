import type pg from 'pg';

/** An invoice a run has claimed, with what it needs to charge it. */
export interface ClaimedInvoice {
  readonly id: number;
  readonly customerId: number;
  /** numeric(12,2) as text, e.g. "184.04". */
  readonly amount: string;
  readonly currency: string;
  /** The customer's currency, or null when the customer does not exist. */
  readonly customerCurrency: string | null;
  /**
   * The Idempotency-Key to charge with, committed before any request is sent; null when the
   * invoice must not be charged (unknown customer, currency mismatch).
   */
  readonly chargeKey: string | null;
  /** True when the key comes from an earlier attempt whose outcome is still unknown. */
  readonly resumed: boolean;
}

/** What a run learned about one invoice, to be written back. */
export interface Settlement {
  readonly id: number;
  /** The key the outcome belongs to (null for invoices settled without a charge). */
  readonly chargeKey: string | null;
  readonly status: 'PENDING' | 'PAID' | 'FAILED';
  /** Charge requests sent for it in this run. */
  readonly requests: number;
  readonly error: string | null;
  /** True after a definite decline: the next charge gets a new key. */
  readonly clearKey: boolean;
}

/** Where a run is in its scan and who it is. */
export interface ClaimRequest {
  /** The run's name, stored on its leases. */
  readonly runId: string;
  /** The run's start by the database's clock: invoices touched since then are not its work. */
  readonly runStartedAt: string;
  /** Only invoices with a larger id; the run's scan position. */
  readonly afterId: number;
  readonly limit: number;
  readonly leaseMs: number;
}

/**
 * The database's clock, as text to keep its microseconds (a JS Date drops them): runs on
 * several replicas compare times on this one clock.
 */
export async function databaseNow(db: pg.Pool): Promise<string> {
  const { rows } = await db.query<{ now: string }>('SELECT now()::text AS now');
  return rows[0]!.now;
}

/**
 * Takes up to `limit` PENDING invoices that nobody holds a live lease on and that no run has
 * touched since this run began, in id order, and leases them to this run, in one statement.
 * SKIP LOCKED lets concurrent runs on other replicas pass each other's rows instead of
 * waiting; an expired lease (its run died) is free to take.
 *
 * The cost of a claim must not grow with the backlog: the rows are picked from invoices alone,
 * so the LIMIT stops an id-ordered index scan after `limit` rows (a join before the LIMIT made
 * Postgres read and sort every PENDING invoice), and `id = ANY (...)` keeps the UPDATE on the
 * primary key where a join alone would let the planner scan the whole table. The charge key is created here,
 * in the same commit as the lease, so it is stored before any request can be sent; a key
 * left by an unfinished attempt is kept, so that charge is asked about again, not repeated.
 * The run's own record is kept alive as long as its newest lease in the same statement: once
 * the record reads as interrupted, none of its claims is still held.
 */
export async function claimInvoices(db: pg.Pool, claim: ClaimRequest): Promise<ClaimedInvoice[]> {
  const { rows } = await db.query<{
    id: number;
    customer_id: number;
    amount: string;
    currency: string;
    customer_currency: string | null;
    charge_key: string | null;
    resumed: boolean;
  }>(
    `WITH picked AS (
       SELECT id, customer_id, charge_key IS NOT NULL AS resumed
       FROM invoices
       WHERE status = 'PENDING'
         AND id > $1
         AND (claimed_until IS NULL OR claimed_until < now())
         AND (last_attempt_at IS NULL OR last_attempt_at < $2::timestamptz)
       ORDER BY id
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     ),
     run_lease AS (
       UPDATE billing_runs SET lease_until = greatest(lease_until, now() + $5 * interval '1 millisecond')
       WHERE id = $4 AND status = 'running'
     )
     UPDATE invoices AS i
     SET claimed_by = $4,
         claimed_until = now() + $5 * interval '1 millisecond',
         last_attempt_at = now(),
         charge_key = CASE WHEN cus.currency = i.currency
                           THEN coalesce(i.charge_key, gen_random_uuid())
                           ELSE i.charge_key END,
         updated_at = now()
     FROM picked AS p
     LEFT JOIN customers AS cus ON cus.id = p.customer_id
     WHERE i.id = p.id
       AND i.id = ANY (ARRAY(SELECT id FROM picked))
     RETURNING i.id, i.customer_id, i.amount::text AS amount, i.currency, cus.currency AS customer_currency,
               i.charge_key, p.resumed`,
    [claim.afterId, claim.runStartedAt, claim.limit, claim.runId, claim.leaseMs],
  );
  return rows
    .map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      amount: row.amount,
      currency: row.currency,
      customerCurrency: row.customer_currency,
      chargeKey: row.charge_key,
      resumed: row.resumed,
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Extends this run's claims on invoices it claimed and has not charged yet; the ids it still
 * holds. An invoice whose claim ran out and that another run took since is not among them. As
 * with a claim, the run's record is kept alive as long as the renewed leases.
 */
export async function renewClaims(
  db: pg.Pool,
  runId: string,
  ids: readonly number[],
  leaseMs: number,
): Promise<Set<number>> {
  const { rows } = await db.query<{ id: number }>(
    `WITH run_lease AS (
       UPDATE billing_runs SET lease_until = greatest(lease_until, now() + $3 * interval '1 millisecond')
       WHERE id = $1 AND status = 'running'
     )
     UPDATE invoices
     SET claimed_until = now() + $3 * interval '1 millisecond'
     WHERE id = ANY ($2::int[]) AND claimed_by = $1 AND status = 'PENDING'
     RETURNING id`,
    [runId, ids, leaseMs],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Writes a batch of outcomes in one statement and releases this run's leases on them (any
 * lease, once the invoice is PAID or FAILED: nobody has work left on it). Each
 * write only lands if the invoice still carries the key the outcome belongs to: a run whose
 * lease ran out can then never clear a key that a newer attempt is using, which is what
 * would let two different keys (two charges) exist for one invoice. `id = ANY ($2)` keeps the
 * write on the primary key whatever the planner thinks of the batch.
 */
export async function settleInvoices(db: pg.Pool, runId: string, settlements: readonly Settlement[]): Promise<number> {
  if (settlements.length === 0) return 0;
  const result = await db.query(
    `UPDATE invoices AS i
     SET status = s.status,
         attempts = i.attempts + s.requests,
         last_error = s.error,
         charge_key = CASE WHEN s.clear_key THEN NULL ELSE i.charge_key END,
         paid_at = CASE WHEN s.status = 'PAID' THEN now() END,
         claimed_by = CASE WHEN i.claimed_by = $1 OR s.status <> 'PENDING' THEN NULL ELSE i.claimed_by END,
         claimed_until = CASE WHEN i.claimed_by = $1 OR s.status <> 'PENDING' THEN NULL ELSE i.claimed_until END,
         last_attempt_at = now(),
         updated_at = now()
     FROM unnest($2::int[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::bool[])
          AS s(id, charge_key, status, requests, error, clear_key)
     WHERE i.id = s.id
       AND i.id = ANY ($2::int[])
       AND i.status = 'PENDING'
       AND i.charge_key IS NOT DISTINCT FROM s.charge_key`,
    [
      runId,
      settlements.map((s) => s.id),
      settlements.map((s) => s.chargeKey),
      settlements.map((s) => s.status),
      settlements.map((s) => s.requests),
      settlements.map((s) => s.error),
      settlements.map((s) => s.clearKey),
    ],
  );
  return result.rowCount ?? 0;
}

/**
 * How long until the first lease runs out among PENDING invoices that other runs took before
 * this run began; null when there are none. Such an invoice is either settled by its (live)
 * run soon, or its lease expires (the run died) and this run takes it over.
 */
export async function msUntilForeignLeaseEnds(db: pg.Pool, runStartedAt: string): Promise<number | null> {
  const { rows } = await db.query<{ wait_ms: number | null }>(
    `SELECT ceil(extract(epoch FROM min(claimed_until) - now()) * 1000)::int AS wait_ms
     FROM invoices
     WHERE status = 'PENDING' AND claimed_until > now() AND last_attempt_at < $1::timestamptz`,
    [runStartedAt],
  );
  return rows[0]?.wait_ms ?? null;
}
