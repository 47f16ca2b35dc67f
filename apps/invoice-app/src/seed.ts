import { withTransaction } from '@billing/service-kit';
import type pg from 'pg';

/** How much demo data to create. */
export interface SeedOptions {
  /** Customers, each with one currency drawn from EUR, USD, DKK, SEK, GBP. */
  readonly customers: number;
  /** PENDING invoices per customer, 10.00 to 500.00 in the customer's currency. */
  readonly invoicesPerCustomer: number;
}

/**
 * Fills an empty database with demo data, as Antaeus does at start-up. Idempotent: it holds a
 * transaction-scoped advisory lock while it checks and inserts, so a restart, or a second
 * replica starting at the same moment, finds the rows there and adds nothing. Returns
 * whether it seeded.
 */
export async function seedDatabase(db: pg.Pool, options: SeedOptions): Promise<boolean> {
  return withTransaction(db, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('invoice-app:seed'))`);
    // Large seeds may take longer than the pool's per-statement bound, which is for requests.
    await client.query('SET LOCAL statement_timeout = 0');
    const { rows } = await client.query<{ empty: boolean }>(
      'SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM invoices) AS empty',
    );
    if (!rows[0]!.empty) return false;
    await client.query(
      `INSERT INTO customers (currency)
       SELECT (ARRAY['EUR', 'USD', 'DKK', 'SEK', 'GBP'])[1 + floor(random() * 5)::int]
       FROM generate_series(1, $1)`,
      [options.customers],
    );
    await client.query(
      `INSERT INTO invoices (customer_id, amount, currency)
       SELECT c.id, round((10 + random() * 490)::numeric, 2), c.currency
       FROM customers c CROSS JOIN generate_series(1, $1) AS n
       ORDER BY c.id, n`,
      [options.invoicesPerCustomer],
    );
    // Without statistics, Postgres plans for a near-empty table until autovacuum's next visit.
    await client.query('ANALYZE customers, invoices');
    return true;
  });
}
