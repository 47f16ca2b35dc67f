import Type from 'typebox';
import { configSchema, env, loadConfig } from '@billing/service-kit';

/** invoice-app's environment: the contract's variables, the kit's, seeding and billing tuning. */
export const invoiceConfigSchema = configSchema({
  PORT: env.port(8000),
  /** Base URL of the payment provider, e.g. http://payment-provider.payments.svc:9000. */
  PAYMENT_PROVIDER_ENDPOINT: env.httpUrl(),
  /** Bearer token the provider expects on every charge. */
  PAYMENT_PROVIDER_TOKEN: env.secret(),
  /** Bearer token that POST /rest/v1/invoices/pay requires. */
  BILLING_API_TOKEN: env.secret(),
  /** Longest one charge request may take before it counts as a network failure. */
  PAYMENT_PROVIDER_TIMEOUT_MS: Type.Integer({ minimum: 1, maximum: 600_000, default: 5_000 }),
  /** Customers to create on an empty database at start-up; unset means no seeding. */
  SEED_CUSTOMERS: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  /** Invoices to create per seeded customer. */
  SEED_INVOICES_PER_CUSTOMER: Type.Integer({ minimum: 0, maximum: 1_000, default: 10 }),
  /** Charge requests one billing run keeps in flight at once. */
  BILLING_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1_024, default: 128 }),
  /** Retries of a charge after a network error, timeout or 5xx, with the same key. */
  BILLING_MAX_RETRIES: Type.Integer({ minimum: 0, maximum: 10, default: 3 }),
  /** First retry waits up to this long (full jitter); each further retry doubles the bound. */
  BILLING_RETRY_BASE_MS: env.milliseconds(100),
  /** Upper bound of a single retry wait. */
  BILLING_RETRY_MAX_MS: env.milliseconds(2_000),
});

export type InvoiceConfig = ReturnType<typeof loadInvoiceConfig>;

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadInvoiceConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig(invoiceConfigSchema, source);
}
