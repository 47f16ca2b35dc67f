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

/** What a client gets from one request: the status and, for a 503, when to come back. */
async function answer(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  const retryAfter = response.headers.get('retry-after');
  return response.status === 503 ? `503 retry-after ${retryAfter}` : String(response.status);
}

describe('a Postgres restart in the middle of a run', () => {
  it('answers 503 with Retry-After while the database is away, never 500, loses nothing, and the next runs complete', async () => {
    const invoiceApp = platform.invoiceAppUrls[0]!;
    const provider = platform.paymentProviderUrl;
    const billing = { authorization: `Bearer ${platform.billingApiToken}` };
    const charging = { authorization: `Bearer ${platform.paymentProviderToken}`, 'content-type': 'application/json' };

    const interrupted = answer(`${invoiceApp}/rest/v1/invoices/pay`, { method: 'POST', headers: billing });
    await sleep(300);
    const whileAway: Record<string, string> = {};
    await platform.postgres.restart(async () => {
      const requests: Record<string, [string, RequestInit?]> = {
        'GET invoice': [`${invoiceApp}/rest/v1/invoices/1`],
        'GET invoices': [`${invoiceApp}/rest/v1/invoices`],
        'GET invoices page': [`${invoiceApp}/rest/v1/invoices?status=PENDING&limit=5`],
        'GET customer': [`${invoiceApp}/rest/v1/customers/1`],
        'GET customers': [`${invoiceApp}/rest/v1/customers`],
        'POST pay': [`${invoiceApp}/rest/v1/invoices/pay`, { method: 'POST', headers: billing }],
        'invoice-app ready': [`${invoiceApp}/rest/ready`],
        'GET charges': [`${provider}/rest/v1/charges`, { headers: charging }],
        'POST charge': [
          `${provider}/rest/v1/charge`,
          { method: 'POST', headers: charging, body: JSON.stringify({ customer_id: 1, value: 1, currency: 'USD' }) },
        ],
        'payment-provider ready': [`${provider}/rest/ready`],
      };
      for (const [name, [url, init]] of Object.entries(requests)) whileAway[name] = await answer(url, init);
      whileAway['invoice-app health'] = await answer(`${invoiceApp}/rest/health`);
    });
    expect(whileAway).toEqual({
      'GET invoice': '503 retry-after 5',
      'GET invoices': '503 retry-after 5',
      'GET invoices page': '503 retry-after 5',
      'GET customer': '503 retry-after 5',
      'GET customers': '503 retry-after 5',
      'POST pay': '503 retry-after 5',
      'invoice-app ready': '503 retry-after 5',
      'GET charges': '503 retry-after 5',
      'POST charge': '503 retry-after 5',
      'payment-provider ready': '503 retry-after 5',
      'invoice-app health': '200',
    });
    // The run the restart cut short either finished first or stopped with the same 503.
    expect(['200', '503 retry-after 5']).toContain(await interrupted);

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
