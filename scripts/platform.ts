import { ConfigError, env, loadConfig } from '@billing/service-kit';
import { once } from 'node:events';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { startPlatform, type Platform } from '@billing/devkit';
import Type from 'typebox';

// The platform behind `npm start` (scripts/start.ts runs it in a process group of its own),
// configured by the contract's variables.

const USAGE = `npm start [-- --fresh]: the whole platform on this machine, on an embedded Postgres.

  --fresh   wipe the data folder first (PLATFORM_DATA_DIR)
  --help    this text

Settings (environment, all optional):
  INVOICE_APP_PORT (8000), PAYMENT_PROVIDER_PORT (9000), INVOICE_APP_REPLICAS (1),
  BILLING_API_TOKEN and PAYMENT_PROVIDER_TOKEN (random, printed), PAYMENT_SUCCESS_RATE (0.5),
  RANDOM_SEED, FAULT_LATENCY_MS and FAULT_ERROR_RATE (provider faults),
  PAYMENT_PROVIDER_TIMEOUT_MS (5000), SEED_CUSTOMERS (100), SEED_INVOICES_PER_CUSTOMER (10),
  PLATFORM_DATA_DIR (.data), LOG_LEVEL (info), and invoice-app's BILLING_* tuning
  (BILLING_CONCURRENCY, BILLING_MAX_RETRIES, ...), passed to it as they are.
See docs/operations.md.`;

let fresh: boolean;
try {
  const { values } = parseArgs({ options: { fresh: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  fresh = values.fresh === true;
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}. npm start -- --help lists the options.\n`);
  process.exit(1);
}

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

// invoice-app's own tuning (BILLING_CONCURRENCY, ...) goes to it as set; it checks the values
// itself, and a bad one stops the start with its one line. The token is wiring, set above.
const invoiceAppSettings = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name.startsWith('BILLING_') && name !== 'BILLING_API_TOKEN'),
);

const say = (line: string) => process.stdout.write(`${line}\n`);

// Postgres's initdb and the services' start-up lines are noise when all goes well: they are kept
// and shown only if the start fails. Once the platform is up, its output is shown as it comes.
let startOutput: string[] | undefined = [];
const show = (source: string, chunk: string) => {
  for (const line of chunk.split('\n').filter(Boolean)) {
    const text = `[${source}] ${line}\n`;
    if (startOutput === undefined) process.stderr.write(text);
    else startOutput.push(text);
  }
};

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
    fresh,
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
    invoiceAppSettings,
    restart: {},
    signal: stopRequested.signal,
    onOutput: show,
    onReport: (line) => process.stderr.write(`[platform] ${line}\n`),
  });
} catch (err) {
  // startPlatform has already stopped whatever it started.
  if (stopRequested.signal.aborted) {
    say('Stopped.');
    process.exit(exitCode);
  }
  const reason = err instanceof Error ? err.message : String(err);
  for (const line of startOutput ?? []) process.stderr.write(line);
  process.stderr.write(`The platform did not start: ${reason}\n`);
  process.exit(1);
}
startOutput = undefined;

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

const crashLoop = platform.failed.then((reason) => {
  process.stderr.write(`The platform stopped: ${reason}\n`);
  process.exit(1);
});
if (!stopRequested.signal.aborted) await Promise.race([once(stopRequested.signal, 'abort'), crashLoop]);
await platform.stop();
say('Stopped.');
process.exit(exitCode);
