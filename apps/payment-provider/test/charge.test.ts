import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import { TOKEN, auth, body, charge, startProvider, storedCharges } from './provider.js';

// Two providers on one ledger: one that charges every card, one that declines every card.
let charging: ServiceApp;
let declining: ServiceApp;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('charge');
  charging = await startProvider({ PAYMENT_SUCCESS_RATE: '1' }, databaseUrl);
  declining = await startProvider({ PAYMENT_SUCCESS_RATE: '0' }, databaseUrl);
});
beforeEach(async () => {
  await charging.db.query('TRUNCATE charges RESTART IDENTITY');
});

describe('POST /rest/v1/charge', () => {
  it('charges, records the attempt before answering, and declines at the configured rate', async () => {
    const charged = await charge(charging, body);
    expect(charged.statusCode).toBe(200);
    expect(charged.json()).toEqual({ result: true });
    expect(charged.headers['idempotent-replayed']).toBeUndefined();

    const declined = await charge(declining, { customer_id: 8, value: 10, currency: 'DKK' });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toEqual({ result: false });

    expect(await storedCharges(charging)).toEqual([
      {
        id: '1',
        idempotency_key: null,
        invoice_id: '42',
        customer_id: '7',
        amount: '184.04',
        currency: 'USD',
        result: true,
      },
      {
        id: '2',
        idempotency_key: null,
        invoice_id: null,
        customer_id: '8',
        amount: '10.00',
        currency: 'DKK',
        result: false,
      },
    ]);
  });

  it('accepts every supported currency', async () => {
    for (const currency of ['EUR', 'USD', 'DKK', 'SEK', 'GBP']) {
      const response = await charge(charging, { ...body, currency });
      expect(response.statusCode, currency).toBe(200);
    }
    expect((await storedCharges(charging)).map((row) => row.currency)).toEqual(['EUR', 'USD', 'DKK', 'SEK', 'GBP']);
  });

  it('treats every request without an Idempotency-Key as a new charge', async () => {
    await charge(charging, body);
    await charge(charging, body);
    expect(await storedCharges(charging)).toHaveLength(2);
  });

  it('answers a repeated key and body with the first answer and records nothing more', async () => {
    const first = await charge(declining, body, 'invoice-42-try-1');
    expect(first.json()).toEqual({ result: false });
    // The charging provider would say true for a new charge: the ledger's answer wins.
    const again = await charge(charging, body, 'invoice-42-try-1');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ result: false });
    expect(again.headers['idempotent-replayed']).toBe('true');
    // The same request written differently (other field order, 184.040) is the same request.
    const reordered = await charge(
      charging,
      { invoice_id: 42, currency: 'USD', value: 184.04, customer_id: 7 },
      'invoice-42-try-1',
    );
    expect(reordered.json()).toEqual({ result: false });
    expect(await storedCharges(charging)).toHaveLength(1);
  });

  it('refuses a reused key with a different body with 409 and charges nothing', async () => {
    await charge(charging, body, 'key-1');
    const changes = [
      { value: 184.05 },
      { currency: 'EUR' },
      { customer_id: 8 },
      { invoice_id: 43 },
      { invoice_id: undefined },
    ];
    for (const change of changes) {
      const response = await charge(charging, { ...body, ...change }, 'key-1');
      expect(response.statusCode, JSON.stringify(change)).toBe(409);
      expect(response.json().error).toContain('Idempotency-Key "key-1" was already used for a different request');
    }
    const rows = await storedCharges(charging);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amount: '184.04', currency: 'USD', invoice_id: '42' });
    // A new key is a new charge.
    expect((await charge(charging, { ...body, value: 184.05 }, 'key-2')).statusCode).toBe(200);
    expect(await storedCharges(charging)).toHaveLength(2);
  });

  it.each([['JPY'], ['usd'], ['EURO'], ['']])('refuses the unsupported currency %j with 422', async (currency) => {
    const response = await charge(charging, { ...body, currency }, 'currency-key');
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      error: `Currency ${JSON.stringify(currency)} is not supported; use one of EUR, USD, DKK, SEK, GBP`,
    });
    expect(await storedCharges(charging)).toEqual([]);
  });

  const malformed: [string, unknown, string][] = [
    ['a string customer_id', { ...body, customer_id: '7' }, 'body/customer_id must be integer'],
    ['a fractional customer_id', { ...body, customer_id: 7.5 }, 'body/customer_id must be integer'],
    ['a zero customer_id', { ...body, customer_id: 0 }, 'body/customer_id must be >= 1'],
    ['a string value', { ...body, value: '184.04' }, 'body/value must be number'],
    ['a negative value', { ...body, value: -5 }, 'body/value must be > 0'],
    ['a zero value', { ...body, value: 0 }, 'body/value must be > 0'],
    ['a value beyond numeric(12,2)', { ...body, value: 1e10 }, 'body/value must be <='],
    ['a value that does not fit a double', '{"customer_id":7,"value":1e400,"currency":"USD"}', 'body/value must be'],
    ['fractions of a cent', { ...body, value: 10.001 }, 'at most 2 decimal places'],
    ['a float artefact', { ...body, value: 0.1 + 0.2 }, 'at most 2 decimal places'],
    ['a numeric currency', { ...body, currency: 840 }, 'body/currency must be string'],
    ['a null invoice_id', { ...body, invoice_id: null }, 'body/invoice_id must be integer'],
    ['a string invoice_id', { ...body, invoice_id: '42' }, 'body/invoice_id must be integer'],
    ['a missing customer_id', { value: 1, currency: 'USD' }, 'customer_id'],
    ['a missing value', { customer_id: 1, currency: 'USD' }, 'value'],
    ['a missing currency', { customer_id: 1, value: 1 }, 'currency'],
    [
      'an extra field',
      { ...body, amount: 1 },
      "Unknown field 'amount': it takes customer_id, value, currency, invoice_id",
    ],
    ['an array', [body], 'body must be object'],
    ['null', 'null', 'body must be object'],
    ['broken JSON', '{"customer_id":', 'JSON'],
    ['an empty body', '', 'empty'],
  ];
  it.each(malformed)('refuses %s with 400 and a clear error', async (_name, payload, error) => {
    const response = await charging.inject({
      method: 'POST',
      url: '/rest/v1/charge',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toContain(error);
    expect(await storedCharges(charging)).toEqual([]);
  });

  it('refuses an empty or overlong Idempotency-Key with 400', async () => {
    for (const key of ['', 'k'.repeat(256)]) {
      const response = await charge(charging, body, key);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toContain('headers/idempotency-key');
    }
    expect((await charge(charging, body, 'k'.repeat(255))).statusCode).toBe(200);
  });

  it('refuses a body that is not JSON with 4xx', async () => {
    const text = await charging.inject({
      method: 'POST',
      url: '/rest/v1/charge',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: JSON.stringify(body),
    });
    expect(text.statusCode).toBe(400);
    expect(text.json().error).toBe('body must be object');
    const response = await charging.inject({
      method: 'POST',
      url: '/rest/v1/charge',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'customer_id=7',
    });
    expect(response.statusCode).toBe(415);
    expect(typeof response.json().error).toBe('string');
  });
});

describe('bearer-token auth', () => {
  const wrongCredentials = [
    ['no Authorization header', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
    ['an empty token', { authorization: 'Bearer ' }],
  ] as const;

  it.each(wrongCredentials)('refuses %s with 401 on both endpoints and charges nothing', async (_name, headers) => {
    const charged = await charging.inject({ method: 'POST', url: '/rest/v1/charge', headers, payload: body });
    expect(charged.statusCode).toBe(401);
    expect(typeof charged.json().error).toBe('string');
    const listed = await charging.inject({ method: 'GET', url: '/rest/v1/charges', headers });
    expect(listed.statusCode).toBe(401);
    expect(await storedCharges(charging)).toEqual([]);
  });

  it('says which token is needed, with a Bearer challenge, and takes the scheme in any case', async () => {
    const refused = await charging.inject({ method: 'POST', url: '/rest/v1/charge', payload: body });
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="payment-provider"');
    expect(refused.json().error).toMatch(/Authorization: Bearer <PAYMENT_PROVIDER_TOKEN>/);
    const lowerCase = { authorization: `bearer ${TOKEN}` };
    expect(
      (await charging.inject({ method: 'POST', url: '/rest/v1/charge', headers: lowerCase, payload: body })).statusCode,
    ).toBe(200);
    expect((await charging.inject({ method: 'GET', url: '/rest/v1/charges', headers: lowerCase })).statusCode).toBe(
      200,
    );
  });

  it('answers another method on the charge route 405 with Allow', async () => {
    const response = await charging.inject({ method: 'GET', url: '/rest/v1/charge', headers: auth });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it('checks the token before the body, so a stranger learns nothing about the schema', async () => {
    const response = await charging.inject({ method: 'POST', url: '/rest/v1/charge', payload: { nonsense: true } });
    expect(response.statusCode).toBe(401);
  });

  it('leaves health, readiness and metrics open', async () => {
    for (const url of ['/rest/health', '/rest/ready', '/metrics']) {
      expect((await charging.inject(url)).statusCode, url).toBe(200);
    }
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await charging.inject({ method: 'GET', url: '/rest/v1/charge/1', headers: auth });
    expect(response.statusCode).toBe(404);
    expect(typeof response.json().error).toBe('string');
  });
});

describe('GET /rest/v1/charges', () => {
  const list = (query = '') => charging.inject({ method: 'GET', url: `/rest/v1/charges${query}`, headers: auth });

  it('lists every attempt in the contract shape, in order', async () => {
    await charge(charging, body, 'first-key');
    await charge(declining, { customer_id: 9, value: 0.5, currency: 'GBP' });
    const response = await list();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const charges = response.json() as Record<string, unknown>[];
    expect(charges).toEqual([
      {
        id: 1,
        invoiceId: 42,
        customerId: 7,
        amount: { value: 184.04, currency: 'USD' },
        result: true,
        idempotencyKey: 'first-key',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      {
        id: 2,
        invoiceId: null,
        customerId: 9,
        amount: { value: 0.5, currency: 'GBP' },
        result: false,
        idempotencyKey: null,
        createdAt: expect.any(String),
      },
    ]);
    expect(Date.now() - Date.parse(charges[0]!.createdAt as string)).toBeLessThan(60_000);
  });

  it('answers an empty ledger with []', async () => {
    const response = await list();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
  });

  it('filters by invoice_id', async () => {
    await charge(charging, { ...body, invoice_id: 1 });
    await charge(declining, { ...body, invoice_id: 2 });
    await charge(charging, { ...body, invoice_id: 1 });
    const charges = (await list('?invoice_id=1')).json() as { id: number; invoiceId: number }[];
    expect(charges.map(({ id, invoiceId }) => ({ id, invoiceId }))).toEqual([
      { id: 1, invoiceId: 1 },
      { id: 3, invoiceId: 1 },
    ]);
    expect((await list('?invoice_id=3')).json()).toEqual([]);
  });

  it.each([
    ['?invoice_id=abc', 'querystring/invoice_id must be integer'],
    ['?invoice_id=1.5', 'querystring/invoice_id must be integer'],
    ['?invoice_id=1e3', 'querystring/invoice_id must be integer'],
    ['?invoice_id=0', 'querystring/invoice_id must be >= 1'],
    ['?invoice_id=-1', 'querystring/invoice_id must be >= 1'],
    ['?invoice_id=99999999999999999999', 'querystring/invoice_id must be integer'],
    ['?invoice_id=', 'querystring/invoice_id must be integer'],
    ['?invoiceId=1', "Unknown query parameter 'invoiceId': it takes invoice_id"],
  ])('refuses the query %s with 400', async (query, error) => {
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toContain(error);
  });

  it('streams a ledger of many pages completely and in order', async () => {
    const total = 2_345;
    await charging.db.query(
      `INSERT INTO charges (request_hash, invoice_id, customer_id, amount, currency, result)
       SELECT 'h', n % 3, n, n / 100.0, 'EUR', n % 2 = 0 FROM generate_series(1, $1) AS n`,
      [total],
    );
    const all = (await list()).json() as { id: number; customerId: number; amount: { value: number } }[];
    expect(all).toHaveLength(total);
    expect(all.map((entry) => entry.id)).toEqual(Array.from({ length: total }, (_unused, index) => index + 1));
    expect(all[1233]).toMatchObject({ customerId: 1234, amount: { value: 12.34 } });
    const filtered = (await list('?invoice_id=2')).json() as { customerId: number }[];
    expect(filtered).toHaveLength(Math.floor((total + 1) / 3));
    expect(filtered.every((entry) => entry.customerId % 3 === 2)).toBe(true);
  });
});

describe('metrics', () => {
  it('counts charges by result, replays and nothing for refused requests', async () => {
    const counter = async (app: ServiceApp, pattern: RegExp) => {
      const match = (await app.inject('/metrics')).body.match(pattern);
      return Number(match?.[1] ?? Number.NaN);
    };
    const charged = /payment_charges_total\{result="charged"[^}]*\} (\d+)/;
    const declined = /payment_charges_total\{result="declined"[^}]*\} (\d+)/;
    const replays = /payment_charge_replays_total\{[^}]*\} (\d+)/;
    const read = async () => ({
      charged: await counter(charging, charged),
      declined: await counter(charging, declined),
      replays: await counter(charging, replays),
      declinedElsewhere: await counter(declining, declined),
    });
    const before = await read();

    await charge(charging, body, 'metrics-1');
    await charge(charging, body, 'metrics-1');
    await charge(charging, body);
    await charge(charging, { ...body, currency: 'JPY' });
    await charge(charging, { ...body, value: 1 }, 'metrics-1');

    await charge(declining, body);

    expect(await read()).toEqual({
      charged: before.charged + 2,
      declined: before.declined,
      replays: before.replays + 1,
      declinedElsewhere: before.declinedElsewhere + 1,
    });
  });
});
