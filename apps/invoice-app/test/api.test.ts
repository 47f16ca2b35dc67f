import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import { seedDatabase } from '../src/seed.js';
import { auth, startApp, testConfig } from './helpers.js';

// The REST API through a real listener, on a seeded database. Billing itself is covered
// elsewhere; the provider here is never reached.

interface Invoice {
  id: number;
  customerId: number;
  amount: { value: number; currency: string };
  status: string;
}

let app: ServiceApp;
let base: string;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('api');
  ({ app, base } = await startApp(testConfig(databaseUrl, 'http://127.0.0.1:9')));
  await seedDatabase(app.db, { customers: 20, invoicesPerCustomer: 5 });
  await app.db.query(`UPDATE invoices SET status = 'PAID', paid_at = now() WHERE id % 3 = 0`);
  await app.db.query(`UPDATE invoices SET amount = 184.10 WHERE id = 1`);
});
afterAll(() => app.close());

async function get(path: string) {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('the invoice API', () => {
  it('lists every invoice in the Antaeus shape, amounts with two decimals', async () => {
    const response = await get('/rest/v1/invoices');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const invoices = JSON.parse(response.text) as Invoice[];
    expect(invoices).toHaveLength(100);
    expect(invoices.map((invoice) => invoice.id)).toEqual(Array.from({ length: 100 }, (_, n) => n + 1));
    expect(response.text).toContain('"amount":{"value":184.10,"currency":');
    for (const invoice of invoices) {
      expect(Object.keys(invoice)).toEqual(['id', 'customerId', 'amount', 'status', 'attempts', 'lastError']);
      expect(invoice.amount.value).toBeGreaterThanOrEqual(10);
      expect(invoice.amount.value).toBeLessThanOrEqual(500);
      expect(['EUR', 'USD', 'DKK', 'SEK', 'GBP']).toContain(invoice.amount.currency);
      expect(invoice.status).toBe(invoice.id % 3 === 0 ? 'PAID' : 'PENDING');
    }
  });

  it('answers one invoice, 404 for an unknown id and 400 for a bad one', async () => {
    const one = await get('/rest/v1/invoices/1');
    expect(one.status).toBe(200);
    expect(JSON.parse(one.text)).toMatchObject({ id: 1, customerId: 1, amount: { value: 184.1 }, status: 'PENDING' });

    const missing = await get('/rest/v1/invoices/1000');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({ error: "Invoice '1000' was not found" });

    for (const id of ['abc', '1.5', '0', '-3', '99999999999', '1e3', '0x10', '%20']) {
      const bad = await get(`/rest/v1/invoices/${id}`);
      expect(bad.status, id).toBe(400);
      expect(typeof JSON.parse(bad.text).error, id).toBe('string');
    }
  });

  it('answers concurrent lookups from one query each batch, every client its own invoice', async () => {
    const query = vi.spyOn(app.db, 'query');
    // Ids repeat and some are missing: each answer must still be the one asked for.
    const ids = Array.from({ length: 60 }, (_, n) => (n * 7) % 120);
    try {
      const answers = await Promise.all(ids.map((id) => app.inject(`/rest/v1/invoices/${id}`)));
      answers.forEach((answer, n) => {
        const id = ids[n]!;
        if (id >= 1 && id <= 100) {
          expect(answer.statusCode, String(id)).toBe(200);
          expect(answer.json<Invoice>().id).toBe(id);
        } else {
          expect(answer.statusCode, String(id)).toBe(id === 0 ? 400 : 404);
        }
      });
      expect(query.mock.calls.length).toBeGreaterThan(0);
      expect(query.mock.calls.length).toBeLessThan(5);
    } finally {
      query.mockRestore();
    }
  });

  it('filters by status', async () => {
    const paid = JSON.parse((await get('/rest/v1/invoices?status=PAID')).text) as Invoice[];
    expect(paid).toHaveLength(33);
    expect(paid.every((invoice) => invoice.status === 'PAID')).toBe(true);
    expect(JSON.parse((await get('/rest/v1/invoices?status=FAILED')).text)).toEqual([]);
  });

  it('pages with limit and after, linking the next page until the last', async () => {
    const seen: number[] = [];
    let next: string | undefined = '/rest/v1/invoices?status=PENDING&limit=30';
    let pages = 0;
    while (next !== undefined) {
      const page = await get(next);
      expect(page.status).toBe(200);
      const invoices = JSON.parse(page.text) as Invoice[];
      expect(invoices.length).toBeLessThanOrEqual(30);
      seen.push(...invoices.map((invoice) => invoice.id));
      next = page.headers.get('link')?.match(/^<([^>]+)>; rel="next"$/)?.[1];
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, n) => n + 1).filter((id) => id % 3 !== 0));

    const afterOnly = JSON.parse((await get('/rest/v1/invoices?after=95')).text) as Invoice[];
    expect(afterOnly.map((invoice) => invoice.id)).toEqual([96, 97, 98, 99, 100]);
  });

  it('answers bad list parameters with 400 JSON naming the parameter', async () => {
    expect(JSON.parse((await get('/rest/v1/invoices?limit=2.5')).text)).toEqual({
      error: 'querystring/limit must be integer',
    });
    expect(JSON.parse((await get('/rest/v1/invoices?status=paid')).text)).toEqual({
      error: 'querystring/status must be one of PENDING, PAID, FAILED (got "paid")',
    });
    expect(JSON.parse((await get('/rest/v1/invoices?colour=red&limit=5')).text)).toEqual({
      error: "Unknown query parameter 'colour': it takes status, limit, after",
    });
    expect(JSON.parse((await get('/rest/v1/customers?limit=5')).text)).toEqual({
      error: "Unknown query parameter 'limit': it takes no query parameters",
    });
    const bad = ['limit=0', 'limit=1001', 'limit=x', 'limit=2.5', 'after=-1', 'after=1e2', 'limit=1&limit=2'];
    for (const query of [...bad, 'status=paid', 'status=', 'colour=red']) {
      const response = await get(`/rest/v1/invoices?${query}`);
      expect(response.status, query).toBe(400);
      expect(typeof JSON.parse(response.text).error, query).toBe('string');
    }
  });
});

describe('the customer API', () => {
  it('lists customers and answers one, 404 and 400', async () => {
    const customers = JSON.parse((await get('/rest/v1/customers')).text) as { id: number; currency: string }[];
    expect(customers).toHaveLength(20);
    expect(Object.keys(customers[0]!)).toEqual(['id', 'currency']);
    expect(JSON.parse((await get('/rest/v1/customers/2')).text)).toEqual(customers[1]);
    expect((await get('/rest/v1/customers/21')).status).toBe(404);
    expect(JSON.parse((await get('/rest/v1/customers/21')).text)).toEqual({ error: "Customer '21' was not found" });
    expect((await get('/rest/v1/customers/x')).status).toBe(400);
    expect((await get('/rest/v1/customers?limit=5')).status).toBe(400);
  });

  it('bills each invoice in its customer’s currency', async () => {
    const customers = JSON.parse((await get('/rest/v1/customers')).text) as { id: number; currency: string }[];
    const currency = new Map(customers.map((customer) => [customer.id, customer.currency]));
    const invoices = JSON.parse((await get('/rest/v1/invoices')).text) as Invoice[];
    for (const invoice of invoices) expect(invoice.amount.currency).toBe(currency.get(invoice.customerId));
  });
});

describe('the pay endpoint', () => {
  it('is POST only: GET and PUT answer 405 with Allow, not a bad invoice id or a 404', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${base}/rest/v1/invoices/pay`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow'), method).toBe('POST');
      expect(((await response.json()) as { error: string }).error).toBe(
        `${method} is not allowed on /rest/v1/invoices/pay: use POST`,
      );
    }
    expect((await fetch(`${base}/rest/v1/invoices/1`, { method: 'DELETE' })).headers.get('allow')).toBe('GET, HEAD');
  });

  it('says which token a 401 wants, and reads a lower-case scheme as Bearer', async () => {
    const refused = await fetch(`${base}/rest/v1/invoices/pay`, { method: 'POST' });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="invoice-app"');
    expect(((await refused.json()) as { error: string }).error).toMatch(/Authorization: Bearer <BILLING_API_TOKEN>/);
    // A wrong token, so that nothing is billed: the scheme was understood, the token was not it.
    const lowerCase = await fetch(`${base}/rest/v1/invoices/pay`, {
      method: 'POST',
      headers: { authorization: 'bearer wrong-token-0123456789' },
    });
    expect(lowerCase.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(((await lowerCase.json()) as { error: string }).error).toMatch(/token is not BILLING_API_TOKEN/);
  });

  it('needs the billing token', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: 'Basic abc' },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${base}/rest/v1/invoices/pay`, { method: 'POST', headers });
      expect(response.status).toBe(401);
      expect(typeof ((await response.json()) as { error: unknown }).error).toBe('string');
    }
    expect(auth.authorization).toMatch(/^Bearer /);
  });
});

describe('health', () => {
  it('is live and ready once migrated', async () => {
    expect(JSON.parse((await get('/rest/health')).text)).toBe('ok');
    expect((await get('/rest/ready')).status).toBe(200);
  });
});
