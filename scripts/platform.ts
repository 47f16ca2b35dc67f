import { ConfigError, env, loadConfig } from '@billing/service-kit';
import { once } from 'node:events';
import { constants } from 'node:os';
import { startPlatform, type Platform } from '@billing/devkit';
import Type from 'typebox';

// The platform behind `npm start` (scripts/start.ts runs it in a process group of its own),
// configured by the contract's variables.
const schema = Type.Object({
  INVOICE_APP_PORT: env.port(8000),
  PAYMENT_PROVIDER_PORT: env.port(9000),
  BILLING_API_TOKEN: Type.Optional(env.secret()),
  PAYMENT_PROVIDER_TOKEN: Type.Optional(env.secret()),
  PAYMENT_SUCCESS_RATE: env.rate(0.5),
  // The services' own bounds from here on, so that a bad value stops npm start with one line.
  RANDOM_SEED: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff_ffff })),
  FAULT_LATENCY_MS: env.milliseconds(0),
  FAULT_ERROR_RATE: env.rate(0),
  PAYMENT_PROVIDER_TIMEOUT_MS: Type.Integer({ minimum: 1, maximum: 600_000, default: 5_000 }),
  SEED_CUSTOMERS: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 100 }),
  SEED_INVOICES_PER_CUSTOMER: Type.Integer({ minimum: 0, maximum: 1_000, default: 10 }),
  INVOICE_APP_REPLICAS: Type.Integer({ minimum: 1, maximum: 16, default: 1 }),
  PLATFORM_DATA_DIR: Type.String({ default: '.data' }),
  LOG_LEVEL: env.logLevel(),
});

let config;
try {
  config = loadConfig(schema);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const say = (line: string) => process.stdout.write(`${line}\n`);

// Ctrl-C may come at any moment, start-up included: the services run in their own process
// groups, so whatever has started must be stopped here, services first, then Postgres. The exit
// code then says so, as a shell's does for a process ended by a signal: 128 + its number.
const stopRequested = new AbortController();
let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, (received) => {
    if (stopRequested.signal.aborted) return;
    say(`\n${received}: stopping the services, then Postgres...`);
    exitCode = 128 + constants.signals[received];
    stopRequested.abort();
  });
}

say(`Starting Postgres, payment-provider and ${config.INVOICE_APP_REPLICAS} invoice-app process(es)...`);
let platform: Platform;
try {
  platform = await startPlatform({
    dataDir: config.PLATFORM_DATA_DIR,
    fresh: process.argv.includes('--fresh'),
    invoiceAppPort: config.INVOICE_APP_PORT,
    paymentProviderPort: config.PAYMENT_PROVIDER_PORT,
    invoiceAppReplicas: config.INVOICE_APP_REPLICAS,
    billingApiToken: config.BILLING_API_TOKEN,
    paymentProviderToken: config.PAYMENT_PROVIDER_TOKEN,
    paymentSuccessRate: config.PAYMENT_SUCCESS_RATE,
    randomSeed: config.RANDOM_SEED === undefined ? undefined : String(config.RANDOM_SEED),
    faultLatencyMs: config.FAULT_LATENCY_MS,
    faultErrorRate: config.FAULT_ERROR_RATE,
    paymentProviderTimeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
    seedCustomers: config.SEED_CUSTOMERS,
    seedInvoicesPerCustomer: config.SEED_INVOICES_PER_CUSTOMER,
    logLevel: config.LOG_LEVEL,
    signal: stopRequested.signal,
    onOutput: (source, chunk) => {
      for (const line of chunk.split('\n').filter(Boolean)) process.stderr.write(`[${source}] ${line}\n`);
    },
  });
} catch (err) {
  // startPlatform has already stopped whatever it started.
  if (stopRequested.signal.aborted) {
    say('Stopped.');
    process.exit(exitCode);
  }
  process.stderr.write(`The platform did not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

say('');
say('The platform is up:');
platform.invoiceAppUrls.forEach((url, replica) => say(`  invoice-app[${replica}]   ${url}`));
say(`  payment-provider   ${platform.paymentProviderUrl}`);
say(`  Postgres           ${platform.postgres.url('invoices')} (and /payments)`);
say('');
say(`Admin token (BILLING_API_TOKEN):   ${platform.billingApiToken}`);
say(`Provider token (PAYMENT_PROVIDER_TOKEN): ${platform.paymentProviderToken}`);
say('');
say(
  `Try: curl -s -X POST -H "Authorization: Bearer ${platform.billingApiToken}" ${platform.invoiceAppUrls[0]}/rest/v1/invoices/pay`,
);
say('Ctrl-C stops everything.');

if (!stopRequested.signal.aborted) await once(stopRequested.signal, 'abort');
await platform.stop();
say('Stopped.');
process.exit(exitCode);
