import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalPostgres } from './local-postgres.js';
import { PlatformLock } from './platform-lock.js';
import { ManagedProcess } from './process.js';
import { SupervisedService, type RestartPolicy } from './supervised-service.js';
import { nodeRuntimeEnv } from '../../../charts/node-options.js';

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
  /** More variables for invoice-app, such as its `BILLING_*` tuning; the wiring above wins over them. @default none */
  readonly invoiceAppSettings?: Environment;
  /** Run the compiled services (`npm run build` first) with plain node, as the images do. @default false: the sources, through tsx */
  readonly compiled?: boolean;
  /** Restart a service that exits once the platform is up, as its Deployment would; a crash loop stops the platform (see `failed`). @default no restarts: a test that kills a replica wants it to stay down */
  readonly restart?: RestartPolicy;
  /** Receives every line the services and Postgres print. @default dropped */
  readonly onOutput?: (source: string, chunk: string) => void;
  /** Receives the platform's own reports: a service that exited and why, its restart. @default dropped */
  readonly onReport?: (line: string) => void;
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
  /** Settles with the reason once a crash-looping service has made the platform stop (with `restart` only). */
  readonly failed: Promise<string>;
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
  const providerPort = options.paymentProviderPort ?? 9000;
  const invoicePort = options.invoiceAppPort ?? 8000;
  const replicas = Array.from({ length: options.invoiceAppReplicas ?? 1 }, (_unused, replica) => replica);
  const paymentProviderUrl = `http://127.0.0.1:${providerPort}`;
  const invoiceAppUrl = (replica: number) => `http://127.0.0.1:${invoicePort + replica}`;

  // Before anything is touched: a platform that runs on this folder already is named, not stopped.
  const createdDataDir = (await mkdir(dataDir, { recursive: true })) !== undefined;
  const lock = await PlatformLock.acquire({
    pid: process.pid,
    dataDir,
    urls: [...replicas.map(invoiceAppUrl), paymentProviderUrl],
    startedAt: new Date().toISOString(),
  });
  const forward = (source: string) => (chunk: string) => options.onOutput?.(source, chunk);
  const services = new Map<string, SupervisedService | ManagedProcess>();
  let postgres: LocalPostgres | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all([...services.values()].map((service) => service.stop()));
      await postgres?.stop();
      await lock.release();
    })());

  let giveUp: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolveFailed) => {
    giveUp = (reason) => void stop().then(() => resolveFailed(reason));
  });

  try {
    await checkPorts([
      ['payment-provider', providerPort],
      ...replicas.map((replica): [string, number] => [`invoice-app[${replica}]`, invoicePort + replica]),
    ]);
    if (options.fresh) await emptyFolder(dataDir, PlatformLock.fileName);
    postgres = await LocalPostgres.start({ dataDir: join(dataDir, 'postgres'), onLog: forward('postgres') });
    options.signal?.throwIfAborted();
    const billingApiToken = options.billingApiToken ?? randomToken();
    const paymentProviderToken = options.paymentProviderToken ?? randomToken();

    const entries = options.compiled ? compiledEntryPoints : entryPoints;
    const nodeFlags = options.compiled ? [] : undefined;
    const launch = async (name: string, entry: string, env: Environment, url: string) => {
      const start = () => ManagedProcess.start(entry, env, { onOutput: forward(name), detached: true, nodeFlags });
      const ready = (service: ManagedProcess) =>
        service.waitForHttp(`${url}/rest/ready`, 120_000, options.signal, true);
      const service = start();
      services.set(name, service);
      await ready(service);
      if (options.restart !== undefined) {
        services.set(
          name,
          new SupervisedService(name, service, start, ready, options.restart, {
            report: (line) => options.onReport?.(line),
            giveUp: (reason) => giveUp(reason),
          }),
        );
      }
    };
    const current = (name: string): ManagedProcess => {
      const service = services.get(name)!;
      return service instanceof SupervisedService ? service.current : service;
    };

    await launch(
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
    const startInvoiceApp = async (replica: number) => {
      const name = `invoice-app-${replica}`;
      await launch(
        name,
        entries.invoiceApp,
        invoiceAppEnvironment(options, {
          port: invoicePort + replica,
          databaseUrl: invoicesUrl,
          paymentProviderUrl,
          paymentProviderToken,
          billingApiToken,
        }),
        invoiceAppUrl(replica),
      );
      invoiceAppUrls[replica] = invoiceAppUrl(replica);
      return current(name);
    };
    // All at once, as pods would: seeding and migrations must cope with replicas racing.
    await Promise.all(replicas.map(startInvoiceApp));
    options.signal?.throwIfAborted();

    return {
      postgres,
      get paymentProvider() {
        return current('payment-provider');
      },
      get invoiceApps() {
        return invoiceAppUrls.map((_url, replica) => current(`invoice-app-${replica}`));
      },
      paymentProviderUrl,
      invoiceAppUrls,
      billingApiToken,
      paymentProviderToken,
      startInvoiceApp,
      failed,
      stop,
    };
  } catch (err) {
    await stop();
    // A start refused before Postgres made its files leaves no empty folder behind.
    if (createdDataDir) await rmdir(dataDir).catch(() => undefined);
    throw err;
  }
}

/** Fails with one line naming the port and who wants it, when two services would share a port or one is taken. */
async function checkPorts(wanted: [name: string, port: number][]): Promise<void> {
  const hint = 'Choose others with INVOICE_APP_PORT and PAYMENT_PROVIDER_PORT.';
  for (const [index, [name, port]] of wanted.entries()) {
    const other = wanted.slice(0, index).find(([, taken]) => taken === port);
    if (other) throw new Error(`${name} and ${other[0]} would both listen on port ${port}. ${hint}`);
  }
  for (const [name, port] of wanted) {
    const problem = await new Promise<string | undefined>((resolveCheck) => {
      const probe = createServer();
      probe.once('error', (err: NodeJS.ErrnoException) =>
        resolveCheck(err.code === 'EADDRINUSE' ? 'is in use by another process' : `cannot be used (${err.code})`),
      );
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolveCheck(undefined)));
    });
    if (problem) throw new Error(`Port ${port}, for ${name}, ${problem}. ${hint}`);
  }
}

/** Removes everything in `dir` but `keep`. */
async function emptyFolder(dir: string, keep: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (entry !== keep) await rm(join(dir, entry), { recursive: true, force: true });
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
 * Both services' runtime variables (V8 heap flags in NODE_OPTIONS, glibc's allocator settings),
 * passed as the manifests pass them, in the service's environment, so that memory measured here is
 * memory in a pod. One definition, in charts/node-options.ts (test/charts/node-options.test.ts
 * checks the manifests, the images and this agree).
 */
export const SERVICE_RUNTIME_ENV: Environment = nodeRuntimeEnv();

// Locally the services bind 127.0.0.1 only; in a pod they bind every interface (the kit's default).
const localOnly = (options: PlatformOptions): Environment => ({
  HOST: '127.0.0.1',
  LOG_LEVEL: options.logLevel ?? 'info',
});

/** payment-provider's variables: those of its manifest, plus the contract's local fault knobs. */
export function paymentProviderEnvironment(options: PlatformOptions, wiring: Wiring): Environment {
  return {
    ...localOnly(options),
    ...SERVICE_RUNTIME_ENV,
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
    ...options.invoiceAppSettings,
    ...localOnly(options),
    ...SERVICE_RUNTIME_ENV,
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
