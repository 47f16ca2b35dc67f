import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type pg from 'pg';
import { ManagedProcess, freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import { BILLING_TOKEN, PROVIDER_TOKEN } from './helpers.js';

const providerEntry = fileURLToPath(new URL('../../payment-provider/src/main.ts', import.meta.url));
const invoiceAppEntry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** One row of the provider's ledger, as GET /rest/v1/charges lists it. */
export interface LedgerCharge {
  readonly id: number;
  readonly invoiceId: number | null;
  readonly customerId: number;
  readonly amount: { readonly value: number; readonly currency: string };
  readonly result: boolean;
  readonly idempotencyKey: string | null;
}

/** The real payment-provider as a separate process, on a database of its own. */
export class RealProvider {
  /** Starts it and waits until it is ready. `databaseUrl` and `port` reuse an earlier one's. */
  static async start(
    env: Record<string, string>,
    reuse?: { databaseUrl: string; port: number },
  ): Promise<RealProvider> {
    const port = reuse?.port ?? (await freePort());
    const databaseUrl = reuse?.databaseUrl ?? (await createTestDatabase('provider'));
    const service = ManagedProcess.start(providerEntry, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN,
      LOG_LEVEL: 'warn',
      ...env,
    });
    const provider = new RealProvider(service, port, databaseUrl);
    await service.waitForHttp(`${provider.url}/rest/ready`);
    return provider;
  }

  private constructor(
    readonly service: ManagedProcess,
    readonly port: number,
    readonly databaseUrl: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The whole ledger: every charge the provider recorded. */
  async ledger(): Promise<LedgerCharge[]> {
    const response = await fetch(`${this.url}/rest/v1/charges`, {
      headers: { authorization: `Bearer ${PROVIDER_TOKEN}` },
    });
    if (response.status !== 200) throw new Error(`ledger answered ${response.status}`);
    return (await response.json()) as LedgerCharge[];
  }
}

/** invoice-app's real entry point as a separate process, ready to be asked (or killed). */
export async function startInvoiceAppProcess(env: Record<string, string>): Promise<{
  service: ManagedProcess;
  base: string;
}> {
  const port = await freePort();
  const service = ManagedProcess.start(invoiceAppEntry, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN,
    BILLING_API_TOKEN: BILLING_TOKEN,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  await service.waitForHttp(`${base}/rest/ready`);
  return { service, base };
}

/**
 * The exactly-once check against the provider's ledger: every PAID invoice has exactly one
 * successful charge, for its amount and currency; no other invoice has any. Only invoices
 * with ids in `ids` are looked at (several test databases may share one provider).
 * Returns the problems found, so that a failing test lists them all.
 */
export async function exactlyOnceProblems(db: pg.Pool, ledger: LedgerCharge[], ids: [number, number]) {
  const { rows } = await db.query<{ id: number; status: string; amount: string; currency: string }>(
    'SELECT id, status, amount::text AS amount, currency FROM invoices WHERE id BETWEEN $1 AND $2 ORDER BY id',
    ids,
  );
  const successes = new Map<number, LedgerCharge[]>();
  for (const charge of ledger) {
    if (!charge.result || charge.invoiceId === null) continue;
    if (charge.invoiceId < ids[0] || charge.invoiceId > ids[1]) continue;
    successes.set(charge.invoiceId, [...(successes.get(charge.invoiceId) ?? []), charge]);
  }
  const problems: string[] = [];
  for (const invoice of rows) {
    const charges = successes.get(invoice.id) ?? [];
    if (invoice.status === 'PAID' && charges.length !== 1) {
      problems.push(`invoice ${invoice.id} is PAID with ${charges.length} successful charges`);
    }
    if (invoice.status !== 'PAID' && charges.length > 0) {
      problems.push(`invoice ${invoice.id} is ${invoice.status} but was charged ${charges.length} times`);
    }
    for (const charge of charges) {
      if (charge.amount.value !== Number(invoice.amount) || charge.amount.currency !== invoice.currency) {
        problems.push(`invoice ${invoice.id} was charged ${JSON.stringify(charge.amount)}`);
      }
    }
  }
  return problems;
}

/** How many invoices of each status there are. */
export async function statusCounts(db: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM invoices GROUP BY status',
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/**
 * What a test file starts and must stop: in-process apps are closed, pools ended and service
 * processes killed after its last test, whatever the tests left running.
 */
export function stoppedAfterAll(): { processes: ManagedProcess[]; apps: ServiceApp[]; pools: pg.Pool[] } {
  const started = { processes: [] as ManagedProcess[], apps: [] as ServiceApp[], pools: [] as pg.Pool[] };
  afterAll(async () => {
    await Promise.all(started.apps.map((app) => app.close()));
    await Promise.all(started.pools.map((pool) => pool.end()));
    await Promise.all(started.processes.map((service) => service.stop('SIGKILL')));
  });
  return started;
}
