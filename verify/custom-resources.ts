import type { Cluster } from './cluster.js';
import { deployTimeObjects } from './exemptions.js';
import type { Manifest } from './manifest.js';

// References between custom resources, and from them to built-in objects, resolved as
// config-references-exist and ingress-backends-exist resolve those of built-in objects: against the
// manifests, the objects the operators make of them (verify/operators.ts), and what a
// `verify.billing/created-at-deploy` annotation declares.

export type Spec = Record<string, unknown>;
export const specOf = (manifest: Manifest) => (manifest.object.spec ?? {}) as Spec;

/** Whether an object exists in the manifests, is made by an operator, or is declared as created at deploy time. */
export function objectExists(cluster: Cluster, kind: string, name: string, namespace: string): boolean {
  if (cluster.find(kind, name, namespace)) return true;
  return deployTimeObjects(cluster.manifests).some(
    (created) =>
      created.kind === kind && created.name === name && (kind === 'ClusterIssuer' || created.namespace === namespace),
  );
}

export function missingObject(kind: string, name: string, namespace: string): string {
  return `${kind} ${namespace}/${name} does not exist (nor is it made by an operator of the manifests or declared in verify.billing/created-at-deploy)`;
}
