import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { createTestDatabase } from '@billing/devkit/vitest';
import type { RunRecord } from '../src/billing/billing-runs.js';
import { main } from '../src/cli/billing.js';
import { BILLING_TOKEN, auth, migrate, startApp, testConfig } from './helpers.js';
import {
  RealProvider,
  exactlyOnceProblems,
  startInvoiceAppProcess,
  statusCounts,
  stoppedAfterAll,
} from './real-provider.js';

// The acceptance case with real processes: a run started with respond-async on an
// invoice-app that is then kill -9'd reads as interrupted once its claims expire (followed by
// the CLI on another replica), and a new run, a run of its own, completes the work, each
// invoice charged once.

const { processes, apps, pools } = stoppedAfterAll();

async function billing(args: string[], base: string) {
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const code = await main(args, {
    env: { BILLING_API_URL: base, BILLING_API_TOKEN: BILLING_TOKEN },
    stdout,
    stderr: new PassThrough().resume(),
  });
  return { code, stdout: printed };
}

describe('a billing run whose process is killed', () => {
  it('reads as interrupted once its claims expire, and the next run completes the work', async () => {
    const real = await RealProvider.start({ PAYMENT_SUCCESS_RATE: '1', FAULT_LATENCY_MS: '100' });
    processes.push(real.service);
    const databaseUrl = await createTestDatabase('e2e_runs');
    await migrate(databaseUrl);
    const db = new pg.Pool({ connectionString: databaseUrl });
    pools.push(db);
    const doomed = await startInvoiceAppProcess({
      // A lease of 0.6 s + 3 s: the dead run is found out within seconds.
      PAYMENT_PROVIDER_TIMEOUT_MS: '600',
      BILLING_MAX_RETRIES: '0',
      DATABASE_URL: databaseUrl,
      PAYMENT_PROVIDER_ENDPOINT: real.url,
      BILLING_CONCURRENCY: '8',
      SEED_CUSTOMERS: '50',
      SEED_INVOICES_PER_CUSTOMER: '4',
    });
    processes.push(doomed.service);
    // The survivor waits for answers as long as production does.
    const other = await startApp(testConfig(databaseUrl, real.url, { BILLING_CONCURRENCY: '32' }));
    apps.push(other.app);

    const started = await fetch(`${doomed.base}/rest/v1/invoices/pay`, {
      method: 'POST',
      headers: { ...auth, prefer: 'respond-async' },
    });
    expect(started.status).toBe(202);
    const run = (await started.json()) as RunRecord;
    expect(run.total).toBe(200);
    // Followed from the other replica while it runs; killed once it has paid some.
    const following = billing(['run', run.runId, '--follow'], other.base);
    await expect
      .poll(async () => (await statusCounts(db)).PAID ?? 0, { timeout: 30_000, interval: 50 })
      .toBeGreaterThan(20);
    doomed.service.child.kill('SIGKILL');
    await doomed.service.exited;
    expect((await statusCounts(db)).PAID).toBeLessThan(200);

    const followed = await following;
    expect(followed.code).toBe(1);
    expect(followed.stdout).toMatch(new RegExp(`^run ${run.runId} interrupted in `, 'm'));
    // Interrupted only once no claim of the dead run is live any more.
    const { rows } = await db.query<{ live: number }>(
      `SELECT count(*)::int AS live FROM invoices WHERE claimed_by = $1 AND claimed_until > now()`,
      [run.runId],
    );
    expect(rows[0]!.live).toBe(0);

    const next = await billing(['pay', '--follow', '--json'], other.base);
    expect(next.code).toBe(0);
    const completed = JSON.parse(next.stdout) as RunRecord;
    expect(completed).toMatchObject({ status: 'completed', trigger: 'cli', errored: 0 });
    expect(completed.runId).not.toBe(run.runId);
    expect(await statusCounts(db)).toEqual({ PAID: 200 });
    expect(await exactlyOnceProblems(db, await real.ledger(), [1, 200])).toEqual([]);

    const response = await fetch(`${other.base}/rest/v1/billing-runs`, { headers: auth });
    const runs = (await response.json()) as RunRecord[];
    expect(runs.map((listed) => [listed.runId, listed.status])).toEqual([
      [completed.runId, 'completed'],
      [run.runId, 'interrupted'],
    ]);
  });
});
