import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, ManagedProcess } from '@billing/devkit';
import { parseAllDocuments } from 'yaml';
import { BillingRuns, type RunRecord } from '../src/billing/billing-runs.js';
import { main } from '../src/cli/billing.js';
import {
  BILLING_TOKEN,
  auth,
  insertCustomers,
  insertInvoices,
  startApp,
  testConfig,
  billingTestBed,
} from './helpers.js';

// The billing CLI as a real process against a real invoice-app on a real listener.

const cliEntry = fileURLToPath(new URL('../src/cli/billing.ts', import.meta.url));
type CronJob = {
  kind: string;
  metadata: { name: string };
  spec: {
    jobTemplate: {
      spec: { template: { spec: { containers: { command: string[]; env: { name: string; value?: string }[] }[] } } };
    };
  };
};
const DIST_INVOICES = new URL('../../../dist/0003-invoices.k8s.yaml', import.meta.url);

const bed = billingTestBed('cli', () => async () => {
  await sleep(20);
  return { result: true };
});

async function app(env: Record<string, string> = {}, port = 0) {
  const config = testConfig(bed.databaseUrl, bed.provider.url, { BILLING_CONCURRENCY: '4', ...env });
  const started = port === 0 ? await startApp(config) : await startAppOn(config, port);
  bed.apps.push(started.app);
  return started;
}

async function startAppOn(config: ReturnType<typeof testConfig>, port: number) {
  const { buildApp } = await import('../src/app.js');
  const started = await buildApp(config);
  await started.migrate();
  await started.listen({ port, host: '127.0.0.1' });
  return { app: started, base: `http://127.0.0.1:${port}` };
}

async function someInvoices(count: number, currency = 'USD'): Promise<void> {
  const [customerId] = await insertCustomers(bed.db, ['USD']);
  await insertInvoices(
    bed.db,
    Array.from({ length: count }, (_, n) => ({ customerId: customerId!, amount: `${10 + n}.00`, currency })),
  );
}

/** Runs the CLI from its sources as its own process; resolves with its exit and output. */
async function billing(args: string[], env: Record<string, string>) {
  const cli = ManagedProcess.start(cliEntry, env, { args });
  const exit = await cli.exited;
  return { code: exit.code, stdout: cli.stdout, stderr: cli.stderr };
}

/** Runs the CLI's main in this process (a real process costs seconds to start): its exit and output. */
async function billingHere(args: string[], env: Record<string, string>, stderr = new PassThrough()) {
  const stdout = new PassThrough();
  const out = { stdout: '', stderr: '' };
  stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const code = await main(args, { env, stdout, stderr });
  return { code, ...out };
}

const envFor = (base: string, extra: Record<string, string> = {}) => ({
  BILLING_API_URL: base,
  BILLING_API_TOKEN: BILLING_TOKEN,
  ...extra,
});

async function apiRun(base: string, runId: string): Promise<RunRecord> {
  const response = await fetch(`${base}/rest/v1/billing-runs/${runId}`, { headers: auth });
  return (await response.json()) as RunRecord;
}

describe('billing CLI', () => {
  it('pay --follow bills to the end with progress lines and ends with the summary the API has', async () => {
    await someInvoices(120);
    // Three seconds or more of billing: long enough for plain progress lines (one per two seconds).
    bed.provider.script = async () => {
      await sleep(100);
      return { result: true };
    };
    const { base } = await app();
    const { code, stdout, stderr } = await billing(['pay', '--follow'], envFor(base));
    expect(stderr).toMatch(/^run r-[a-z0-9]+-[0-9a-f]+ \(cli\) started .*; 120 invoices billable$/m);
    expect(stderr).toMatch(/^progress \d+\/120 \(\d+%\): \d+ paid/m);
    expect(code).toBe(0);
    const runId = /^run (\S+) completed in/m.exec(stdout)![1]!;
    const run = await apiRun(base, runId);
    expect(run).toMatchObject({ status: 'completed', trigger: 'cli', total: 120, paid: 120 });
    expect(stdout.trim()).toBe(
      `run ${runId} completed in ${((Date.parse(run.finishedAt!) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s; ` +
        '120 attempted: 120 paid, 0 declined, 0 failed, 0 errored; 120 billable at start',
    );
  });

  it('runs as the billing CronJobs of dist/ run it, and records their runs as scheduled', async () => {
    const cronJob = parseAllDocuments(readFileSync(DIST_INVOICES, 'utf8'))
      .map((document) => document.toJS() as CronJob)
      .find((object) => object.kind === 'CronJob' && object.metadata.name === 'billing-monthly')!;
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0]!;
    const [node, script, ...args] = container.command;
    expect([node, script]).toEqual(['node', 'apps/invoice-app/build/cli/billing.js']);
    await someInvoices(3);
    const { base } = await app();
    // The cluster's Service URL and Secret become this test's listener and token; every literal stays.
    const env = Object.fromEntries(
      container.env.map(({ name, value }) => [
        name,
        name === 'BILLING_API_URL' ? base : name === 'BILLING_API_TOKEN' ? BILLING_TOKEN : value!,
      ]),
    );
    expect(Object.keys(env).sort()).toEqual(['BILLING_API_TOKEN', 'BILLING_API_URL', 'BILLING_TRIGGER']);
    const followed = await billingHere([...args, '--json'], env);
    expect(followed.code).toBe(0);
    const run = JSON.parse(followed.stdout.trim().split('\n').at(-1)!) as RunRecord;
    expect(await apiRun(base, run.runId)).toMatchObject({ status: 'completed', trigger: 'schedule', paid: 3 });
  });

  it('pay without --follow starts the run and prints it; runs and run <id> show what is recorded', async () => {
    await someInvoices(3);
    const { base } = await app();
    const started = await billingHere(['pay', '--json'], envFor(base, { BILLING_TRIGGER: 'schedule' }));
    expect(started.code).toBe(0);
    const run = JSON.parse(started.stdout) as RunRecord;
    expect(run).toMatchObject({ status: 'running', trigger: 'schedule', total: 3 });
    await expect.poll(async () => (await apiRun(base, run.runId)).status, { timeout: 10_000 }).toBe('completed');

    const one = await billingHere(['run', run.runId, '--json'], envFor(base));
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual(await apiRun(base, run.runId));

    const list = await billingHere(['runs'], envFor(base));
    expect(list.code).toBe(0);
    const [header, row] = list.stdout.trim().split('\n');
    expect(header).toMatch(/^RUN\s+STATUS\s+TRIGGER\s+STARTED/);
    expect(row).toMatch(
      new RegExp(`^${run.runId}\\s+completed\\s+schedule\\s+\\S+\\s+[\\d.]+\\s+3\\s+3\\s+0\\s+0\\s+0$`),
    );

    const refused = await billingHere(['runs'], { ...envFor(base), BILLING_API_TOKEN: 'not-the-token-at-all' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^billing: GET \/rest\/v1\/billing-runs\?limit=20 answered 401: .*\(check BILLING_API_TOKEN\)\n$/,
    );

    const unknown = await billingHere(['run', 'r-unknown'], envFor(base));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      "billing: GET /rest/v1/billing-runs/r-unknown answered 404: Billing run 'r-unknown' was not found",
    );
  });

  it('exits 1 when the followed run was interrupted: its process died and its claims expired', async () => {
    await someInvoices(2);
    const { base } = await app();
    const dead = await new BillingRuns(bed.db).create({
      runId: 'r-dead',
      trigger: 'api',
      replica: 'gone/1',
      leaseMs: 800,
    });
    expect(dead.record.status).toBe('running');
    const { code, stdout } = await billingHere(['run', 'r-dead', '--follow'], envFor(base));
    expect(code).toBe(1);
    expect(stdout).toMatch(/^run r-dead interrupted in [\d.]+ s; 0 attempted/m);
  });

  it('retries a first connection that is refused until the API is up, within its bound', async () => {
    await someInvoices(5);
    const port = await freePort();
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const paying = billingHere(['pay', '--follow'], envFor(`http://127.0.0.1:${port}`), stderr);
    await expect.poll(() => said, { timeout: 20_000, interval: 50 }).toContain('cannot reach');
    await app({}, port);
    const { code, stdout } = await paying;
    expect(code).toBe(0);
    expect(stdout).toMatch(/completed in [\d.]+ s; 5 attempted: 5 paid/);

    const gone = await billingHere(
      ['runs'],
      envFor(`http://127.0.0.1:${await freePort()}`, { BILLING_CONNECT_RETRY_MS: '600' }),
    );
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim().split('\n').at(-1)).toMatch(
      /^billing: cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );
  });

  it('says in one line what is wrong with its configuration or command line, and exits 2', async () => {
    const missing = await billing(['pay'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'billing: Invalid configuration: BILLING_API_URL is required but not set; BILLING_API_TOKEN is required but not set\n',
    );
    const bad = await billingHere(['runs'], {
      BILLING_API_URL: 'localhost:8000',
      BILLING_API_TOKEN: BILLING_TOKEN,
      BILLING_TRIGGER: 'cron',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('BILLING_API_URL must be a valid URL');
    expect(bad.stderr).toContain('BILLING_TRIGGER');

    for (const args of [[], ['refund'], ['run'], ['runs', '--limit', '0'], ['pay', '--fast']]) {
      const wrong = await billingHere(args, envFor('http://127.0.0.1:1'));
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/^billing: .+; see billing --help\n$/);
    }
    const help = await billingHere(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('billing pay [--follow]');
    expect(help.stdout).toContain('BILLING_API_URL');
  });

  it('draws a progress bar on a terminal, from empty to full', async () => {
    await someInvoices(80);
    bed.provider.script = async () => {
      await sleep(50);
      return { result: true };
    };
    const { base } = await app();
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 140 });
    const { code, stdout, stderr } = await billingHere(['pay', '--follow'], envFor(base), terminal);
    expect(code).toBe(0);
    expect(stderr).toMatch(/░{40} 0% \| 0\/80 \| paid 0 declined 0/);
    expect(stderr).toMatch(/█{40} 100% \| 80\/80 \| paid 80 declined 0 failed 0 errored 0/);
    expect(stdout).toMatch(/completed in [\d.]+ s; 80 attempted: 80 paid/);
  });
});
