import { beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Platform } from '@billing/devkit';
import { chargedExactlyOnce, client, startTestPlatform } from './support.js';

let platform: Platform;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  platform = await startTestPlatform({ seedCustomers: 40, seedInvoicesPerCustomer: 10, faultLatencyMs: 20 });
  api = client(platform);
});

describe('a Postgres restart in the middle of a run', () => {
  it('loses nothing, and the next runs complete', async () => {
    const interrupted = api.pay().catch((err: Error) => err);
    await sleep(300);
    await platform.postgres.restart();
    await interrupted;

    // Both services come back without a restart of their own.
    await expect
      .poll(() => fetch(`${platform.invoiceAppUrls[0]}/rest/ready`).then((r) => r.status), { timeout: 30_000 })
      .toBe(200);
    await expect
      .poll(() => fetch(`${platform.paymentProviderUrl}/rest/ready`).then((r) => r.status), { timeout: 30_000 })
      .toBe(200);

    for (let round = 0; round < 40; round++) {
      if ((await api.invoices()).every((invoice) => invoice.status === 'PAID')) break;
      await api.pay().catch(() => sleep(500));
    }
    const invoices = await api.invoices();
    expect(invoices).toHaveLength(400);
    expect(invoices.filter((invoice) => invoice.status !== 'PAID')).toEqual([]);
    expect(chargedExactlyOnce(invoices, await api.ledger()).problems).toEqual([]);
  });
});
