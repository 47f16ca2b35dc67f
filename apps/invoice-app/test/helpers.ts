import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import { applyMigrations, type ServiceApp } from '@billing/service-kit';
import { buildApp, migrationsDir } from '../src/app.js';
import { loadInvoiceConfig } from '../src/config.js';

export const BILLING_TOKEN = 'billing-token-0123456789';
export const PROVIDER_TOKEN = 'provider-token-0123456789';
export const auth = { authorization: `Bearer ${BILLING_TOKEN}` };

/** invoice-app's config for a test: quiet, quick to give up, against the given provider. */
export function testConfig(databaseUrl: string, providerUrl: string, env: Record<string, string> = {}) {
  return loadInvoiceConfig({
    DATABASE_URL: databaseUrl,
    PAYMENT_PROVIDER_ENDPOINT: providerUrl,
    PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN,
    BILLING_API_TOKEN: BILLING_TOKEN,
    LOG_LEVEL: 'silent',
    // Generous: a loaded CI machine must not turn a slow answer into a timeout the test did not ask for.
    PAYMENT_PROVIDER_TIMEOUT_MS: '5000',
    BILLING_RETRY_BASE_MS: '10',
    BILLING_RETRY_MAX_MS: '50',
    ...env,
  });
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Applies invoice-app's migrations to a test database. */
export async function migrate(databaseUrl: string): Promise<void> {
  await applyMigrations({ databaseUrl, dir: migrationsDir, log: silent });
}

/** An invoice-app on a real listener on 127.0.0.1, migrated. */
export async function startApp(config: ReturnType<typeof testConfig>): Promise<{ app: ServiceApp; base: string }> {
  const app = await buildApp(config);
  await app.migrate();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, base: `http://127.0.0.1:${port}` };
}

/** POST /rest/v1/invoices/pay through the app's real listener. */
export async function pay(base: string): Promise<Record<string, number | boolean | string>> {
  const response = await fetch(`${base}/rest/v1/invoices/pay`, { method: 'POST', headers: auth });
  const body = (await response.json()) as Record<string, number | boolean | string>;
  if (response.status !== 200) throw new Error(`pay answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** One charge request as the scripted provider received it. */
export interface ReceivedCharge {
  readonly key: string | undefined;
  readonly authorization: string | undefined;
  readonly body: { customer_id: number; value: number; currency: string; invoice_id: number };
}

/** How the scripted provider answers one charge request. */
export type Script = (charge: ReceivedCharge, reply: FastifyReply, request: FastifyRequest) => unknown;

/**
 * A small real HTTP server on 127.0.0.1 that plays the payment provider as a test scripts it
 * (decline, 503, hang, 422...), recording every charge request it receives.
 */
export class ScriptedProvider {
  static async start(script: Script): Promise<ScriptedProvider> {
    const server = Fastify();
    const provider = new ScriptedProvider(server, script);
    server.post('/rest/v1/charge', async (request, reply) => {
      const charge: ReceivedCharge = {
        key: request.headers['idempotency-key'] as string | undefined,
        authorization: request.headers.authorization,
        body: request.body as ReceivedCharge['body'],
      };
      provider.received.push(charge);
      return provider.script(charge, reply, request);
    });
    server.server.on('connection', () => (provider.connections += 1));
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    provider.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return provider;
  }

  /** Every charge request so far, in arrival order. */
  readonly received: ReceivedCharge[] = [];
  /** TCP connections accepted so far. */
  connections = 0;
  url = '';

  private constructor(
    private readonly server: FastifyInstance,
    public script: Script,
  ) {}

  /** The requests for one invoice. */
  chargesFor(invoiceId: number): ReceivedCharge[] {
    return this.received.filter((charge) => charge.body.invoice_id === invoiceId);
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

/** Inserts customers and returns their ids. */
export async function insertCustomers(db: pg.Pool, currencies: string[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO customers (currency) SELECT unnest($1::text[]) RETURNING id',
    [currencies],
  );
  return rows.map((row) => row.id);
}

/** Inserts PENDING invoices and returns their ids. */
export async function insertInvoices(
  db: pg.Pool,
  invoices: { customerId: number; amount: string; currency: string }[],
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO invoices (customer_id, amount, currency)
     SELECT * FROM unnest($1::int[], $2::numeric[], $3::text[]) RETURNING id`,
    [invoices.map((i) => i.customerId), invoices.map((i) => i.amount), invoices.map((i) => i.currency)],
  );
  return rows.map((row) => row.id);
}

/** Status, attempts, last error and key of every invoice, by id. */
export async function invoiceStates(db: pg.Pool) {
  const { rows } = await db.query<{
    id: number;
    status: string;
    attempts: number;
    last_error: string | null;
    charge_key: string | null;
    claimed_by: string | null;
  }>('SELECT id, status, attempts, last_error, charge_key, claimed_by FROM invoices ORDER BY id');
  return new Map(rows.map((row) => [row.id, row]));
}

/** A test file's billing set-up: a database of its own, a pool on it, a scripted provider, the apps it started. */
export interface BillingTestBed {
  databaseUrl: string;
  db: pg.Pool;
  provider: ScriptedProvider;
  /** Apps started by a test, closed after it. */
  readonly apps: ServiceApp[];
}

/**
 * Sets up a BillingTestBed for the calling test file: a migrated database and a provider that
 * answers as `script()` says, reset before each test (no requests recorded, the script back to
 * its default); after each test its apps are closed and the tables emptied.
 */
export function billingTestBed(label: string, script: () => Script = () => () => ({ result: true })): BillingTestBed {
  const bed = { apps: [] as ServiceApp[] } as BillingTestBed;
  beforeAll(async () => {
    bed.databaseUrl = await createTestDatabase(label);
    await migrate(bed.databaseUrl);
    bed.db = new pg.Pool({ connectionString: bed.databaseUrl });
    bed.provider = await ScriptedProvider.start(script());
  });
  afterAll(async () => {
    await bed.db.end();
    await bed.provider.close();
  });
  beforeEach(() => {
    bed.provider.received.length = 0;
    bed.provider.script = script();
  });
  afterEach(async () => {
    await Promise.all(bed.apps.splice(0).map((app) => app.close()));
    await bed.db.query('TRUNCATE invoices, customers, billing_runs RESTART IDENTITY');
  });
  return bed;
}
