import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ManagedProcess, freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import { BILLING_TOKEN, PROVIDER_TOKEN } from './helpers.js';

// The entry point as a real process: config errors, seeding at start-up, shutdown.

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const started: ManagedProcess[] = [];
afterAll(() => Promise.all(started.map((process) => process.stop('SIGKILL'))));

async function startInvoiceApp(env: Record<string, string>) {
  const port = await freePort();
  const service = ManagedProcess.start(entry, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PAYMENT_PROVIDER_ENDPOINT: 'http://127.0.0.1:9',
    PAYMENT_PROVIDER_TOKEN: PROVIDER_TOKEN,
    BILLING_API_TOKEN: BILLING_TOKEN,
    ...env,
  });
  started.push(service);
  const base = `http://127.0.0.1:${port}`;
  await service.waitForHttp(`${base}/rest/ready`);
  return { service, base };
}

async function waitForRows(db: pg.Pool, table: string, expected: number): Promise<number> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    if (rows[0]!.n >= expected) return rows[0]!.n;
    await sleep(100);
  }
  return -1;
}

describe('the invoice-app process', () => {
  it('exits 1 with one line naming the variable when the config is bad', async () => {
    const service = ManagedProcess.start(entry, { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x', PORT: '0' });
    started.push(service);
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(service.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: PAYMENT_PROVIDER_ENDPOINT is required but not set; ' +
        'PAYMENT_PROVIDER_TOKEN is required but not set; BILLING_API_TOKEN is required but not set; ' +
        'PORT must be >= 1 (got "0")',
    ]);
  });

  it('seeds an empty database once, whether two replicas start together or one restarts', async () => {
    const databaseUrl = await createTestDatabase('main_seed');
    const db = new pg.Pool({ connectionString: databaseUrl });
    try {
      const env = { DATABASE_URL: databaseUrl, SEED_CUSTOMERS: '30', SEED_INVOICES_PER_CUSTOMER: '4' };
      const [first] = await Promise.all([startInvoiceApp(env), startInvoiceApp(env)]);
      expect(await waitForRows(db, 'invoices', 120)).toBe(120);

      expect(await first.service.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      const restarted = await startInvoiceApp(env);
      await sleep(500);
      expect(await waitForRows(db, 'customers', 30)).toBe(30);
      expect(await waitForRows(db, 'invoices', 120)).toBe(120);
      const invoices = (await (await fetch(`${restarted.base}/rest/v1/invoices`)).json()) as unknown[];
      expect(invoices).toHaveLength(120);
      expect(restarted.service.stdout).toContain('database already has data; not seeding');
    } finally {
      await db.end();
    }
  });
});
