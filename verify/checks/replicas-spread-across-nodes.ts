import type { Check } from '../check.js';
import { finding } from '../check.js';
import type { PodAffinityTerm } from '../kubernetes.js';
import { selects } from '../label-selector.js';
import type { Workload } from '../workload.js';

const HOSTNAME = 'kubernetes.io/hostname';

/** Whether the pods of a workload are kept off one node: host anti-affinity or a hostname spread constraint on themselves. */
function spreadsAcrossNodes(workload: Workload): boolean {
  const antiAffinity = workload.spec.affinity?.podAntiAffinity;
  const terms: PodAffinityTerm[] = [
    ...(antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => term.podAffinityTerm),
  ];
  const byAffinity = terms.some(
    (term) => term?.topologyKey === HOSTNAME && selects(term.labelSelector, workload.podLabels),
  );
  const bySpread = (workload.spec.topologySpreadConstraints ?? []).some(
    (constraint) => constraint.topologyKey === HOSTNAME && selects(constraint.labelSelector, workload.podLabels),
  );
  return byAffinity || bySpread;
}

export const replicasSpreadAcrossNodes: Check = {
  name: 'replicas-spread-across-nodes',
  category: 'best-practice',
  reason: 'Replicas scheduled on one node all die with it: spread them by hostname (anti-affinity or topology spread).',
  equivalents: [
    'kube-linter:no-anti-affinity',
    'kube-score:deployment-has-host-podantiaffinity',
    'kube-score:statefulset-has-host-podantiaffinity',
  ],
  run(cluster) {
    return cluster.workloads
      .filter((workload) => ['Deployment', 'StatefulSet'].includes(workload.kind) && workload.replicas > 1)
      .filter((workload) => !spreadsAcrossNodes(workload))
      .map((workload) =>
        finding(
          workload.manifest,
          `${workload.specPath}.affinity`,
          `${workload.replicas} replicas without podAntiAffinity or a topologySpreadConstraint on ${HOSTNAME} that selects its own pods`,
        ),
      );
  },
};
