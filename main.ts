// The program `npx cdk8s synth` and `npm run synth` run: it writes every environment's
// manifests. dev goes to dist/ itself, so `kubectl apply -f dist` (which does not recurse)
// deploys dev to an empty kind or minikube cluster; prod goes to dist/prod/.
//
//   npm run synth                                    every environment, default registry and tag
//   npm run synth -- --env prod --tag 1f2e3d4 --outdir build   one environment, one build
//
// IMAGE_REGISTRY and IMAGE_TAG do the same as --registry and --tag (for `npx cdk8s synth`).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BillingPlatform,
  createPlatformApp,
  ImageRegistry,
  NetworkPeer,
  type BillingPlatformProps,
} from './charts/index.js';

/** The release in package.json: the image tag when none is given. */
const VERSION: string = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;

/** What an environment decides, given the registry it pulls from. */
interface Environment {
  /** Below the output folder: '.' for dev, so that `kubectl apply -f dist` deploys it. */
  readonly folder: string;
  /** Where its images come from when nobody says otherwise. */
  readonly registry: string;
  readonly settings: Omit<BillingPlatformProps, 'registry'>;
}

export const ENVIRONMENTS = {
  /** kind or minikube: in-cluster databases, a local registry, seeded data, few replicas. */
  dev: {
    folder: '.',
    registry: 'localhost:5001',
    settings: {
      invoiceApp: {
        replicas: { min: 2, max: 3 },
        env: { SEED_CUSTOMERS: '100', SEED_INVOICES_PER_CUSTOMER: '10' },
      },
      paymentProvider: { replicas: { min: 1, max: 2 }, env: { PAYMENT_SUCCESS_RATE: '0.5' } },
    },
  },
  /** Production: managed databases (their Secrets come from the operator), TLS, more replicas. */
  prod: {
    folder: 'prod',
    registry: 'registry.example.com/billing',
    settings: {
      externalDatabases: {
        invoices: { secret: 'invoice-app-db-credentials', cidr: '10.20.0.0/24' },
        payments: { secret: 'payment-provider-db-credentials', cidr: '10.20.1.0/24' },
      },
      invoiceApp: { replicas: { min: 3, max: 10 } },
      paymentProvider: { replicas: { min: 2, max: 6 } },
      quota: { requestsCpu: '8', requestsMemory: '8Gi', limitsCpu: '16', limitsMemory: '16Gi', pods: 60 },
      host: 'billing.example.com',
      tlsSecret: 'billing-tls',
      metricsScraper: NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
    },
  },
} satisfies Record<string, Environment>;

export type EnvironmentName = keyof typeof ENVIRONMENTS;

/** Options of one synthesis. */
export interface SynthOptions {
  /** The folder dev goes to and other environments below. */
  readonly outdir: string;
  /** Only this environment. @default every environment */
  readonly env?: EnvironmentName;
  /** Overrides the environment's registry. */
  readonly registry?: string;
  /** Overrides the image tag. @default the version in package.json */
  readonly tag?: string;
}

/** Writes the manifests of the chosen environments and returns the folders written. */
export function synthesize(options: SynthOptions): string[] {
  const names = options.env ? [options.env] : (Object.keys(ENVIRONMENTS) as EnvironmentName[]);
  return names.map((name) => {
    const environment: Environment = ENVIRONMENTS[name];
    const outdir = join(options.outdir, environment.folder);
    removeManifests(outdir);
    const app = createPlatformApp({ outdir });
    const registry = new ImageRegistry(options.registry ?? environment.registry, options.tag ?? VERSION);
    new BillingPlatform(app, { ...environment.settings, registry });
    app.synth();
    return outdir;
  });
}

/** Old files of charts that no longer exist must not linger (and be applied). */
function removeManifests(folder: string): void {
  let files: string[];
  try {
    files = readdirSync(folder);
  } catch {
    return;
  }
  for (const file of files.filter((f) => f.endsWith('.k8s.yaml'))) rmSync(join(folder, file));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      registry: { type: 'string' },
      tag: { type: 'string' },
      outdir: { type: 'string' },
    },
  });
  const env = values.env;
  if (env !== undefined && !(env in ENVIRONMENTS)) {
    throw new Error(`Unknown environment '${env}'. Choose one of: ${Object.keys(ENVIRONMENTS).join(', ')}.`);
  }
  const written = synthesize({
    outdir: values.outdir ?? process.env.CDK8S_OUTDIR ?? 'dist',
    env: env as EnvironmentName | undefined,
    registry: values.registry ?? (process.env.IMAGE_REGISTRY || undefined),
    tag: values.tag ?? (process.env.IMAGE_TAG || undefined),
  });
  process.stdout.write(`manifests written to ${written.join(', ')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
