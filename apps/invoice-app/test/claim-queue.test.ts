import { describe, expect, it } from 'vitest';
import { ClaimQueue } from '../src/billing/claim-queue.js';

// How the queue behaves with invoices and a database is in billing.test.ts; here, what it refuses.

describe('the queue of claimed invoices', () => {
  it('refuses a lease too short to hold a whole charge and its write, and says how long it must be', () => {
    const options = { send: () => undefined, slotFree: () => true, renew: async () => new Set<number>() };
    expect(() => new ClaimQueue({ ...options, leaseMs: 2_000, slowestChargeMs: 1_500, writeMarginMs: 1_000 })).toThrow(
      'A lease of 2000 ms cannot hold a charge of up to 1500 ms and its write (1000 ms): make it longer than 2500 ms.',
    );
    expect(new ClaimQueue({ ...options, leaseMs: 2_600, slowestChargeMs: 1_500, writeMarginMs: 1_000 }).length).toBe(0);
  });
});
