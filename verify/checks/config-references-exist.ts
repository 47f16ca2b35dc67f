import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Cluster } from '../cluster.js';
import { deployTimeObjects } from '../exemptions.js';
import type { IngressSpec } from '../kubernetes.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';
import { containersOf } from '../workload.js';

/** A reference to a ConfigMap or Secret (and maybe one of its keys) from somewhere in an object. */
interface ConfigReference {
  readonly manifest: Manifest;
  readonly path: string;
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly namespace: string;
  readonly keys: readonly string[];
  readonly optional: boolean;
}

function referencesOf(cluster: Cluster): ConfigReference[] {
  const references: ConfigReference[] = [];
  for (const workload of cluster.workloads) {
    const at = (
      path: string,
      kind: 'ConfigMap' | 'Secret',
      name: string | undefined,
      keys: string[],
      optional = false,
    ) => {
      if (name)
        references.push({
          manifest: workload.manifest,
          path,
          kind,
          name,
          namespace: workload.namespace,
          keys,
          optional,
        });
    };
    for (const { container, path } of containersOf(workload)) {
      (container.env ?? []).forEach((env, index) => {
        const { configMapKeyRef: cm, secretKeyRef: secret } = env.valueFrom ?? {};
        if (cm) at(`${path}.env[${index}]`, 'ConfigMap', cm.name, cm.key ? [cm.key] : [], cm.optional);
        if (secret) at(`${path}.env[${index}]`, 'Secret', secret.name, secret.key ? [secret.key] : [], secret.optional);
      });
      (container.envFrom ?? []).forEach((source, index) => {
        if (source.configMapRef)
          at(`${path}.envFrom[${index}]`, 'ConfigMap', source.configMapRef.name, [], source.configMapRef.optional);
        if (source.secretRef)
          at(`${path}.envFrom[${index}]`, 'Secret', source.secretRef.name, [], source.secretRef.optional);
      });
    }
    (workload.spec.volumes ?? []).forEach((volume, index) => {
      const path = `${workload.specPath}.volumes[${index}]`;
      const keys = (items?: { key: string }[]) => (items ?? []).map((item) => item.key);
      if (volume.configMap)
        at(path, 'ConfigMap', volume.configMap.name, keys(volume.configMap.items), volume.configMap.optional);
      if (volume.secret)
        at(path, 'Secret', volume.secret.secretName, keys(volume.secret.items), volume.secret.optional);
      (volume.projected?.sources ?? []).forEach((source) => {
        if (source.configMap) at(path, 'ConfigMap', source.configMap.name, [], source.configMap.optional);
        if (source.secret) at(path, 'Secret', source.secret.name, [], source.secret.optional);
      });
    });
    (workload.spec.imagePullSecrets ?? []).forEach((secret, index) =>
      at(`${workload.specPath}.imagePullSecrets[${index}]`, 'Secret', secret.name, []),
    );
  }
  for (const ingress of cluster.ofKind('Ingress')) {
    ((ingress.object.spec ?? {}) as IngressSpec).tls?.forEach((tls, index) => {
      if (tls.secretName) {
        references.push({
          manifest: ingress,
          path: `spec.tls[${index}].secretName`,
          kind: 'Secret',
          name: tls.secretName,
          namespace: namespaceOf(ingress.object),
          keys: [],
          optional: false,
        });
      }
    });
  }
  return references;
}

function keysOf(object: Manifest['object']): Set<string> {
  const fields = object.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  return new Set(fields.flatMap((field) => Object.keys((object[field] ?? {}) as Record<string, unknown>)));
}

export const configReferencesExist: Check = {
  name: 'config-references-exist',
  category: 'reference',
  reason: 'A pod that references a missing ConfigMap, Secret or key never starts (CreateContainerConfigError).',
  run(cluster) {
    const createdLater = deployTimeObjects(cluster.manifests);
    return referencesOf(cluster).flatMap((reference): Finding[] => {
      if (reference.optional) return [];
      const { kind, name, namespace } = reference;
      const declared = createdLater.some(
        (created) => created.kind === kind && created.name === name && created.namespace === namespace,
      );
      if (declared) return [];
      const target = cluster.find(kind, name, namespace);
      if (!target) {
        return [
          finding(
            reference.manifest,
            reference.path,
            `${kind} ${namespace}/${name} does not exist (nor is it declared in a verify.billing/created-at-deploy annotation)`,
          ),
        ];
      }
      const keys = keysOf(target.object);
      return reference.keys
        .filter((key) => !keys.has(key))
        .map((key) => finding(reference.manifest, reference.path, `${kind} ${namespace}/${name} has no key "${key}"`));
    });
  },
};
