import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { App } from 'cdk8s';
import { BillingPlatform, type BillingPlatformProps } from './billing-platform.js';
import { ImageRegistry } from './image.js';
import { NetworkPeer } from './network-policy.js';
import { createPlatformApp } from './server-normalizer.js';

/** The release in package.json: the image tag when none is given. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** What an environment decides, given the registry it pulls from. */
export interface Environment {
  /** Below the output folder: '.' for dev, so that `kubectl apply -f dist` deploys it. */
  readonly folder: string;
  /** Where its images come from when nobody says otherwise. */
  readonly registry: string;
  /** The platform's settings in this environment. */
  readonly settings: Omit<BillingPlatformProps, 'registry'>;
}

export const ENVIRONMENTS = {
  /** kind or minikube: in-cluster databases, a local registry, seeded data, few replicas. */
  dev: {
    folder: '.',
    registry: 'localhost:5001',
    settings: {
      services: {
        'invoice-app': {
          replicas: { min: 2, max: 3 },
          env: { SEED_CUSTOMERS: '100', SEED_INVOICES_PER_CUSTOMER: '10' },
        },
        'payment-provider': { replicas: { min: 1, max: 2 }, env: { PAYMENT_SUCCESS_RATE: '0.5' } },
      },
    },
  },
  /** Production: managed databases (their Secrets come from the operator), TLS, more replicas. */
  prod: {
    folder: 'prod',
    registry: 'registry.example.com/billing',
    settings: {
      services: {
        'invoice-app': {
          replicas: { min: 3, max: 10 },
          externalDatabase: { secret: 'invoice-app-db-credentials', cidr: '10.20.0.0/24' },
        },
        'payment-provider': {
          replicas: { min: 2, max: 6 },
          externalDatabase: { secret: 'payment-provider-db-credentials', cidr: '10.20.1.0/24' },
        },
      },
      quota: { requestsCpu: '8', requestsMemory: '8Gi', limitsCpu: '16', limitsMemory: '16Gi', pods: 60 },
      host: 'billing.example.com',
      tlsSecret: 'billing-tls',
      metricsScraper: NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
    },
  },
} satisfies Record<string, Environment>;

export type EnvironmentName = keyof typeof ENVIRONMENTS;

/** Adds to the platform before it is synthesized: more teams, services, connections. */
export type PlatformExtension = (platform: BillingPlatform, environment: EnvironmentName) => void;

/** Options of building one environment's platform. */
export interface BuildOptions {
  /** Overrides the environment's registry. @default the environment's */
  readonly registry?: string;
  /** Overrides the image tag. @default VERSION */
  readonly tag?: string;
  /** Called with the platform before synthesis, once per environment. @default none */
  readonly extend?: PlatformExtension;
  /** Where the App writes when synthesized. @default cdk8s's default */
  readonly outdir?: string;
}

/** Options of one synthesis. */
export interface SynthOptions extends Omit<BuildOptions, 'outdir'> {
  /** The folder dev goes to, and other environments below. */
  readonly outdir: string;
  /** Only this environment. @default every environment */
  readonly env?: EnvironmentName;
}

/** Whether `name` is an environment; the error says which ones there are. */
export function checkEnvironment(name: string): EnvironmentName {
  if (!(name in ENVIRONMENTS)) {
    throw new Error(`Unknown environment '${name}'. Choose one of: ${Object.keys(ENVIRONMENTS).join(', ')}.`);
  }
  return name as EnvironmentName;
}

/** One environment's App with its platform, extended, not yet synthesized (tests synthesize it to objects). */
export function buildEnvironment(
  name: EnvironmentName,
  options: BuildOptions = {},
): { app: App; platform: BillingPlatform } {
  const environment: Environment = ENVIRONMENTS[name];
  const app = createPlatformApp(options.outdir === undefined ? {} : { outdir: options.outdir });
  const registry = new ImageRegistry(options.registry ?? environment.registry, options.tag ?? VERSION);
  const platform = new BillingPlatform(app, { ...environment.settings, registry });
  options.extend?.(platform, name);
  return { app, platform };
}

/**
 * Writes the manifests of the chosen environments and returns the folders written. Every
 * environment is built and synthesized into a staging folder first: a bad option or a failed
 * validation leaves the manifests already in `outdir` exactly as they were. Then each file is
 * renamed into place (atomic per file), and manifests of charts that no longer exist are removed.
 */
export function synthesize(options: SynthOptions): string[] {
  const names = options.env ? [options.env] : (Object.keys(ENVIRONMENTS) as EnvironmentName[]);
  const outdir = resolve(options.outdir);
  mkdirSync(dirname(outdir), { recursive: true });
  const staged: { staging: string; target: string }[] = [];
  try {
    for (const name of names) {
      const staging = mkdtempSync(join(dirname(outdir), `.${basename(outdir)}-${name}-`));
      staged.push({ staging, target: join(options.outdir, ENVIRONMENTS[name].folder) });
      buildEnvironment(name, { ...options, outdir: staging }).app.synth();
    }
    for (const { staging, target } of staged) replaceManifests(staging, target);
  } finally {
    for (const { staging } of staged) rmSync(staging, { recursive: true, force: true });
  }
  return staged.map(({ target }) => target);
}

function replaceManifests(staging: string, target: string): void {
  mkdirSync(target, { recursive: true });
  const written = new Set(readdirSync(staging));
  for (const file of written) renameSync(join(staging, file), join(target, file));
  // Old files of charts that no longer exist must not linger (and be applied).
  for (const file of readdirSync(target)) {
    if (file.endsWith('.k8s.yaml') && !written.has(file)) rmSync(join(target, file));
  }
}
