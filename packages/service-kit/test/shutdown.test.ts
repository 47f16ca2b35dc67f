import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ManagedProcess, freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';

const entry = fileURLToPath(new URL('./fixtures/widget-service.ts', import.meta.url));
const started: ManagedProcess[] = [];
afterAll(() => Promise.all(started.map((service) => service.stop('SIGKILL'))));

async function startService(slowMs: number, shutdownTimeoutMs = 25_000) {
  const port = await freePort();
  const service = ManagedProcess.start(entry, {
    PORT: String(port),
    DATABASE_URL: await createTestDatabase('shutdown'),
    WIDGET_TOKEN: 'widget-token-0123456789',
    SLOW_MS: String(slowMs),
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
  });
  started.push(service);
  const base = `http://127.0.0.1:${port}`;
  await service.waitForHttp(`${base}/rest/ready`);
  return { service, base };
}

// The signal must come while the request is in flight, however slowly it reached the service.
async function receivedSlowRequest(service: ManagedProcess) {
  await expect.poll(() => service.stdout.includes('slow request started'), { timeout: 30_000 }).toBe(true);
}

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s finishes in-flight requests, refuses new ones and exits 0',
    async (signal) => {
      const { service, base } = await startService(1500);
      const inFlight = fetch(`${base}/slow`);
      await receivedSlowRequest(service);
      service.child.kill(signal);

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ done: true });

      const exit = await service.exited;
      expect(exit, service.stdout + service.stderr).toEqual({ code: 0, signal: null });
      await expect(fetch(`${base}/rest/health`)).rejects.toThrow();
      expect(service.stderr).toBe('');
      expect(service.stdout).toContain('"msg":"shutting down"');
    },
  );

  it('exits 1 when in-flight work outlasts the shutdown bound', async () => {
    const { service, base } = await startService(60_000, 2_000);
    void fetch(`${base}/slow`).catch(() => undefined);
    await receivedSlowRequest(service);
    const began = Date.now();
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    expect(exit.code).toBe(1);
    expect(Date.now() - began).toBeLessThan(20_000);
    expect(service.stdout).toContain('killed by timeout (2000ms)');
  }, 60_000);
});
