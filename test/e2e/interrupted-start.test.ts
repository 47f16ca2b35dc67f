import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManagedProcess, freePort, startPlatform } from '@billing/devkit';

// Ctrl-C during `npm start`'s start-up: the services run in process groups of their own, so
// nothing but startPlatform itself can stop the ones already started.
describe('a start-up that is stopped half-way', () => {
  it('stops the services already started and Postgres, then rejects', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'billing-interrupted-'));
    try {
      const stopRequested = new AbortController();
      const starting = startPlatform({
        dataDir,
        paymentProviderPort: await freePort(),
        invoiceAppPort: await freePort(),
        seedCustomers: 1,
        // The provider is running (it has printed something) but not ready yet.
        onOutput: (source) => {
          if (source === 'payment-provider') stopRequested.abort();
        },
        signal: stopRequested.signal,
      });

      await expect(starting).rejects.toThrow(/abort/i);
      expect(stopRequested.signal.aborted).toBe(true);
      expect(ManagedProcess.running.size).toBe(0);
      // Postgres removes its lock file when it has stopped.
      await expect(readFile(join(dataDir, 'postgres', 'postmaster.pid'))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
