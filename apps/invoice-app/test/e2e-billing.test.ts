import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ManagedProcess } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import { seedDatabase } from '../src/seed.js';
import { migrate, pay, startApp, testConfig } from './helpers.js';
import { RealProvider, exactlyOnceProblems, startInvoiceAppProcess, statusCounts } from './real-provider.js';

// invoice-app against the real payment-provider process, checked against its ledger.

let provider: RealProvider;
const processes: ManagedProcess[] = [];
const pools: pg.Pool[] = [];

beforeAll(async () => {
  provider = await RealProvider.start({ PAYMENT_SUCCESS_RATE: '0.5', RANDOM_SEED: '7', FAULT_LATENCY_MS: '5' });
  processes.push(provider.service);
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await Promise.all(processes.map((service) => service.stop('SIGKILL')));
});

function pool(databaseUrl: string): pg.Pool {
  const created = new pg.Pool({ connectionString: databaseUrl });
  pools.push(created);
  return created;
}

/** Five standard deviations of a binomial count: a correct run misses it once in 1.7 million. */
const fiveSigma = (n: number, p: number) => 5 * Math.sqrt(n * p * (1 - p));

describe('billing against the real payment provider', () => {
  it('leaves roughly half PAID after one run at rate 0.5, and all PAID after repeated runs, each charged once', async () => {
    const databaseUrl = await createTestDatabase('e2e_runs');
    const { app, base } = await startApp(testConfig(databaseUrl, provider.url));
    try {
      await seedDatabase(app.db, { customers: 50, invoicesPerCustomer: 10 });

      const first = await pay(base);
      expect(first).toMatchObject({ attempted: 500, failed: 0, errored: 0, complete: true });
      expect(Math.abs(Number(first.paid) - 250)).toBeLessThanOrEqual(fiveSigma(500, 0.5));
      expect(Number(first.paid) + Number(first.declined)).toBe(500);
      expect(await statusCounts(app.db)).toEqual({ PAID: first.paid, PENDING: first.declined });
      expect(await exactlyOnceProblems(app.db, await provider.ledger(), [1, 500])).toEqual([]);

      let pending = Number(first.declined);
      for (let run = 2; pending > 0 && run <= 30; run++) {
        const summary = await pay(base);
        expect(summary.attempted).toBe(pending);
        pending = Number(summary.declined);
      }
      expect(await statusCounts(app.db)).toEqual({ PAID: 500 });
      const ledger = await provider.ledger();
      expect(await exactlyOnceProblems(app.db, ledger, [1, 500])).toEqual([]);
      expect(ledger.filter((charge) => charge.result && charge.invoiceId! <= 500)).toHaveLength(500);
    } finally {
      await app.close();
    }
  });

  it('seeds once and never charges an invoice twice when three replicas bill one database at once', async () => {
    const databaseUrl = await createTestDatabase('e2e_replicas');
    await migrate(databaseUrl);
    const db = pool(databaseUrl);
    // Ids from 100001, so that the shared provider's ledger tells this database's invoices apart.
    await db.query('ALTER TABLE invoices ALTER COLUMN id RESTART WITH 100001');
    const env = {
      DATABASE_URL: databaseUrl,
      PAYMENT_PROVIDER_ENDPOINT: provider.url,
      SEED_CUSTOMERS: '60',
      SEED_INVOICES_PER_CUSTOMER: '10',
      BILLING_CONCURRENCY: '16',
    };
    const replicas = await Promise.all([1, 2, 3].map(() => startInvoiceAppProcess(env)));
    processes.push(...replicas.map((replica) => replica.service));
    // Readiness waits for seeding, and three replicas starting together seed once.
    expect(await statusCounts(db)).toEqual({ PENDING: 600 });
    expect((await db.query('SELECT 1 FROM customers')).rowCount).toBe(60);

    let pending = 600;
    for (let round = 1; pending > 0 && round <= 30; round++) {
      const summaries = await Promise.all(replicas.map(({ base }) => pay(base)));
      const attempted = summaries.map((summary) => Number(summary.attempted));
      if (round === 1) for (const share of attempted) expect(share).toBeGreaterThan(0);
      expect(attempted.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(pending);
      pending = (await statusCounts(db)).PENDING ?? 0;
    }

    expect(await statusCounts(db)).toEqual({ PAID: 600 });
    expect(await exactlyOnceProblems(db, await provider.ledger(), [100_001, 100_600])).toEqual([]);

    // A replica stops cleanly and, restarted, finds the data there and seeds nothing more.
    expect(await replicas[0]!.service.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const restarted = await startInvoiceAppProcess({ ...env, LOG_LEVEL: 'info' });
    processes.push(restarted.service);
    expect(restarted.service.stdout).toContain('database already has data; not seeding');
    expect(await statusCounts(db)).toEqual({ PAID: 600 });
    expect(await pay(restarted.base)).toMatchObject({ attempted: 0 });
  });
});
