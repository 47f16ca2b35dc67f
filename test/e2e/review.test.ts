import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '@billing/devkit';
import { chargedExactlyOnce, client, startTestPlatform } from './support.js';

// The classic review procedure: pay once, about half PAID; pay again until all are PAID.
const CUSTOMERS = 30;
const PER_CUSTOMER = 10;
const TOTAL = CUSTOMERS * PER_CUSTOMER;

let platform: Platform;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  platform = await startTestPlatform({ seedCustomers: CUSTOMERS, seedInvoicesPerCustomer: PER_CUSTOMER });
  api = client(platform);
});

describe('the review procedure against the local platform', () => {
  it('starts seeded: every invoice PENDING, amounts in range and in the customer currency', async () => {
    const invoices = await api.invoices();
    expect(invoices).toHaveLength(TOTAL);
    expect(invoices.every((invoice) => invoice.status === 'PENDING')).toBe(true);
    expect(invoices.every((invoice) => invoice.amount.value >= 10 && invoice.amount.value <= 500)).toBe(true);
  });

  it('one pay run leaves roughly half PAID', async () => {
    const summary = await api.pay();
    expect(summary.attempted).toBe(TOTAL);
    expect(summary.paid + summary.declined).toBe(TOTAL);
    const paid = (await api.invoices()).filter((invoice) => invoice.status === 'PAID').length;
    expect(paid).toBe(summary.paid);
    // Binomial(300, 0.5): 150 ± 5 standard deviations (8.66 each).
    expect(paid).toBeGreaterThan(106);
    expect(paid).toBeLessThan(194);
    expect(chargedExactlyOnce(await api.invoices(), await api.ledger()).problems).toEqual([]);
  });

  it('repeated runs end with every invoice PAID, each charged successfully once', async () => {
    let runs = 1;
    while ((await api.invoices()).some((invoice) => invoice.status !== 'PAID')) {
      expect(runs, 'runs needed to pay everything').toBeLessThan(25);
      await api.pay();
      runs += 1;
    }
    const invoices = await api.invoices();
    expect(invoices.every((invoice) => invoice.status === 'PAID')).toBe(true);
    expect(chargedExactlyOnce(invoices, await api.ledger()).problems).toEqual([]);
    const again = await api.pay();
    expect(again.attempted).toBe(0);
  });
});
