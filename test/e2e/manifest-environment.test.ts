import { describe, expect, it } from 'vitest';
import { Manifests } from '../../charts/index.js';
import { invoiceAppEnvironment, paymentProviderEnvironment, type Environment } from '@billing/devkit';

// npm start must configure each service through exactly the variables its Kubernetes
// manifest gives it, with the same values wherever the value is not about where things are.
interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: {
    template?: {
      spec: {
        containers: { name: string; env?: { name: string }[]; envFrom?: { configMapRef?: { name: string } }[] }[];
      };
    };
  };
}

async function loadDist(): Promise<Manifest[]> {
  return Manifests.load(['dist']).objects as Manifest[];
}

/** Every variable the Deployment's container gets, with the ConfigMap values where there are any. */
function manifestEnvironment(manifests: Manifest[], deployment: string): Map<string, string | undefined> {
  const object = manifests.find((manifest) => manifest.kind === 'Deployment' && manifest.metadata.name === deployment);
  const container = object?.spec?.template?.spec.containers.find((candidate) => candidate.name === deployment);
  if (!object || !container) throw new Error(`no Deployment ${deployment} in dist/`);
  const variables = new Map<string, string | undefined>();
  for (const source of container.envFrom ?? []) {
    const configMap = manifests.find(
      (manifest) =>
        manifest.kind === 'ConfigMap' &&
        manifest.metadata.name === source.configMapRef?.name &&
        manifest.metadata.namespace === object.metadata.namespace,
    );
    for (const [name, value] of Object.entries(configMap?.data ?? {})) variables.set(name, value);
  }
  for (const variable of container.env ?? []) variables.set(variable.name, undefined);
  return variables;
}

const wiring = {
  port: 1,
  databaseUrl: 'postgres://local',
  paymentProviderToken: 'token',
  paymentProviderUrl: 'http://local',
  billingApiToken: 'token',
};
// Where things are differs by design; so does the bind address, and the provider's fault and
// seed knobs exist for local testing only (the contract's npm start passes them through).
const placement = new Set([
  'PORT',
  'DATABASE_URL',
  'PAYMENT_PROVIDER_ENDPOINT',
  'PAYMENT_PROVIDER_TOKEN',
  'BILLING_API_TOKEN',
]);
const localOnly = new Set(['HOST', 'RANDOM_SEED', 'FAULT_LATENCY_MS', 'FAULT_ERROR_RATE']);
// The pod's value is tied to its terminationGracePeriodSeconds; locally the kit's default applies.
const clusterOnly = new Set(['SHUTDOWN_TIMEOUT_MS']);

function compare(local: Environment, cluster: Map<string, string | undefined>) {
  const localNames = Object.keys(local).filter((name) => !localOnly.has(name));
  const clusterNames = [...cluster.keys()].filter((name) => !clusterOnly.has(name));
  expect(localNames.sort()).toEqual(clusterNames.sort());
  for (const name of localNames.filter((candidate) => !placement.has(candidate))) {
    if (cluster.get(name) !== undefined) expect(local[name], name).toBe(cluster.get(name));
  }
}

describe('npm start configures the services as the manifests do', () => {
  it('invoice-app: the same variables, and the same values where they are not about placement', async () => {
    compare(invoiceAppEnvironment({}, wiring), manifestEnvironment(await loadDist(), 'invoice-app'));
  });

  it('payment-provider: the same variables, and the same values where they are not about placement', async () => {
    compare(paymentProviderEnvironment({}, wiring), manifestEnvironment(await loadDist(), 'payment-provider'));
  });
});
