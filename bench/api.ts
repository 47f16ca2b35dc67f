import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, ManagedProcess, SERVICE_RUNTIME_ENV, type Platform } from '@billing/devkit';
import {
  cpuSeconds,
  postgresCpuSeconds,
  processMemory,
  untilQuiet,
  withPlatform,
  type ProcessMemory,
} from './platform.js';

/** Invoices in the database (and in the bare server's list). */
export const API_INVOICES = 10_000;
/** Concurrent connections of every load run. */
export const CONNECTIONS = 50;
/** Seconds of each measured load run, after WARMUP_SECONDS of the same load. */
export const DURATION_SECONDS = 10;
export const WARMUP_SECONDS = 2;

const bareServer = fileURLToPath(new URL('./bare-fastify.mjs', import.meta.url));

/** One load run against one server. */
export interface LoadRun {
  readonly requestsPerSecond: number;
  /** Latency percentiles, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses other than 2xx, and connection errors: must be 0. */
  readonly failures: number;
  /** CPU the server used per second of the run (1 = one core busy); its database included for invoice-app. */
  readonly serverCores: number;
  readonly databaseCores: number;
}

/** A route of invoice-app against the same path on the bare Fastify server. */
export interface RouteComparison {
  readonly route: string;
  readonly bare: LoadRun;
  readonly service: LoadRun;
}

export interface ApiResult {
  readonly routes: RouteComparison[];
  /** The bare server's resident memory after its load: the floor of a Fastify process. */
  readonly bareMemory: ProcessMemory;
}

/** The routes measured, each a path generator (random ids and pages spread the load over the table). */
const ROUTES: { route: string; path: () => string }[] = [
  { route: 'GET /rest/v1/invoices/:id', path: () => `/rest/v1/invoices/${randomId()}` },
  { route: 'GET /rest/v1/invoices?limit=100', path: () => `/rest/v1/invoices?limit=100&after=${randomId() - 1}` },
  { route: `GET /rest/v1/invoices (all ${API_INVOICES.toLocaleString('en-US')})`, path: () => '/rest/v1/invoices' },
];

function randomId(): number {
  return 1 + Math.floor(Math.random() * API_INVOICES);
}

/**
 * The API benchmark: each route under CONNECTIONS keep-alive connections (autocannon, in this
 * process), on the bare Fastify server and right after on invoice-app with API_INVOICES
 * invoices, in the same run on the same machine.
 */
export async function benchmarkApi(): Promise<ApiResult> {
  const port = await freePort();
  const bare = ManagedProcess.start(
    bareServer,
    // The services' heap flags and allocator settings, so that its rate and its memory are a Node process sized as theirs are.
    { PORT: String(port), INVOICES: String(API_INVOICES), ...SERVICE_RUNTIME_ENV },
    { nodeFlags: [], onOutput: () => undefined },
  );
  try {
    const bareUrl = `http://127.0.0.1:${port}`;
    await bare.waitForHttp(`${bareUrl}/rest/health`);
    // Both servers are up, each idle while the other is loaded: a route's two runs follow each
    // other, so that a busy spell on the machine hits a pair rather than one side.
    return await withPlatform({ invoices: API_INVOICES }, async (platform: Platform) => {
      const app = platform.invoiceApps[0]!.child.pid!;
      const routes: RouteComparison[] = [];
      for (const { route, path } of ROUTES) {
        routes.push({
          route,
          bare: await load(
            bareUrl,
            path,
            () => cpuSeconds(bare.child.pid!),
            async () => 0,
          ),
          service: await load(
            platform.invoiceAppUrls[0]!,
            path,
            () => cpuSeconds(app),
            () => postgresCpuSeconds(platform),
          ),
        });
      }
      return { routes, bareMemory: await processMemory(bare.child.pid!) };
    });
  } finally {
    await bare.stop();
  }
}

async function load(
  url: string,
  path: () => string,
  serverCpu: () => Promise<number>,
  databaseCpu: () => Promise<number>,
): Promise<LoadRun> {
  const options = {
    url,
    connections: CONNECTIONS,
    requests: [
      { method: 'GET' as const, setupRequest: (request: autocannon.Request) => ({ ...request, path: path() }) },
    ],
  };
  await untilQuiet();
  await autocannon({ ...options, duration: WARMUP_SECONDS });
  const [serverBefore, databaseBefore] = [await serverCpu(), await databaseCpu()];
  const result = await autocannon({ ...options, duration: DURATION_SECONDS });
  const [serverAfter, databaseAfter] = [await serverCpu(), await databaseCpu()];
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors,
    serverCores: (serverAfter - serverBefore) / result.duration,
    databaseCores: (databaseAfter - databaseBefore) / result.duration,
  };
}
