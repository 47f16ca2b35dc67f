import { afterAll } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { ServiceApp } from '@billing/service-kit';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

/** The token every test provider expects. */
export const TOKEN = 'provider-test-token-0123456789';

/** Headers of an authorised caller. */
export const auth = { authorization: `Bearer ${TOKEN}` };

/** A valid charge body. */
export const body = { customer_id: 7, value: 184.04, currency: 'USD', invoice_id: 42 };

/**
 * A provider built from `env` (as main.ts would read it) on a fresh test database, or on
 * `databaseUrl` to share one; migrated, and closed after the test file.
 */
export async function startProvider(env: Record<string, string> = {}, databaseUrl?: string): Promise<ServiceApp> {
  const app = await buildApp(
    loadConfig({
      DATABASE_URL: databaseUrl ?? (await createTestDatabase('payments')),
      PAYMENT_PROVIDER_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  afterAll(() => app.close());
  await app.migrate();
  return app;
}

/** POST /rest/v1/charge through `app.inject`. */
export function charge(app: ServiceApp, payload: object, idempotencyKey?: string) {
  const headers = idempotencyKey === undefined ? auth : { ...auth, 'idempotency-key': idempotencyKey };
  return app.inject({ method: 'POST', url: '/rest/v1/charge', headers, payload });
}

/** A ledger row as Postgres holds it. */
export interface StoredCharge {
  id: string;
  idempotency_key: string | null;
  invoice_id: string | null;
  customer_id: string;
  amount: string;
  currency: string;
  result: boolean;
}

/** The ledger, read straight from the database (not through the API under test). */
export async function storedCharges(app: ServiceApp, where = 'true', params: unknown[] = []): Promise<StoredCharge[]> {
  const { rows } = await app.db.query<StoredCharge>(
    `SELECT id, idempotency_key, invoice_id, customer_id, amount, currency, result FROM charges WHERE ${where} ORDER BY id`,
    params,
  );
  return rows;
}

/** Runs `task` for 0..count-1, at most `concurrency` at a time, and keeps the results in order. */
export async function inBatches<T>(count: number, concurrency: number, task: (index: number) => Promise<T>) {
  const results: T[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const size = Math.min(concurrency, count - start);
    results.push(...(await Promise.all(Array.from({ length: size }, (_unused, offset) => task(start + offset)))));
  }
  return results;
}

/**
 * The largest distance from n·p a binomial count may fall at five standard deviations: a
 * correct implementation fails such a check about once in 1.7 million runs.
 */
export function fiveSigma(n: number, p: number): number {
  return 5 * Math.sqrt(n * p * (1 - p));
}
