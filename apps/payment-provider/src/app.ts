import { fileURLToPath } from 'node:url';
import { createService, type ServiceApp } from '@billing/service-kit';
import { CardProcessor } from './card-processor.js';
import type { Config } from './config.js';
import { FaultInjector } from './faults.js';
import { Ledger } from './ledger.js';
import { chargeMetrics } from './metrics.js';
import { randomStreams } from './random.js';
import { chargeRoutes } from './routes/charge.js';
import { chargesRoutes } from './routes/charges.js';

/** The provider's SQL migrations (the same path from src/ and from the compiled build/). */
export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * The payment provider: a simulated card processor with idempotent charges and a ledger in
 * its own Postgres. Tests drive it with `app.inject` or a real listener; `main.ts` runs it.
 */
export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createService({
    name: 'payment-provider',
    description: 'A simulated card processor with an idempotent charge API and a ledger of every charge attempt.',
    databaseUrl: config.DATABASE_URL,
    migrationsDir,
    logLevel: config.LOG_LEVEL,
  });

  const random = randomStreams(config.RANDOM_SEED);
  const ledger = new Ledger(app.db);
  await app.register(chargeRoutes, {
    token: config.PAYMENT_PROVIDER_TOKEN,
    processor: new CardProcessor({ ledger, outcomes: random.outcomes, successRate: config.PAYMENT_SUCCESS_RATE }),
    faults: new FaultInjector({
      latencyMs: config.FAULT_LATENCY_MS,
      errorRate: config.FAULT_ERROR_RATE,
      random: random.faults,
    }),
    metrics: chargeMetrics(app.metrics),
  });
  await app.register(chargesRoutes, { token: config.PAYMENT_PROVIDER_TOKEN, ledger });

  app.log.info(
    {
      successRate: config.PAYMENT_SUCCESS_RATE,
      seeded: config.RANDOM_SEED !== undefined,
      faultLatencyMs: config.FAULT_LATENCY_MS,
      faultErrorRate: config.FAULT_ERROR_RATE,
    },
    'simulating a card processor',
  );
  return app;
}
