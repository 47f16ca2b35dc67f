import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ManagedProcess, freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';

const entry = fileURLToPath(new URL('./fixtures/widget-service.ts', import.meta.url));
const started: ManagedProcess[] = [];
afterAll(() => Promise.all(started.map((service) => service.stop('SIGKILL'))));

/** Starts the widget service at a log level, asks for a missing widget and for a route that answers 200, and returns its request log lines. */
async function requestLines(logLevel: string) {
  const port = await freePort();
  const service = ManagedProcess.start(entry, {
    PORT: String(port),
    DATABASE_URL: await createTestDatabase(`logging-${logLevel}`),
    WIDGET_TOKEN: 'widget-token-0123456789',
    LOG_LEVEL: logLevel,
    SLOW_MS: '1',
  });
  started.push(service);
  const base = `http://127.0.0.1:${port}`;
  await service.waitForHttp(`${base}/rest/ready`);
  expect((await fetch(`${base}/widgets/424242`)).status).toBe(404);
  expect((await fetch(`${base}/slow`)).status).toBe(200);
  await expect.poll(() => service.stdout.includes('"url":"/widgets/424242"'), { timeout: 10_000 }).toBe(true);
  await service.stop();
  return service.stdout
    .split('\n')
    .filter((line) => line.includes('"msg":"request completed"'))
    .map((line) => {
      const entry = JSON.parse(line) as {
        level: number;
        req: { url: string };
        res: { statusCode: number };
        responseTime: number;
      };
      return {
        level: entry.level,
        url: entry.req.url,
        statusCode: entry.res.statusCode,
        responseTime: entry.responseTime,
      };
    });
}

describe('request logging', () => {
  it('at info writes one line per request the client got wrong, and none for answered ones', async () => {
    const lines = await requestLines('info');
    const answered = lines.filter((line) => line.url === '/slow');
    const missing = lines.filter((line) => line.url === '/widgets/424242');
    expect(answered).toEqual([]);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ level: 30, statusCode: 404 });
    expect(missing[0]!.responseTime).toBeGreaterThan(0);
  });

  it('at debug writes one line for every request', async () => {
    const lines = await requestLines('debug');
    expect(lines.filter((line) => line.url === '/slow')).toMatchObject([{ level: 20, statusCode: 200 }]);
    expect(lines.filter((line) => line.url === '/widgets/424242')).toMatchObject([{ level: 30, statusCode: 404 }]);
  });
});
