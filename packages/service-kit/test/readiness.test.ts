import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPostgres } from '@billing/devkit';
import { buildWidgetApp, loadWidgetConfig } from './fixtures/widget-service.js';
import type { ServiceApp } from '../src/index.js';

// This file stops and restarts its database, so it runs a Postgres server of its own.
let root: string;
let server: LocalPostgres;
let app: ServiceApp;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'billing-readiness-'));
  server = await LocalPostgres.start({ dataDir: join(root, 'pg'), durable: false });
  const databaseUrl = await server.ensureDatabase('widgets');
  app = await buildWidgetApp(
    loadWidgetConfig({ DATABASE_URL: databaseUrl, WIDGET_TOKEN: 'widget-token-0123456789', LOG_LEVEL: 'silent' }),
  );
});

afterAll(async () => {
  await app?.close();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('readiness', () => {
  it('is 503 until migrations are applied, then 200', async () => {
    const before = await app.inject('/rest/ready');
    expect(before.statusCode).toBe(503);
    expect(before.json().error).toMatch(/pgmigrations|not applied/);
    await app.migrate();
    expect((await app.inject('/rest/ready')).statusCode).toBe(200);
  });

  it('flips to 503 while the database is away and back to 200 when it returns, while liveness stays 200', async () => {
    await server.stop();
    const away = await app.inject('/rest/ready');
    expect(away.statusCode).toBe(503);
    expect(away.json().error).toMatch(/database not ready/);
    expect((await app.inject('/rest/health')).statusCode).toBe(200);

    // Every route that needs the database answers 503 with Retry-After, never 500.
    const read = await app.inject('/widgets/1');
    const write = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { authorization: 'Bearer widget-token-0123456789' },
      payload: { name: 'cog' },
    });
    for (const answer of [read, write, away]) {
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
    }
    expect(read.json()).toEqual({ error: 'The database is unavailable right now; retry in 5 s' });

    server = await LocalPostgres.start({ dataDir: server.dataDir, port: server.port, durable: false });
    await expect.poll(async () => (await app.inject('/rest/ready')).statusCode, { timeout: 10_000 }).toBe(200);
  });
});
