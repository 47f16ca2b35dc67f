import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '@billing/devkit';
import { client, startTestPlatform } from './support.js';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ seedCustomers: 5, seedInvoicesPerCustomer: 2 });
});

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly auth?: 'billing' | 'provider' | 'wrong';
  readonly body?: string;
  readonly contentType?: string;
}

const json = 'application/json';
const goodCharge = { customer_id: 1, value: 10.5, currency: 'USD', invoice_id: 1 };
const hugeBody = JSON.stringify({ ...goodCharge, padding: 'x'.repeat(2 * 1024 * 1024) });

const invoiceAppProbes: Probe[] = [
  { method: 'GET', path: '/rest/v1/invoices/abc' },
  { method: 'GET', path: '/rest/v1/invoices/-1' },
  { method: 'GET', path: '/rest/v1/invoices/1.5' },
  { method: 'GET', path: '/rest/v1/invoices/99999999999999999999999' },
  { method: 'GET', path: '/rest/v1/invoices/0x10' },
  { method: 'GET', path: "/rest/v1/invoices/1'%20OR%201=1" },
  { method: 'GET', path: '/rest/v1/invoices/424242' },
  { method: 'GET', path: '/rest/v1/invoices?status=BOGUS' },
  { method: 'GET', path: '/rest/v1/invoices?limit=-5' },
  { method: 'GET', path: '/rest/v1/invoices?limit=abc' },
  { method: 'GET', path: '/rest/v1/invoices?limit=100000000' },
  { method: 'GET', path: '/rest/v1/invoices?after=xyz&limit=5' },
  { method: 'GET', path: '/rest/v1/customers/abc' },
  { method: 'GET', path: '/rest/v1/customers/424242' },
  { method: 'GET', path: '/rest/v1/customers/%00' },
  { method: 'POST', path: '/rest/v1/invoices/pay' },
  { method: 'POST', path: '/rest/v1/invoices/pay', auth: 'wrong' },
  { method: 'POST', path: '/rest/v1/invoices/pay', auth: 'provider' },
  { method: 'POST', path: '/rest/v1/invoices/pay', auth: 'wrong', body: hugeBody, contentType: json },
  { method: 'POST', path: '/rest/v1/invoices/pay', auth: 'billing', body: '{"oops":', contentType: json },
  { method: 'POST', path: '/rest/v1/invoices/pay', auth: 'billing', body: hugeBody, contentType: json },
  { method: 'PUT', path: '/rest/v1/invoices/1', body: '{}', contentType: json },
  { method: 'DELETE', path: '/rest/v1/customers/1' },
  { method: 'GET', path: '/../../etc/passwd' },
];

const providerProbes: Probe[] = [
  { method: 'POST', path: '/rest/v1/charge', body: JSON.stringify(goodCharge), contentType: json },
  { method: 'POST', path: '/rest/v1/charge', auth: 'wrong', body: JSON.stringify(goodCharge), contentType: json },
  { method: 'POST', path: '/rest/v1/charge', auth: 'billing', body: JSON.stringify(goodCharge), contentType: json },
  { method: 'POST', path: '/rest/v1/charge', auth: 'provider', body: '{"customer_id":', contentType: json },
  { method: 'POST', path: '/rest/v1/charge', auth: 'provider', body: 'not json at all', contentType: json },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: 'customer_id=1',
    contentType: 'application/x-www-form-urlencoded',
  },
  { method: 'POST', path: '/rest/v1/charge', auth: 'provider', body: '[]', contentType: json },
  { method: 'POST', path: '/rest/v1/charge', auth: 'provider', body: 'null', contentType: json },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ ...goodCharge, customer_id: '1' }),
    contentType: json,
  },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ ...goodCharge, value: 'ten' }),
    contentType: json,
  },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ ...goodCharge, value: -5 }),
    contentType: json,
  },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ ...goodCharge, value: 1e308 * 10 }),
    contentType: json,
  },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ ...goodCharge, currency: 'XXX' }),
    contentType: json,
  },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ ...goodCharge, currency: 42 }),
    contentType: json,
  },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ value: 1, currency: 'USD' }),
    contentType: json,
  },
  {
    method: 'POST',
    path: '/rest/v1/charge',
    auth: 'provider',
    body: JSON.stringify({ ...goodCharge, invoice_id: 'x' }),
    contentType: json,
  },
  { method: 'POST', path: '/rest/v1/charge', auth: 'provider', body: hugeBody, contentType: json },
  { method: 'GET', path: '/rest/v1/charges' },
  { method: 'GET', path: '/rest/v1/charges', auth: 'wrong' },
  { method: 'GET', path: '/rest/v1/charges?invoice_id=abc', auth: 'provider' },
  { method: 'GET', path: '/rest/v1/charges?invoice_id=-1', auth: 'provider' },
  { method: 'GET', path: '/rest/v1/charges?invoice_id=1e999', auth: 'provider' },
];

async function send(base: string, probe: Probe) {
  const tokens = {
    billing: platform.billingApiToken,
    provider: platform.paymentProviderToken,
    wrong: 'definitely-not-the-token-at-all',
  };
  const headers: Record<string, string> = {};
  if (probe.auth) headers.authorization = `Bearer ${tokens[probe.auth]}`;
  if (probe.contentType) headers['content-type'] = probe.contentType;
  const response = await fetch(`${base}${probe.path}`, { method: probe.method, headers, body: probe.body });
  const text = await response.text();
  return { status: response.status, text };
}

/**
 * As `send`, but for a body over the services' limit the answer may be lost: Fastify answers
 * 413 with `connection: close` rather than read the rest, and when it closes the socket while
 * the client is still writing, the client sees EPIPE or ECONNRESET instead. Under a burst that
 * race is real; it counts as the refusal it is. Any other failure still fails the test.
 */
async function sendInBurst(base: string, probe: Probe) {
  try {
    return await send(base, probe);
  } catch (error) {
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (probe.body === hugeBody && (code === 'EPIPE' || code === 'ECONNRESET')) return { status: 413, text: '' };
    throw error;
  }
}

describe('hostile and malformed requests', () => {
  it('get 4xx JSON answers from invoice-app, never 5xx', async () => {
    for (const probe of invoiceAppProbes) {
      const { status, text } = await send(platform.invoiceAppUrls[0]!, probe);
      const label = `${probe.method} ${probe.path} (${probe.auth ?? 'no auth'}) -> ${status} ${text.slice(0, 200)}`;
      expect(status, label).toBeGreaterThanOrEqual(400);
      expect(status, label).toBeLessThan(500);
      expect(typeof (JSON.parse(text) as { error: unknown }).error, label).toBe('string');
    }
  });

  it('get 4xx JSON answers from payment-provider, never 5xx', async () => {
    for (const probe of providerProbes) {
      const { status, text } = await send(platform.paymentProviderUrl, probe);
      const label = `${probe.method} ${probe.path} ${probe.body?.slice(0, 60) ?? ''} (${probe.auth ?? 'no auth'}) -> ${status} ${text.slice(0, 200)}`;
      expect(status, label).toBeGreaterThanOrEqual(400);
      expect(status, label).toBeLessThan(500);
      expect(typeof (JSON.parse(text) as { error: unknown }).error, label).toBe('string');
    }
  });

  it('a concurrent burst of them leaves both services serving, and nothing charged', async () => {
    const burst = Array.from({ length: 5 }, () => [
      ...invoiceAppProbes.map((probe) => sendInBurst(platform.invoiceAppUrls[0]!, probe)),
      ...providerProbes.map((probe) => sendInBurst(platform.paymentProviderUrl, probe)),
    ]).flat();
    const statuses = (await Promise.all(burst)).map((answer) => answer.status);
    expect(statuses.filter((status) => status < 400 || status >= 500)).toEqual([]);

    const api = client(platform);
    expect((await fetch(`${platform.invoiceAppUrls[0]}/rest/ready`)).status).toBe(200);
    expect((await fetch(`${platform.paymentProviderUrl}/rest/ready`)).status).toBe(200);
    expect((await api.invoices()).every((invoice) => invoice.status === 'PENDING')).toBe(true);
    expect(await api.ledger()).toEqual([]);
  });
});
