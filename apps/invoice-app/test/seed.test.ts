import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from '@billing/devkit/vitest';
import { seedDatabase } from '../src/seed.js';
import { migrate } from './helpers.js';

let databaseUrl: string;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase('seed');
  await migrate(databaseUrl);
});
afterAll(() => Promise.all(pools.map((pool) => pool.end())));

function pool(): pg.Pool {
  const created = new pg.Pool({ connectionString: databaseUrl });
  pools.push(created);
  return created;
}

describe('seeding', () => {
  it('fills an empty database once, even when two replicas start together or one restarts', async () => {
    const options = { customers: 100, invoicesPerCustomer: 10 };
    const seeded = await Promise.all([seedDatabase(pool(), options), seedDatabase(pool(), options)]);
    expect(seeded.sort()).toEqual([false, true]);
    expect(await seedDatabase(pool(), options)).toBe(false);

    const { rows } = await pool().query(`
      SELECT (SELECT count(*)::int FROM customers) AS customers,
             (SELECT count(*)::int FROM invoices) AS invoices,
             (SELECT count(*)::int FROM invoices WHERE status <> 'PENDING') AS not_pending,
             (SELECT min(amount)::float FROM invoices) AS min_amount,
             (SELECT max(amount)::float FROM invoices) AS max_amount,
             (SELECT count(DISTINCT currency)::int FROM customers) AS currencies,
             (SELECT count(*)::int FROM invoices i JOIN customers c ON c.id = i.customer_id
               WHERE i.currency <> c.currency) AS mismatched,
             (SELECT max(n)::int FROM (SELECT count(*) AS n FROM invoices GROUP BY customer_id) per) AS per_customer`);
    expect(rows[0]).toMatchObject({ customers: 100, invoices: 1_000, not_pending: 0, mismatched: 0, per_customer: 10 });
    expect(rows[0].min_amount).toBeGreaterThanOrEqual(10);
    expect(rows[0].max_amount).toBeLessThanOrEqual(500);
    // With 100 customers drawn from five currencies, every currency shows up.
    expect(rows[0].currencies).toBe(5);
  });
});
