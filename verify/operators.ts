import type { K8sObject, Labels } from './kubernetes.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';

// What the operators make of the custom resources in the manifests: the Secrets and Services that
// other objects name (a CloudNativePG cluster's `<name>-app` credentials, its `-rw` Service, the
// Secret cert-manager writes for a Certificate) and the pods that network policies select (Postgres
// instances, PgBouncer). Checks resolve references to them as to objects in the manifests, so a
// typo in `<cluster>-app` or in a key is caught, as it is for a Secret that dist/ holds.

/** Pods an operator runs for a custom resource. */
export interface OperatorPods {
  /** The custom resource they are for. */
  readonly manifest: Manifest;
  readonly namespace: string;
  readonly labels: Labels;
  /** Container ports by name. */
  readonly ports: Record<string, number>;
}

/** Keys of the Secret CloudNativePG generates for the application owner. */
const CNPG_APP_SECRET_KEYS = ['username', 'password', 'dbname', 'host', 'port', 'uri', 'jdbc-uri', 'pgpass'];
const TLS_SECRET_KEYS = ['tls.crt', 'tls.key', 'ca.crt'];

function spec(object: K8sObject): Record<string, unknown> {
  return (object.spec ?? {}) as Record<string, unknown>;
}

function made(by: Manifest, object: { kind: string; metadata: { name: string }; [field: string]: unknown }): Manifest {
  const metadata = { ...object.metadata, namespace: namespaceOf(by.object) };
  return {
    object: { apiVersion: 'v1', ...object, metadata },
    source: `${by.source} (made by its operator)`,
    order: by.order,
  };
}

const secret = (by: Manifest, name: string, keys: string[]) =>
  made(by, { kind: 'Secret', metadata: { name }, data: Object.fromEntries(keys.map((key) => [key, ''])) });
const service = (by: Manifest, name: string, port: number, portName: string) =>
  made(by, { kind: 'Service', metadata: { name }, spec: { ports: [{ name: portName, port }] } });

/** The Secrets and Services the operators create for the manifests' custom resources. */
export function operatorObjects(manifests: readonly Manifest[]): Manifest[] {
  return manifests.flatMap((manifest) => {
    const { apiVersion, kind, metadata } = manifest.object;
    const name = metadata?.name ?? '';
    if (apiVersion === 'postgresql.cnpg.io/v1' && kind === 'Cluster') {
      return [
        secret(manifest, `${name}-app`, CNPG_APP_SECRET_KEYS),
        ...['rw', 'ro', 'r'].map((suffix) => service(manifest, `${name}-${suffix}`, 5432, 'postgres')),
      ];
    }
    if (apiVersion === 'postgresql.cnpg.io/v1' && kind === 'Pooler')
      return [service(manifest, name, 5432, 'pgbouncer')];
    if (apiVersion === 'cert-manager.io/v1' && kind === 'Certificate') {
      const secretName = spec(manifest.object).secretName;
      return typeof secretName === 'string' ? [secret(manifest, secretName, TLS_SECRET_KEYS)] : [];
    }
    return [];
  });
}

/** The pods the operators run for the manifests' custom resources, with the labels they put on them. */
export function operatorPods(manifests: readonly Manifest[]): OperatorPods[] {
  return manifests.flatMap((manifest): OperatorPods[] => {
    const { apiVersion, kind, metadata } = manifest.object;
    const name = metadata?.name ?? '';
    const namespace = namespaceOf(manifest.object);
    if (apiVersion === 'postgresql.cnpg.io/v1' && kind === 'Cluster') {
      const inherited = ((spec(manifest.object).inheritedMetadata ?? {}) as { labels?: Labels }).labels ?? {};
      return [
        {
          manifest,
          namespace,
          labels: { ...inherited, 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' },
          ports: { postgresql: 5432, status: 8000, metrics: 9187 },
        },
      ];
    }
    if (apiVersion === 'postgresql.cnpg.io/v1' && kind === 'Pooler') {
      const template = (spec(manifest.object).template ?? {}) as { metadata?: { labels?: Labels } };
      return [
        {
          manifest,
          namespace,
          labels: { ...(template.metadata?.labels ?? {}), 'cnpg.io/poolerName': name, 'cnpg.io/podRole': 'pooler' },
          ports: { pgbouncer: 5432, metrics: 9127 },
        },
      ];
    }
    return [];
  });
}
