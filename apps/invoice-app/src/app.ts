import { fileURLToPath } from 'node:url';
import { createService, type ServiceApp } from '@billing/service-kit';
import { BillingEngine } from './billing/billing-engine.js';
import { BillingMetrics } from './billing/billing-metrics.js';
import { BillingRuns } from './billing/billing-runs.js';
import { PaymentProviderClient } from './billing/payment-provider-client.js';
import type { InvoiceConfig } from './config.js';
import { billingRunsRoutes } from './routes/billing-runs.js';
import { customerRoutes } from './routes/customers.js';
import { invoiceRoutes } from './routes/invoices.js';
import { operatorPageRoutes } from './routes/operator-page.js';
import { payRoutes } from './routes/pay.js';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Time beyond the slowest possible charge that a lease allows for writing its outcome. */
const LEASE_MARGIN_MS = 3_000;

/** The longest one charge can take: every request timing out, with every retry and its longest wait. */
function slowestChargeMs(config: InvoiceConfig): number {
  return PaymentProviderClient.worstCaseMs(
    config.PAYMENT_PROVIDER_TIMEOUT_MS,
    config.BILLING_MAX_RETRIES,
    config.BILLING_RETRY_MAX_MS,
  );
}

/** How long a billing run's claim on an invoice lasts: longer than any charge can take. */
export function leaseMs(config: InvoiceConfig): number {
  return slowestChargeMs(config) + LEASE_MARGIN_MS;
}

/** The invoice-app: the Antaeus REST API and the billing engine, on the service kit. */
export async function buildApp(config: InvoiceConfig): Promise<ServiceApp> {
  const app = await createService({
    name: 'invoice-app',
    description:
      'The Antaeus-compatible billing service: invoices and customers, billing runs that charge every pending invoice ' +
      'exactly once through the payment provider, and the runs as records to follow and look back on.',
    databaseUrl: config.DATABASE_URL,
    migrationsDir,
    logLevel: config.LOG_LEVEL,
  });

  const metrics = new BillingMetrics(app.metrics);
  const provider = new PaymentProviderClient({
    endpoint: config.PAYMENT_PROVIDER_ENDPOINT,
    token: config.PAYMENT_PROVIDER_TOKEN,
    timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
    maxRetries: config.BILLING_MAX_RETRIES,
    retryBaseMs: config.BILLING_RETRY_BASE_MS,
    retryMaxMs: config.BILLING_RETRY_MAX_MS,
    connections: config.BILLING_CONCURRENCY,
    onRequest: (outcome, seconds) => metrics.request(outcome, seconds),
  });
  app.addHook('onClose', () => provider.close());
  app.addWarmUp('payment provider connections', () => provider.openConnections());
  const engine = new BillingEngine({
    db: app.db,
    provider,
    metrics,
    log: app.log,
    concurrency: config.BILLING_CONCURRENCY,
    leaseMs: leaseMs(config),
    slowestChargeMs: slowestChargeMs(config),
  });

  await app.register(operatorPageRoutes);
  await app.register(customerRoutes);
  await app.register(invoiceRoutes);
  await app.register(payRoutes, { token: config.BILLING_API_TOKEN, engine });
  await app.register(billingRunsRoutes, {
    token: config.BILLING_API_TOKEN,
    runs: new BillingRuns(app.db, (count) => metrics.runsFoundDead(count)),
  });
  return app;
}
