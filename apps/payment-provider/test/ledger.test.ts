import { describe, expect, it } from 'vitest';
import { Ledger, type NewCharge } from '../src/ledger.js';
import { startProvider, storedCharges } from './provider.js';

const charge = (customerId: number, idempotencyKey: string | null, result = true): NewCharge => ({
  idempotencyKey,
  requestHash: `hash-${customerId}`,
  invoiceId: customerId + 1000,
  customerId,
  amount: customerId + 0.5,
  currency: 'EUR',
  result,
});

describe('ledger group commit', () => {
  it('records charges that arrive together in their order, one row per key', async () => {
    const app = await startProvider();
    const ledger = new Ledger(app.db);
    const charges = Array.from({ length: 300 }, (_unused, index) =>
      // Every third without a key; keys repeat within the burst (index 10 and 11 share one, ...).
      charge(index + 1, index % 3 === 0 ? null : `key-${Math.floor(index / 2)}`, index % 2 === 0),
    );
    const recorded = await Promise.all(charges.map((c) => ledger.record(c)));

    const rows = await storedCharges(app);
    const firstOfKey = charges.map(
      (c, index) =>
        c.idempotencyKey === null || charges.findIndex((o) => o.idempotencyKey === c.idempotencyKey) === index,
    );
    expect(recorded).toEqual(firstOfKey);
    // In the order they were asked for, whatever statement each went in.
    expect(rows.map((row) => Number(row.customer_id))).toEqual(
      charges.filter((_c, index) => firstOfKey[index]).map((c) => c.customerId),
    );
    expect(new Set(rows.map((row) => row.idempotency_key).filter(Boolean)).size).toBe(
      rows.filter((row) => row.idempotency_key !== null).length,
    );
    expect(rows[0]).toMatchObject({ amount: '1.50', currency: 'EUR', invoice_id: '1001', result: true });

    // A key recorded in an earlier group is taken for good.
    expect(await ledger.record(charge(999, 'key-1'))).toBe(false);
    expect(await ledger.record(charge(999, null))).toBe(true);
  });

  it('fails every charge of a group the database refuses, and records none of them', async () => {
    const app = await startProvider();
    const ledger = new Ledger(app.db);
    // The table's CHECK refuses a non-positive amount (the request schema never lets one through).
    const results = await Promise.allSettled([
      ledger.record(charge(1, 'a')),
      ledger.record(charge(2, 'b')),
      ledger.record({ ...charge(3, 'c'), amount: -1 }),
      ledger.record(charge(4, 'd')),
    ]);
    const failed = results.filter((result) => result.status === 'rejected').length;
    expect(failed).toBeGreaterThanOrEqual(1);
    const rows = await storedCharges(app);
    expect(rows.map((row) => row.idempotency_key)).not.toContain('c');
    expect(rows).toHaveLength(4 - failed);
  });
});
