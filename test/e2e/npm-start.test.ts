import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '@billing/devkit';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// `npm start` as a person runs it: in a terminal whose Ctrl-C signals the whole foreground
// process group. Here the group is npm's own (detached), and SIGINT goes to all of it.
describe('npm start, stopped with Ctrl-C', () => {
  it('stops the services before Postgres, exits 130 and leaves nothing behind', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'billing-npm-start-'));
    const [invoicePort, providerPort] = [await freePort(), await freePort()];
    const npm = spawn('npm', ['start'], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PLATFORM_DATA_DIR: dataDir,
        INVOICE_APP_PORT: String(invoicePort),
        PAYMENT_PROVIDER_PORT: String(providerPort),
        SEED_CUSTOMERS: '3',
      },
    });
    let stdout = '';
    let stderr = '';
    npm.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close' waits for every process holding npm's output, the platform behind it included.
    const closed = once(npm, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await expect.poll(() => stdout, { timeout: 90_000, interval: 200 }).toContain('Ctrl-C stops everything.');
      expect(stdout).toContain(`invoice-app[0]   http://127.0.0.1:${invoicePort}`);
      // A start that went well shows no initdb, migration or start-up lines before its banner.
      expect(stderr).not.toMatch(/\[postgres\]|pgmigrations|initdb|migrations applied/);
      expect((await fetch(`http://127.0.0.1:${invoicePort}/rest/v1/customers/1`)).status).toBe(200);

      process.kill(-npm.pid!, 'SIGINT');
      const [code, signal] = await closed;

      // npm itself may end by the signal, as after any Ctrl-C; if it reports its script's exit, that is 128 + SIGINT.
      expect({ code, signal }, stderr).toSatisfy(() => code === 130 || signal === 'SIGINT');
      expect(stderr).not.toMatch(/killed by timeout|"level":50/);
      expect(stdout).toContain('Stopped.');
      const servicesDone = Math.max(stderr.lastIndexOf('[invoice-app-0]'), stderr.lastIndexOf('[payment-provider]'));
      const postgresStops = stderr.indexOf('received fast shutdown request');
      expect(postgresStops, 'Postgres stopped before the services had finished').toBeGreaterThan(servicesDone);
      await expect(readFile(join(dataDir, 'postgres', 'postmaster.pid'))).rejects.toThrow(/ENOENT/);
      await expect(fetch(`http://127.0.0.1:${invoicePort}/rest/health`)).rejects.toThrow();
      await expect(fetch(`http://127.0.0.1:${providerPort}/rest/health`)).rejects.toThrow();
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) process.kill(-npm.pid!, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
