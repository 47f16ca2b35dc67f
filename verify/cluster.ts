import type { K8sObject, Labels } from './kubernetes.js';
import { isNamespaced } from './kubernetes.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';
import { operatorObjects, operatorPods, type OperatorPods } from './operators.js';
import type { Workload } from './workload.js';
import { workloadsOf } from './workload.js';

/**
 * What the cluster would hold after `kubectl apply` of the manifests: the objects, indexed for the
 * look-ups that cross-reference checks, the reachability matrix and the RBAC matrix make.
 */
export class Cluster {
  readonly workloads: readonly Workload[];
  /** Pods the operators run for custom resources (Postgres instances, PgBouncer), which no workload template shows. */
  readonly operatorPods: readonly OperatorPods[];
  /** Secrets and Services the operators create for custom resources, which references may name. */
  readonly operatorObjects: readonly Manifest[];

  constructor(readonly manifests: readonly Manifest[]) {
    this.workloads = workloadsOf(manifests);
    this.operatorPods = operatorPods(manifests);
    this.operatorObjects = operatorObjects(manifests);
  }

  /** The labels of every group of pods: the workloads' templates and the operators' pods. */
  podGroups(): { namespace: string; labels: Labels; manifest: Manifest }[] {
    return [
      ...this.workloads.map((w) => ({ namespace: w.namespace, labels: w.podLabels, manifest: w.manifest })),
      ...this.operatorPods.map((p) => ({ namespace: p.namespace, labels: p.labels, manifest: p.manifest })),
    ];
  }

  /** Every manifest of a kind, e.g. `ofKind('Service')`. */
  ofKind(kind: string): Manifest[] {
    return this.manifests.filter((manifest) => manifest.object.kind === kind);
  }

  /** The object of this kind and name, in this namespace for namespaced kinds: in the manifests, or made by an operator. */
  find(kind: string, name: string, namespace?: string): Manifest | undefined {
    const matches = ({ object }: Manifest) =>
      object.kind === kind &&
      object.metadata?.name === name &&
      (!isNamespaced(kind) || namespaceOf(object) === (namespace ?? 'default'));
    return this.manifests.find(matches) ?? this.operatorObjects.find(matches);
  }

  /** Names of the namespaces the manifests create. */
  namespaces(): string[] {
    return this.ofKind('Namespace').map(({ object }) => object.metadata?.name ?? '');
  }

  /**
   * The labels a namespace has on the cluster: its own plus `kubernetes.io/metadata.name`, which
   * the API server sets on every namespace (1.22+) and which NetworkPolicies select namespaces by.
   */
  namespaceLabels(namespace: string): Labels {
    const object: K8sObject | undefined = this.find('Namespace', namespace)?.object;
    return { ...(object?.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': namespace };
  }
}
