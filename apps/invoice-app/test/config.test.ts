import { describe, expect, it } from 'vitest';
import { ConfigError } from '@billing/service-kit';
import { leaseMs } from '../src/app.js';
import { loadInvoiceConfig } from '../src/config.js';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/invoices',
  PAYMENT_PROVIDER_ENDPOINT: 'http://payment-provider.payments.svc:9000',
  PAYMENT_PROVIDER_TOKEN: 'provider-token-0123456789',
  BILLING_API_TOKEN: 'billing-token-0123456789',
};

describe('invoice-app configuration', () => {
  it("has the contract's defaults, and seeding off unless asked for", () => {
    const config = loadInvoiceConfig(required);
    expect(config.SEED_CUSTOMERS).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 8000,
      PAYMENT_PROVIDER_TIMEOUT_MS: 5_000,
      SEED_INVOICES_PER_CUSTOMER: 10,
      BILLING_CONCURRENCY: 128,
      BILLING_MAX_RETRIES: 3,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
    expect(loadInvoiceConfig({ ...required, SEED_CUSTOMERS: '100', SEED_INVOICES_PER_CUSTOMER: '10' })).toMatchObject({
      SEED_CUSTOMERS: 100,
      SEED_INVOICES_PER_CUSTOMER: 10,
    });
  });

  it('names every missing or malformed variable, never echoing a secret', () => {
    expect(() => loadInvoiceConfig({})).toThrow(
      new ConfigError(
        'Invalid configuration: DATABASE_URL is required but not set; PAYMENT_PROVIDER_ENDPOINT is required but not set; ' +
          'PAYMENT_PROVIDER_TOKEN is required but not set; BILLING_API_TOKEN is required but not set',
      ),
    );
    const bad = () =>
      loadInvoiceConfig({
        ...required,
        PAYMENT_PROVIDER_ENDPOINT: 'payment-provider:9000',
        BILLING_API_TOKEN: 'short',
        PAYMENT_PROVIDER_TIMEOUT_MS: 'soon',
        SEED_CUSTOMERS: '-1',
      });
    expect(bad).toThrow(/PAYMENT_PROVIDER_ENDPOINT must be a valid URL \(got "payment-provider:9000"\)/);
    expect(bad).toThrow(/BILLING_API_TOKEN must not have fewer than 16 characters \(got a value\)/);
    expect(bad).toThrow(/PAYMENT_PROVIDER_TIMEOUT_MS must be integer \(got "soon"\)/);
    expect(bad).toThrow(/SEED_CUSTOMERS must be >= 0/);
    expect(bad).not.toThrow(/short/);
  });

  it('leases a claim for longer than a charge with every retry timing out can take', () => {
    const config = loadInvoiceConfig(required);
    const slowest = 4 * 5_000 + 3 * 2_000;
    expect(leaseMs(config)).toBeGreaterThan(slowest);
    expect(leaseMs({ ...config, BILLING_MAX_RETRIES: 0 })).toBeGreaterThan(5_000);
  });
});
