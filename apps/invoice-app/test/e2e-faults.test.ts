import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createTestDatabase } from '@billing/devkit/vitest';
import { seedDatabase } from '../src/seed.js';
import { auth, migrate, pay, startApp, testConfig } from './helpers.js';
import {
  RealProvider,
  exactlyOnceProblems,
  startInvoiceAppProcess,
  statusCounts,
  stoppedAfterAll,
} from './real-provider.js';

// invoice-app against the real payment-provider process when things go wrong: answers lost
// after the provider charged, the provider failing or gone, and invoice-app killed mid-run.

const { processes, apps, pools } = stoppedAfterAll();

async function provider(env: Record<string, string>, reuse?: RealProvider): Promise<RealProvider> {
  const started = await RealProvider.start(env, reuse);
  processes.push(started.service);
  return started;
}

async function invoiceApp(databaseUrl: string, providerUrl: string, env: Record<string, string> = {}) {
  const started = await startApp(testConfig(databaseUrl, providerUrl, env));
  apps.push(started.app);
  return started;
}

/** Pays until nothing is PENDING (or `maxRuns`); returns the summaries. */
async function payUntilSettled(base: string, db: pg.Pool, maxRuns = 30) {
  const summaries = [];
  for (let run = 1; run <= maxRuns && ((await statusCounts(db)).PENDING ?? 0) > 0; run++)
    summaries.push(await pay(base));
  return summaries;
}

describe('billing against a real provider in trouble', () => {
  it('charges once when the provider charged but the answer was lost to the timeout', async () => {
    // Every charge takes 300 to 600 ms, and is recorded even after the caller gave up at 150.
    const slow = await provider({ PAYMENT_SUCCESS_RATE: '0.5', RANDOM_SEED: '11', FAULT_LATENCY_MS: '300' });
    const databaseUrl = await createTestDatabase('e2e_timeouts');
    const impatient = await invoiceApp(databaseUrl, slow.url, {
      PAYMENT_PROVIDER_TIMEOUT_MS: '150',
      BILLING_MAX_RETRIES: '1',
    });
    await seedDatabase(impatient.app.db, { customers: 10, invoicesPerCustomer: 4 });

    expect(await pay(impatient.base)).toMatchObject({ attempted: 40, errored: 40, paid: 0 });
    // Each charge is recorded when its latency is over, whoever still waits for it.
    await expect.poll(async () => (await slow.ledger()).length, { timeout: 30_000 }).toBe(40);
    const lost = await slow.ledger();
    // The provider did charge: these answers are what the timeouts lost.
    expect(lost.filter((charge) => charge.result).length).toBeGreaterThan(5);
    expect(lost).toHaveLength(40);
    expect(await statusCounts(impatient.app.db)).toEqual({ PENDING: 40 });

    const patient = await invoiceApp(databaseUrl, slow.url, { PAYMENT_PROVIDER_TIMEOUT_MS: '3000' });
    const resumed = await pay(patient.base);
    expect(resumed).toMatchObject({ attempted: 40, resumed: 40, errored: 0 });
    // The resumed charges were answered from the ledger, not charged again.
    expect(resumed.paid).toBe(lost.filter((charge) => charge.result).length);
    expect(await slow.ledger()).toHaveLength(40);

    await payUntilSettled(patient.base, impatient.app.db);
    expect(await statusCounts(impatient.app.db)).toEqual({ PAID: 40 });
    expect(await exactlyOnceProblems(impatient.app.db, await slow.ledger(), [1, 40])).toEqual([]);
  });

  it('charges nothing while the provider fails or is down, and everything exactly once when it is back', async () => {
    const failing = await provider({ FAULT_ERROR_RATE: '1' });
    const databaseUrl = await createTestDatabase('e2e_outage');
    const { app, base } = await invoiceApp(databaseUrl, failing.url, { BILLING_MAX_RETRIES: '2' });
    await seedDatabase(app.db, { customers: 10, invoicesPerCustomer: 3 });

    expect(await pay(base)).toMatchObject({ attempted: 30, errored: 30, chargeRequests: 90 });
    expect(await failing.ledger()).toEqual([]);
    const { rows: afterOutage } = await app.db.query<{ charge_key: string | null; last_error: string }>(
      'SELECT charge_key, last_error FROM invoices',
    );
    for (const row of afterOutage) {
      expect(row.charge_key).not.toBeNull();
      expect(row.last_error).toMatch(/provider answered 503/);
    }

    expect(await failing.service.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await pay(base)).toMatchObject({ attempted: 30, errored: 30 });
    expect((await app.db.query(`SELECT 1 FROM invoices WHERE last_error LIKE '%ECONNREFUSED%'`)).rowCount).toBe(30);

    // Back on the same port and ledger, flaky: a third of the requests still fail.
    const flaky = await provider({ FAULT_ERROR_RATE: '0.3', RANDOM_SEED: '5' }, failing);
    const summaries = await payUntilSettled(base, app.db);
    expect(summaries[0]!.resumed).toBe(30);
    expect(await statusCounts(app.db)).toEqual({ PAID: 30 });
    expect(await exactlyOnceProblems(app.db, await flaky.ledger(), [1, 30])).toEqual([]);
  });

  it('finishes the work of an invoice-app killed mid-run, charging nothing twice', async () => {
    const real = await provider({ PAYMENT_SUCCESS_RATE: '1', FAULT_LATENCY_MS: '100' });
    const databaseUrl = await createTestDatabase('e2e_killed');
    await migrate(databaseUrl);
    const db = new pg.Pool({ connectionString: databaseUrl });
    pools.push(db);
    const doomed = await startInvoiceAppProcess({
      DATABASE_URL: databaseUrl,
      PAYMENT_PROVIDER_ENDPOINT: real.url,
      PAYMENT_PROVIDER_TIMEOUT_MS: '600',
      BILLING_MAX_RETRIES: '0',
      BILLING_CONCURRENCY: '8',
      SEED_CUSTOMERS: '50',
      SEED_INVOICES_PER_CUSTOMER: '4',
    });
    processes.push(doomed.service);
    for (let waited = 0; (await statusCounts(db)).PENDING !== 200 && waited < 10_000; waited += 100) await sleep(100);

    void fetch(`${doomed.base}/rest/v1/invoices/pay`, { method: 'POST', headers: auth }).catch(() => undefined);
    for (let waited = 0; ((await statusCounts(db)).PAID ?? 0) < 20 && waited < 20_000; waited += 50) await sleep(50);
    doomed.service.child.kill('SIGKILL');
    await doomed.service.exited;

    // Left mid-charge by the dead run (still leased), or with an unknown outcome (timed out).
    const { rows: orphaned } = await db.query(
      `SELECT id FROM invoices WHERE status = 'PENDING' AND claimed_by IS NOT NULL`,
    );
    const { rows: unresolved } = await db.query(
      `SELECT id FROM invoices WHERE status = 'PENDING' AND charge_key IS NOT NULL`,
    );
    expect(orphaned.length).toBeGreaterThan(0);
    expect((await statusCounts(db)).PAID).toBeLessThan(200);

    const successor = await invoiceApp(databaseUrl, real.url, { BILLING_CONCURRENCY: '32' });
    const summary = await pay(successor.base);
    expect(summary).toMatchObject({ errored: 0, declined: 0, complete: true });
    expect(summary.resumed).toBe(unresolved.length);
    expect(await statusCounts(db)).toEqual({ PAID: 200 });
    const ledger = await real.ledger();
    expect(await exactlyOnceProblems(db, ledger, [1, 200])).toEqual([]);
    expect(ledger).toHaveLength(200);
  });
});
