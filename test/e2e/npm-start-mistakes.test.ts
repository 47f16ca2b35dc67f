import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Platform } from '@billing/devkit';
import { startTestPlatform } from './support.js';

// The mistakes a newcomer makes with `npm start`, each answered at once with one clear line and
// without harm to what runs already; and a service that dies under a running platform.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'billing-npm-start-mistakes-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm start` with these arguments and variables, to its end. */
async function npmStart(env: Record<string, string>, args: string[] = [], timeout = 120_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['start', ...(args.length > 0 ? ['--', ...args] : [])],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('npm start, told something it cannot do', () => {
  it('explains itself with --help and starts nothing', async () => {
    const dataDir = join(scratch, 'help');
    const result = await npmStart({ PLATFORM_DATA_DIR: dataDir }, ['--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/--fresh/);
    expect(result.stdout).toMatch(/INVOICE_APP_PORT \(8000\)/);
    expect(result.stdout).toMatch(/BILLING_CONCURRENCY/);
    expect(result.stdout).not.toMatch(/Starting Postgres/);
    expect(await exists(dataDir)).toBe(false);
  });

  it('refuses an option it does not know', async () => {
    const result = await npmStart({ PLATFORM_DATA_DIR: join(scratch, 'typo') }, ['--frsh']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown option '--frsh'. npm start -- --help lists the options./);
  });

  it('refuses two services on one port before starting anything', async () => {
    const port = await freePort();
    const dataDir = join(scratch, 'same-port');
    const result = await npmStart({
      PLATFORM_DATA_DIR: dataDir,
      INVOICE_APP_PORT: String(port),
      PAYMENT_PROVIDER_PORT: String(port),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `The platform did not start: invoice-app[0] and payment-provider would both listen on port ${port}. Choose others with INVOICE_APP_PORT and PAYMENT_PROVIDER_PORT.`,
    );
    expect(result.stdout).not.toMatch(/platform is up/);
    expect(await exists(dataDir)).toBe(false);
  });

  it('refuses a port another process holds', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const result = await npmStart({
        PLATFORM_DATA_DIR: join(scratch, 'taken'),
        INVOICE_APP_PORT: String(port),
        PAYMENT_PROVIDER_PORT: String(await freePort()),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port}, for invoice-app[0], is in use by another process.`);
    } finally {
      holder.close();
    }
  });

  it('passes invoice-app its BILLING_* settings, and shows the start-up output when the start fails', async () => {
    // Its own temporary folder: as root, Postgres runs as another user, who must reach it (devkit opens its parent).
    const dataDir = await mkdtemp(join(tmpdir(), 'billing-npm-start-settings-'));
    const result = await npmStart({
      PLATFORM_DATA_DIR: dataDir,
      INVOICE_APP_PORT: String(await freePort()),
      PAYMENT_PROVIDER_PORT: String(await freePort()),
      SEED_CUSTOMERS: '1',
      BILLING_CONCURRENCY: '0',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BILLING_CONCURRENCY must be >= 1 \(got "0"\)/);
    // What was held back while all seemed well is shown now: Postgres's own start-up lines too.
    expect(result.stderr).toMatch(/^\[postgres\] /m);
    await rm(dataDir, { recursive: true, force: true });
  }, 180_000);
});

describe('a platform that runs already', () => {
  let platform: Platform;
  const reports: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({
      seedCustomers: 2,
      restart: { backoffMs: 200, crashLoopExits: 3 },
      onReport: (line) => reports.push(line),
    });
  }, 180_000);

  it('is named by a second npm start on its data folder, which touches nothing', async () => {
    const dataDir = dirname(platform.postgres.dataDir);
    const providerPort = new URL(platform.paymentProviderUrl).port;
    const second = await npmStart({
      PLATFORM_DATA_DIR: dataDir,
      INVOICE_APP_PORT: new URL(platform.invoiceAppUrls[0]!).port,
      PAYMENT_PROVIDER_PORT: providerPort,
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Another platform is running on ${dataDir} (PID ${process.pid}, since `);
    expect(second.stderr).toContain(`${platform.invoiceAppUrls[0]}, ${platform.paymentProviderUrl}`);
    expect(second.stderr).toMatch(/kill \d+/);

    for (const url of [platform.invoiceAppUrls[0]!, platform.paymentProviderUrl]) {
      expect((await fetch(`${url}/rest/ready`)).status, url).toBe(200);
    }
    expect((await fetch(`${platform.invoiceAppUrls[0]}/rest/v1/invoices/1`)).status).toBe(200);
  }, 180_000);

  it('restarts a service that dies, says why, and stops with the reason when it keeps dying', async () => {
    const url = platform.invoiceAppUrls[0]!;
    const first = platform.invoiceApps[0]!;
    await first.stop('SIGKILL');
    await expect.poll(() => reports.join('\n'), { timeout: 10_000 }).toContain('invoice-app-0 was killed by SIGKILL.');
    expect(reports.join('\n')).toContain('Restarting it in 0.2 s, as its Deployment would.');
    await expect.poll(() => reports.join('\n'), { timeout: 120_000 }).toContain('invoice-app-0 is ready again.');
    expect(platform.invoiceApps[0]).not.toBe(first);
    expect((await fetch(`${url}/rest/v1/invoices/1`)).status).toBe(200);

    // Killed again, with its port taken meanwhile: every restart dies at once, a crash loop.
    await platform.invoiceApps[0]!.stop('SIGKILL');
    const squatter = createServer().listen(Number(new URL(url).port), '127.0.0.1');
    try {
      const reason = await platform.failed;
      expect(reason).toMatch(/^invoice-app-0 exited with code 1: .*EADDRINUSE.*\(exit 3 in a row/);
      await expect(fetch(`${platform.paymentProviderUrl}/rest/health`)).rejects.toThrow();
    } finally {
      squatter.close();
    }
  }, 240_000);
});
