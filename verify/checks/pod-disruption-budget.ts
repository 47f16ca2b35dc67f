import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Cluster } from '../cluster.js';
import type { IntOrString, LabelSelector } from '../kubernetes.js';
import { selects } from '../label-selector.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';
import type { Workload } from '../workload.js';

interface PdbSpec {
  selector?: LabelSelector;
  minAvailable?: IntOrString;
  maxUnavailable?: IntOrString;
  unhealthyPodEvictionPolicy?: string;
}

const specOf = (manifest: Manifest) => (manifest.object.spec ?? {}) as PdbSpec;

/** The PDBs whose selector covers the workload's pods. */
function budgetsFor(cluster: Cluster, workload: Workload): Manifest[] {
  return cluster
    .ofKind('PodDisruptionBudget')
    .filter(
      (pdb) => namespaceOf(pdb.object) === workload.namespace && selects(specOf(pdb).selector, workload.podLabels),
    );
}

/** How many pods the budget lets an eviction take away from `replicas`. */
function allowedDisruptions(spec: PdbSpec, replicas: number): number {
  const resolve = (value: IntOrString, roundUp: boolean) => {
    if (typeof value === 'number') return value;
    const percent = Number(value.replace('%', '')) / 100;
    return roundUp ? Math.ceil(percent * replicas) : Math.floor(percent * replicas);
  };
  if (spec.maxUnavailable !== undefined) return resolve(spec.maxUnavailable, true);
  if (spec.minAvailable !== undefined) return replicas - resolve(spec.minAvailable, true);
  return replicas;
}

const isValidBudgetValue = (value: IntOrString) =>
  typeof value === 'number'
    ? Number.isInteger(value) && value >= 0
    : /^\d+%$/.test(value) && Number(value.slice(0, -1)) <= 100;

export const pdbFields: Check = {
  name: 'pdb-fields',
  category: 'api-server',
  reason:
    'A PodDisruptionBudget sets one of minAvailable and maxUnavailable, each a non-negative integer or a percentage.',
  run(cluster) {
    return cluster.ofKind('PodDisruptionBudget').flatMap((manifest) => {
      const spec = specOf(manifest);
      const found: Finding[] = [];
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
        found.push(finding(manifest, 'spec', 'minAvailable and maxUnavailable cannot be both set'));
      }
      for (const field of ['minAvailable', 'maxUnavailable'] as const) {
        const value = spec[field];
        if (value !== undefined && !isValidBudgetValue(value)) {
          found.push(
            finding(manifest, `spec.${field}`, `${value} must be a non-negative integer or a percentage up to 100%`),
          );
        }
      }
      return found;
    });
  },
};

export const replicatedWorkloadHasPdb: Check = {
  name: 'replicated-workload-has-pdb',
  category: 'best-practice',
  reason:
    'A workload with more than one replica needs a PodDisruptionBudget so that a node drain never takes all of it down.',
  equivalents: ['kube-score:deployment-has-poddisruptionbudget', 'kube-score:statefulset-has-poddisruptionbudget'],
  run(cluster) {
    return cluster.workloads
      .filter((workload) => ['Deployment', 'StatefulSet'].includes(workload.kind) && workload.replicas > 1)
      .flatMap((workload) =>
        budgetsFor(cluster, workload).length > 0
          ? []
          : [
              finding(
                workload.manifest,
                undefined,
                `${workload.replicas} replicas and no PodDisruptionBudget selects its pods`,
              ),
            ],
      );
  },
};

export const pdbAllowsDisruption: Check = {
  name: 'pdb-allows-disruption',
  category: 'best-practice',
  reason: 'A budget that allows no disruption at all blocks every node drain and cluster upgrade.',
  equivalents: ['kube-linter:pdb-max-unavailable', 'kube-linter:pdb-min-available'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      budgetsFor(cluster, workload)
        .filter((pdb) => allowedDisruptions(specOf(pdb), workload.replicas) < 1)
        .map((pdb) =>
          finding(
            pdb,
            'spec',
            `allows no disruption of ${workload.kind} ${workload.name} (${workload.replicas} replicas)`,
          ),
        ),
    );
  },
};

export const pdbUnhealthyPodEvictionPolicy: Check = {
  name: 'pdb-unhealthy-pod-eviction-policy',
  category: 'best-practice',
  reason:
    'Without unhealthyPodEvictionPolicy: AlwaysAllow, crash-looping pods count against the budget and block drains.',
  equivalents: ['kube-linter:pdb-unhealthy-pod-eviction-policy'],
  run(cluster) {
    return cluster
      .ofKind('PodDisruptionBudget')
      .flatMap((manifest) =>
        specOf(manifest).unhealthyPodEvictionPolicy === undefined
          ? [finding(manifest, 'spec.unhealthyPodEvictionPolicy', 'set unhealthyPodEvictionPolicy: AlwaysAllow')]
          : [],
      );
  },
};
