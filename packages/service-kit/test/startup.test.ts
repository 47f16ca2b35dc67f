import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManagedProcess, freePort } from '@billing/devkit';
import { createTestDatabase } from '@billing/devkit/vitest';
import pg from 'pg';

const entry = fileURLToPath(new URL('./fixtures/widget-service.ts', import.meta.url));
const started: ManagedProcess[] = [];
afterAll(() => Promise.all(started.map((service) => service.stop('SIGKILL'))));

describe('start-up work after migrations', () => {
  it('keeps readiness at 503 until it is done, while liveness answers', async () => {
    const port = await freePort();
    const service = ManagedProcess.start(entry, {
      PORT: String(port),
      DATABASE_URL: await createTestDatabase('startup'),
      WIDGET_TOKEN: 'widget-token-0123456789',
      STARTUP_WORK_MS: '1500',
    });
    started.push(service);
    const base = `http://127.0.0.1:${port}`;
    await service.waitForHttp(`${base}/rest/health`);

    const answers: string[] = [];
    for (let waited = 0; waited < 30_000; waited += 50) {
      const response = await fetch(`${base}/rest/ready`);
      const body = (await response.json()) as string | { error: string };
      answers.push(`${response.status} ${typeof body === 'string' ? body : body.error}`);
      if (response.status === 200) break;
      await sleep(50);
    }
    expect(answers).toContain('503 start-up work (seeding, say) not finished yet');
    expect(answers.at(-1)).toBe('200 ready');
  });

  it("opens its pool's connections before it reports ready", async () => {
    const port = await freePort();
    const databaseUrl = await createTestDatabase('startup-pool');
    const service = ManagedProcess.start(entry, {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      WIDGET_TOKEN: 'widget-token-0123456789',
    });
    started.push(service);
    await service.waitForHttp(`http://127.0.0.1:${port}/rest/ready`);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const connections = async () =>
        (
          await client.query<{ count: number }>(
            `SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = 'widgets' AND datname = current_database()`,
          )
        ).rows[0]!.count;
      // The kit's pool holds 10 per process.
      expect(await connections()).toBe(10);
    } finally {
      await client.end();
    }
  });
});
