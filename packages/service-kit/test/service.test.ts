import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@billing/devkit/vitest';
import { buildWidgetApp, loadWidgetConfig } from './fixtures/widget-service.js';
import type { ServiceApp } from '../src/index.js';

const token = 'widget-token-0123456789';
let app: ServiceApp;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('service');
  app = await buildWidgetApp(loadWidgetConfig({ DATABASE_URL: databaseUrl, WIDGET_TOKEN: token, LOG_LEVEL: 'silent' }));
  await app.migrate();
});
afterAll(() => app.close());

describe('a service built on the kit', () => {
  it('is live and, once migrated, ready', async () => {
    expect((await app.inject('/rest/health')).json()).toBe('ok');
    const ready = await app.inject('/rest/ready');
    expect(ready.statusCode).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await app.inject('/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'Route GET /nope not found' });
  });

  it('rejects a missing or wrong bearer token with 401 JSON', async () => {
    const missing = await app.inject({ method: 'POST', url: '/widgets', payload: { name: 'x' } });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toHaveProperty('error');
    const wrong = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { authorization: `Bearer ${token}x` },
      payload: { name: 'x' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('answers bad input with 4xx JSON, never 5xx', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const cases = [
      {
        method: 'POST' as const,
        url: '/widgets',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{"name":',
      },
      { method: 'POST' as const, url: '/widgets', headers: auth, payload: { name: 5 } },
      { method: 'POST' as const, url: '/widgets', headers: auth, payload: { name: 'a', extra: true } },
      { method: 'POST' as const, url: '/widgets', headers: auth, payload: { name: 'x'.repeat(100_000) } },
      { method: 'GET' as const, url: '/widgets/abc' },
      { method: 'GET' as const, url: '/widgets/0' },
      { method: 'GET' as const, url: '/widgets/1.5' },
      { method: 'GET' as const, url: '/widgets/1e3' },
      { method: 'GET' as const, url: '/widgets/0x10' },
      { method: 'GET' as const, url: '/widgets/%201' },
      { method: 'GET' as const, url: '/widgets/99999999999999999999' },
    ];
    for (const request of cases) {
      const response = await app.inject(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${request.method} ${request.url}`).toBeLessThan(500);
      expect(typeof response.json().error).toBe('string');
    }
  });

  it('stores and reads through its pool', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'sprocket' },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect((await app.inject(`/widgets/${id}`)).json()).toMatchObject({ name: 'sprocket' });
  });

  it('exposes request counts, latency and process metrics', async () => {
    await app.inject('/rest/health');
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/rest\/health"[^}]*status_code="200"[^}]*\} \d+/);
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/widgets\/:id"/);
    expect(metrics).toContain('process_resident_memory_bytes');
  });
});
