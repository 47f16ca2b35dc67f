import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ServiceApp } from '@billing/service-kit';
import { buildApp as buildInvoiceApp } from '../../apps/invoice-app/src/app.js';
import { loadInvoiceConfig } from '../../apps/invoice-app/src/config.js';
import { buildApp as buildPaymentProvider } from '../../apps/payment-provider/src/app.js';
import { loadConfig as loadProviderConfig } from '../../apps/payment-provider/src/config.js';

// The OpenAPI documents committed under docs/openapi are what the services serve: generated
// from the route schemas, so a route changed without its document fails here.
// UPDATE_OPENAPI=1 (npm run openapi) writes them afresh instead.

// Never connected to: serving the document needs no database.
const DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
const TOKEN = 'token-for-the-openapi-test';

const services: Record<string, { build: () => Promise<ServiceApp>; paths: string[] }> = {
  'invoice-app': {
    build: () =>
      buildInvoiceApp(
        loadInvoiceConfig({
          DATABASE_URL,
          PAYMENT_PROVIDER_ENDPOINT: 'http://127.0.0.1:1',
          PAYMENT_PROVIDER_TOKEN: TOKEN,
          BILLING_API_TOKEN: TOKEN,
          LOG_LEVEL: 'silent',
        }),
      ),
    paths: [
      '/metrics',
      '/rest/health',
      '/rest/ready',
      '/rest/v1/billing-runs',
      '/rest/v1/billing-runs/{runId}',
      '/rest/v1/billing-runs/{runId}/events',
      '/rest/v1/customers',
      '/rest/v1/customers/{id}',
      '/rest/v1/invoices',
      '/rest/v1/invoices/counts',
      '/rest/v1/invoices/pay',
      '/rest/v1/invoices/{id}',
    ],
  },
  'payment-provider': {
    build: () =>
      buildPaymentProvider(loadProviderConfig({ DATABASE_URL, PAYMENT_PROVIDER_TOKEN: TOKEN, LOG_LEVEL: 'silent' })),
    paths: ['/metrics', '/rest/health', '/rest/ready', '/rest/v1/charge', '/rest/v1/charges'],
  },
};

describe.each(Object.entries(services))('the OpenAPI document of %s', (name, service) => {
  it('is served at /rest/openapi.json, describes every route, and is the one committed in docs/openapi', async () => {
    const app = await service.build();
    try {
      const response = await app.inject({ url: '/rest/openapi.json' });
      expect(response.statusCode).toBe(200);
      const served = response.json<{ openapi: string; info: { title: string }; paths: Record<string, unknown> }>();
      expect(served.openapi).toMatch(/^3\./);
      expect(served.info.title).toBe(name);
      expect(Object.keys(served.paths).sort()).toEqual(service.paths);

      const file = new URL(`../../docs/openapi/${name}.json`, import.meta.url);
      if (process.env.UPDATE_OPENAPI === '1') await writeFile(file, `${JSON.stringify(served, null, 2)}\n`);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(served);

      const docs = await app.inject({ url: '/rest/docs' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-type']).toMatch(/^text\/html/);
      expect(docs.body).toContain("fetch('openapi.json')");
    } finally {
      await app.close();
    }
  });
});
