import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalPostgres } from './local-postgres.js';
import { ManagedProcess } from './process.js';
import { NODE_OPTIONS } from '../../../charts/node-options.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Entry points of the two services, run from their TypeScript sources. */
export const entryPoints = {
  invoiceApp: join(repoRoot, 'apps/invoice-app/src/main.ts'),
  paymentProvider: join(repoRoot, 'apps/payment-provider/src/main.ts'),
};

/** The same entry points compiled by `npm run build`, as the images run them. */
export const compiledEntryPoints = {
  invoiceApp: join(repoRoot, 'apps/invoice-app/build/main.js'),
  paymentProvider: join(repoRoot, 'apps/payment-provider/build/main.js'),
};

/** How the local platform runs: the variables of the contract's `npm start` section. */
export interface PlatformOptions {
  /** Where Postgres keeps its files; a new or empty folder is a fresh start. @default ".data" */
  readonly dataDir?: string;
  /** Wipe `dataDir` first. @default false */
  readonly fresh?: boolean;
  /** First invoice-app port; replica i listens on port + i. @default 8000 */
  readonly invoiceAppPort?: number;
  /** payment-provider's port. @default 9000 */
  readonly paymentProviderPort?: number;
  /** Number of invoice-app processes sharing one database. @default 1 */
  readonly invoiceAppReplicas?: number;
  /** Token for POST /rest/v1/invoices/pay. @default random */
  readonly billingApiToken?: string;
  /** Token invoice-app presents to payment-provider. @default random */
  readonly paymentProviderToken?: string;
  /** Share of charges that succeed. @default 0.5 */
  readonly paymentSuccessRate?: number;
  /** Seed of the provider's outcomes. @default unseeded */
  readonly randomSeed?: string;
  /** Provider latency per charge, in ms. @default 0 */
  readonly faultLatencyMs?: number;
  /** Share of charges the provider answers 503. @default 0 */
  readonly faultErrorRate?: number;
  /** invoice-app's timeout per charge request, in ms. @default the app's (5000) */
  readonly paymentProviderTimeoutMs?: number;
  /** Customers seeded into an empty database. @default 100 */
  readonly seedCustomers?: number;
  /** Invoices per seeded customer. @default 10 */
  readonly seedInvoicesPerCustomer?: number;
  /** pino level of the services. @default "info" */
  readonly logLevel?: string;
  /** Run the compiled services (`npm run build` first) with plain node, as the images do. @default false: the sources, through tsx */
  readonly compiled?: boolean;
  /** Receives every line the services and Postgres print. @default dropped */
  readonly onOutput?: (source: string, chunk: string) => void;
  /** Aborting it stops whatever has started so far, and the start rejects. @default never aborted */
  readonly signal?: AbortSignal;
}

/** The running platform. */
export interface Platform {
  readonly postgres: LocalPostgres;
  readonly paymentProvider: ManagedProcess;
  readonly invoiceApps: ManagedProcess[];
  readonly paymentProviderUrl: string;
  readonly invoiceAppUrls: string[];
  readonly billingApiToken: string;
  readonly paymentProviderToken: string;
  /** Starts one more invoice-app process (as a replacement for a killed one, say). */
  startInvoiceApp(replica: number): Promise<ManagedProcess>;
  /** SIGTERM to every service, wait for them, then stop Postgres. */
  stop(): Promise<void>;
}

/**
 * The whole platform on this machine, as `npm start` runs it: an embedded Postgres with one
 * database per service, payment-provider, and N invoice-app processes, each configured only
 * through the environment variables its Kubernetes manifest gives it.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const dataDir = resolve(options.dataDir ?? '.data');
  if (options.fresh) await rm(dataDir, { recursive: true, force: true });
  const forward = (source: string) => (chunk: string) => options.onOutput?.(source, chunk);

  const postgres = await LocalPostgres.start({ dataDir: join(dataDir, 'postgres'), onLog: forward('postgres') });
  const started: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((service) => service.stop('SIGTERM')));
    await postgres.stop();
  };

  try {
    options.signal?.throwIfAborted();
    const billingApiToken = options.billingApiToken ?? randomToken();
    const paymentProviderToken = options.paymentProviderToken ?? randomToken();
    const providerPort = options.paymentProviderPort ?? 9000;
    const invoicePort = options.invoiceAppPort ?? 8000;
    const paymentProviderUrl = `http://127.0.0.1:${providerPort}`;

    const entries = options.compiled ? compiledEntryPoints : entryPoints;
    const nodeFlags = options.compiled ? [] : undefined;
    const launch = async (name: string, entry: string, env: Environment, url: string) => {
      const service = ManagedProcess.start(entry, env, { onOutput: forward(name), detached: true, nodeFlags });
      started.push(service);
      await service.waitForHttp(`${url}/rest/ready`, 120_000, options.signal);
      return service;
    };

    const paymentProvider = await launch(
      'payment-provider',
      entries.paymentProvider,
      paymentProviderEnvironment(options, {
        port: providerPort,
        databaseUrl: await postgres.ensureDatabase('payments'),
        paymentProviderToken,
      }),
      paymentProviderUrl,
    );

    const invoicesUrl = await postgres.ensureDatabase('invoices');
    const invoiceAppUrls: string[] = [];
    const invoiceApps: ManagedProcess[] = [];
    const startInvoiceApp = async (replica: number) => {
      const url = `http://127.0.0.1:${invoicePort + replica}`;
      const service = await launch(
        `invoice-app-${replica}`,
        entries.invoiceApp,
        invoiceAppEnvironment(options, {
          port: invoicePort + replica,
          databaseUrl: invoicesUrl,
          paymentProviderUrl,
          paymentProviderToken,
          billingApiToken,
        }),
        url,
      );
      invoiceAppUrls[replica] = url;
      invoiceApps[replica] = service;
      return service;
    };
    // All at once, as pods would: seeding and migrations must cope with replicas racing.
    const replicas = Array.from({ length: options.invoiceAppReplicas ?? 1 }, (_unused, replica) => replica);
    await Promise.all(replicas.map(startInvoiceApp));
    options.signal?.throwIfAborted();

    return {
      postgres,
      paymentProvider,
      invoiceApps,
      paymentProviderUrl,
      invoiceAppUrls,
      billingApiToken,
      paymentProviderToken,
      startInvoiceApp,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A process environment; undefined leaves a variable unset. */
export type Environment = Record<string, string | undefined>;

/** What the launcher decides for a service beyond the options: where things are, and the secrets. */
export interface Wiring {
  readonly port: number;
  readonly databaseUrl: string;
  readonly paymentProviderToken: string;
  readonly paymentProviderUrl?: string;
  readonly billingApiToken?: string;
}

/**
 * Node's flags for both services (V8 heap sizing), passed as the manifests pass them: NODE_OPTIONS
 * in the service's environment, so that memory measured here is memory in a pod. One value, in
 * charts/node-options.ts; the images' Dockerfiles repeat it (test/charts/node-options.test.ts
 * fails if they drift).
 */
export const SERVICE_NODE_OPTIONS = NODE_OPTIONS;

// Locally the services bind 127.0.0.1 only; in a pod they bind every interface (the kit's default).
const localOnly = (options: PlatformOptions): Environment => ({
  HOST: '127.0.0.1',
  LOG_LEVEL: options.logLevel ?? 'info',
});

/** payment-provider's variables: those of its manifest, plus the contract's local fault knobs. */
export function paymentProviderEnvironment(options: PlatformOptions, wiring: Wiring): Environment {
  return {
    ...localOnly(options),
    NODE_OPTIONS: SERVICE_NODE_OPTIONS,
    PORT: String(wiring.port),
    DATABASE_URL: wiring.databaseUrl,
    PAYMENT_PROVIDER_TOKEN: wiring.paymentProviderToken,
    PAYMENT_SUCCESS_RATE: String(options.paymentSuccessRate ?? 0.5),
    RANDOM_SEED: options.randomSeed,
    FAULT_LATENCY_MS: String(options.faultLatencyMs ?? 0),
    FAULT_ERROR_RATE: String(options.faultErrorRate ?? 0),
  };
}

/** invoice-app's variables: those of its manifest. */
export function invoiceAppEnvironment(options: PlatformOptions, wiring: Wiring): Environment {
  return {
    ...localOnly(options),
    NODE_OPTIONS: SERVICE_NODE_OPTIONS,
    PORT: String(wiring.port),
    DATABASE_URL: wiring.databaseUrl,
    PAYMENT_PROVIDER_ENDPOINT: wiring.paymentProviderUrl,
    PAYMENT_PROVIDER_TOKEN: wiring.paymentProviderToken,
    BILLING_API_TOKEN: wiring.billingApiToken,
    PAYMENT_PROVIDER_TIMEOUT_MS: String(options.paymentProviderTimeoutMs ?? 5000),
    SEED_CUSTOMERS: String(options.seedCustomers ?? 100),
    SEED_INVOICES_PER_CUSTOMER: String(options.seedInvoicesPerCustomer ?? 10),
  };
}

function randomToken(): string {
  return randomBytes(24).toString('base64url');
}
