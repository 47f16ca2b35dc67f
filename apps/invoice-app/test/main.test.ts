import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@billing/devkit';

// The entry point as a real process with a bad environment. (Seeding at start-up, restarts
// and replicas are in e2e-billing.test.ts.)

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const started: ManagedProcess[] = [];
afterAll(() => Promise.all(started.map((service) => service.stop('SIGKILL'))));

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
    expect(service.stdout).toBe('');
  });
});
