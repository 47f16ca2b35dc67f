import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '@billing/devkit/vitest';
import {
  claimInvoices,
  databaseNow,
  renewClaims,
  settleInvoices,
  type ClaimRequest,
} from '../src/billing/invoice-claims.js';
import { insertCustomers, insertInvoices, invoiceStates, migrate } from './helpers.js';

// The claim and settle statements on their own, where races can be staged precisely.

let db: pg.Pool;
let ids: number[];

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('claims');
  await migrate(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl, max: 20 });
});
afterAll(() => db.end());
beforeEach(async () => {
  await db.query('TRUNCATE invoices, customers RESTART IDENTITY');
  const [usd] = await insertCustomers(db, ['USD']);
  ids = await insertInvoices(
    db,
    Array.from({ length: 50 }, () => ({ customerId: usd!, amount: '99.99', currency: 'USD' })),
  );
});

async function claimRequest(overrides: Partial<ClaimRequest> = {}): Promise<ClaimRequest> {
  return { runId: 'run-a', runStartedAt: await databaseNow(db), afterId: 0, limit: 10, leaseMs: 60_000, ...overrides };
}

describe('claiming invoices', () => {
  it('leases them in id order and stores a key for each before returning it', async () => {
    const claimed = await claimInvoices(db, await claimRequest({ limit: 3 }));
    expect(claimed.map((invoice) => invoice.id)).toEqual(ids.slice(0, 3));
    const states = await invoiceStates(db);
    for (const invoice of claimed) {
      expect(invoice).toMatchObject({ amount: '99.99', currency: 'USD', customerCurrency: 'USD', resumed: false });
      expect(states.get(invoice.id)).toMatchObject({ charge_key: invoice.chargeKey, claimed_by: 'run-a' });
    }
  });

  it('never hands one invoice to two concurrent claims', async () => {
    const runStartedAt = await databaseNow(db);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        claimInvoices(db, { runId: `run-${n}`, runStartedAt, afterId: 0, limit: 7, leaseMs: 60_000 }),
      ),
    );
    const all = claims.flat().map((invoice) => invoice.id);
    expect(all).toHaveLength(50);
    expect(new Set(all).size).toBe(50);
  });

  it('skips live leases and invoices touched since the run began, and takes expired leases with their key', async () => {
    const key = randomUUID();
    await db.query(
      `UPDATE invoices SET claimed_by = 'other', claimed_until = now() + interval '1 minute',
         last_attempt_at = now() - interval '1 minute' WHERE id = $1`,
      [ids[0]],
    );
    await db.query(
      `UPDATE invoices SET claimed_by = 'dead', claimed_until = now() - interval '1 second', charge_key = $2,
         last_attempt_at = now() - interval '1 minute' WHERE id = $1`,
      [ids[1], key],
    );
    const request = await claimRequest({ limit: 3 });
    await db.query(`UPDATE invoices SET last_attempt_at = now() WHERE id = $1`, [ids[2]]);

    const claimed = await claimInvoices(db, request);
    expect(claimed.map((invoice) => invoice.id)).toEqual([ids[1], ids[3], ids[4]]);
    expect(claimed[0]).toMatchObject({ chargeKey: key, resumed: true });
  });

  it('gives no key to an invoice it must not charge', async () => {
    await db.query(`UPDATE invoices SET currency = 'EUR' WHERE id = $1`, [ids[0]]);
    await db.query(`UPDATE invoices SET customer_id = 777 WHERE id = $1`, [ids[1]]);
    const [mismatch, orphan] = await claimInvoices(db, await claimRequest({ limit: 2 }));
    expect(mismatch).toMatchObject({ currency: 'EUR', customerCurrency: 'USD', chargeKey: null });
    expect(orphan).toMatchObject({ customerCurrency: null, chargeKey: null });
  });

  it('keeps an unresolved key even on a mismatched invoice, so that charge is asked about, not dropped', async () => {
    const key = randomUUID();
    await db.query(`UPDATE invoices SET currency = 'EUR', charge_key = $2 WHERE id = $1`, [ids[0], key]);
    const [unresolved] = await claimInvoices(db, await claimRequest({ limit: 1 }));
    expect(unresolved).toMatchObject({ id: ids[0], chargeKey: key, resumed: true, customerCurrency: 'USD' });
  });
});

describe('settling invoices', () => {
  it('writes outcomes, clears the key only after a decline, and releases the lease', async () => {
    const [paid, declined] = await claimInvoices(db, await claimRequest({ limit: 2 }));
    const written = await settleInvoices(db, 'run-a', [
      { id: paid!.id, chargeKey: paid!.chargeKey, status: 'PAID', requests: 2, error: null, clearKey: false },
      {
        id: declined!.id,
        chargeKey: declined!.chargeKey,
        status: 'PENDING',
        requests: 1,
        error: 'declined',
        clearKey: true,
      },
    ]);
    expect(written).toBe(2);
    const states = await invoiceStates(db);
    expect(states.get(paid!.id)).toMatchObject({
      status: 'PAID',
      attempts: 2,
      charge_key: paid!.chargeKey,
      claimed_by: null,
    });
    expect(states.get(declined!.id)).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      charge_key: null,
      claimed_by: null,
    });
  });

  it('ignores an outcome for a key the invoice no longer carries, so a late run cannot clear a newer key', async () => {
    const [first] = await claimInvoices(db, await claimRequest({ limit: 1 }));
    // Its decline was recorded, and a newer run is already charging with a new key...
    await settleInvoices(db, 'run-a', [
      { id: first!.id, chargeKey: first!.chargeKey, status: 'PENDING', requests: 1, error: 'declined', clearKey: true },
    ]);
    const [second] = await claimInvoices(db, await claimRequest({ runId: 'run-b', limit: 1 }));
    expect(second!.id).toBe(first!.id);
    expect(second!.chargeKey).not.toBe(first!.chargeKey);

    // ...when the first run's late copy of that decline arrives.
    const written = await settleInvoices(db, 'run-a', [
      { id: first!.id, chargeKey: first!.chargeKey, status: 'PENDING', requests: 1, error: 'declined', clearKey: true },
    ]);
    expect(written).toBe(0);
    expect((await invoiceStates(db)).get(first!.id)).toMatchObject({
      charge_key: second!.chargeKey,
      claimed_by: 'run-b',
    });
  });

  it('renews the claims a run still holds, and not one that ran out and another run took', async () => {
    const [lost, kept] = await claimInvoices(db, await claimRequest({ limit: 2, leaseMs: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await claimInvoices(db, await claimRequest({ runId: 'run-b', limit: 1, runStartedAt: '2999-01-01' }));

    expect(await renewClaims(db, 'run-a', [lost!.id, kept!.id], 60_000)).toEqual(new Set([kept!.id]));
    const { rows } = await db.query<{ id: number; claimed_by: string; left_ms: number }>(
      `SELECT id, claimed_by, extract(epoch FROM claimed_until - now()) * 1000 AS left_ms
       FROM invoices WHERE id = ANY ($1::int[]) ORDER BY id`,
      [[lost!.id, kept!.id]],
    );
    expect(rows[0]).toMatchObject({ claimed_by: 'run-b' });
    expect(rows[1]).toMatchObject({ claimed_by: 'run-a' });
    expect(Number(rows[1]!.left_ms)).toBeGreaterThan(50_000);
  });

  it("leaves another run's lease on a PENDING invoice it took over, and any lease once it is PAID", async () => {
    const [invoice] = await claimInvoices(db, await claimRequest({ limit: 1, leaseMs: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [takenOver] = await claimInvoices(
      db,
      await claimRequest({ runId: 'run-b', limit: 1, runStartedAt: '2999-01-01' }),
    );
    expect(takenOver).toMatchObject({ id: invoice!.id, chargeKey: invoice!.chargeKey, resumed: true });
    const late = { id: invoice!.id, chargeKey: invoice!.chargeKey, requests: 1, clearKey: false };
    await settleInvoices(db, 'run-a', [{ ...late, status: 'PENDING', error: 'no answer' }]);
    expect((await invoiceStates(db)).get(invoice!.id)).toMatchObject({ status: 'PENDING', claimed_by: 'run-b' });
    await settleInvoices(db, 'run-a', [{ ...late, status: 'PAID', error: null }]);
    expect((await invoiceStates(db)).get(invoice!.id)).toMatchObject({ status: 'PAID', claimed_by: null });
  });
});
