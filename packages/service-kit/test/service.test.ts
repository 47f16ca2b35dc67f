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

  it('takes the bearer scheme in any case, and says in a 401 which token is needed, with a challenge', async () => {
    const post = (authorization?: string) =>
      app.inject({
        method: 'POST',
        url: '/widgets',
        headers: authorization === undefined ? {} : { authorization },
        payload: { name: 'cog' },
      });
    expect((await post(`bearer ${token}`)).statusCode).toBe(201);
    expect((await post(`BEARER ${token}`)).statusCode).toBe(201);

    const missing = await post();
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="widgets"');
    expect(missing.json().error).toBe('Missing Authorization header: send "Authorization: Bearer <WIDGET_TOKEN>"');
    const basic = await post('Basic d2lkZ2V0OnRva2Vu');
    expect(basic.headers['www-authenticate']).toBe('Bearer realm="widgets"');
    expect(basic.json().error).toMatch(/not a bearer token: .*WIDGET_TOKEN/);
    const wrong = await post(`Bearer ${token}x`);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(
      /^Bearer realm="widgets", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(wrong.json().error).toMatch(/token is not WIDGET_TOKEN/);
  });

  it('answers a known path with another method 405 and the methods it has in Allow', async () => {
    const list = await app.inject({ method: 'GET', url: '/widgets' });
    expect(list.statusCode).toBe(405);
    expect(list.headers.allow).toBe('POST');
    expect(list.json().error).toBe('GET is not allowed on /widgets: use POST');
    const put = await app.inject({ method: 'PUT', url: '/widgets/1?x=1' });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
    expect((await app.inject({ method: 'DELETE', url: '/nope' })).statusCode).toBe(404);
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
