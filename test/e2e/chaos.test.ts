import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '@billing/devkit';
import { chargedExactlyOnce, client, startTestPlatform } from './support.js';

// Three replicas, a provider that fails 30% of charges and answers slower than the client
// waits, pay calls racing on every replica, and one replica SIGKILLed mid-run.
let platform: Platform;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  platform = await startTestPlatform({
    invoiceAppReplicas: 3,
    seedCustomers: 40,
    seedInvoicesPerCustomer: 10,
    faultErrorRate: 0.3,
    faultLatencyMs: 150,
    paymentProviderTimeoutMs: 200,
    randomSeed: '42',
    // Six runs' first claims (slots plus a quarter: 40 each) fit in the 400 invoices, so every run
    // is charging when the replica is killed; with the default 128 slots, the first runs could
    // claim them all and a run with none could end before the kill.
    invoiceAppSettings: { BILLING_CONCURRENCY: '32' },
  });
  api = client(platform);
});

describe('billing under chaos', () => {
  it('never charges an invoice twice, and later runs finish the job', { timeout: 300_000 }, async () => {
    const runs = [0, 1, 2, 0, 1, 2].map((replica) => api.pay(replica).catch((err: Error) => err));
    // Kill a replica once the runs are under way: the provider has recorded charges, and the
    // runs (seconds long under these faults) are still going.
    await expect.poll(async () => (await api.ledger()).length > 0, { timeout: 60_000, interval: 50 }).toBe(true);
    await platform.invoiceApps[2]!.stop('SIGKILL');
    const outcomes = await Promise.all(runs);
    // The killed replica's calls fail, mid-run; the others answer with a summary.
    expect(outcomes.filter((outcome) => outcome instanceof Error)).toHaveLength(2);

    await platform.startInvoiceApp(2);
    for (let round = 0; round < 60; round++) {
      const invoices = await api.invoices();
      if (invoices.every((invoice) => invoice.status === 'PAID')) break;
      await Promise.all([0, 1, 2].map((replica) => api.pay(replica)));
    }

    const invoices = await api.invoices();
    expect(invoices.filter((invoice) => invoice.status !== 'PAID')).toEqual([]);
    expect(chargedExactlyOnce(invoices, await api.ledger()).problems).toEqual([]);
  });
});
