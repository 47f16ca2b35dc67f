import type { Check } from '../check.js';
import { finding } from '../check.js';
import type { IntOrString } from '../kubernetes.js';
import { type PdbSpec, pdbSpecOf, budgetsFor } from '../pod-disruption-budget.js';

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

export const pdbAllowsDisruption: Check = {
  name: 'pdb-allows-disruption',
  category: 'best-practice',
  reason: 'A budget that allows no disruption at all blocks every node drain and cluster upgrade.',
  equivalents: ['kube-linter:pdb-max-unavailable', 'kube-linter:pdb-min-available'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      budgetsFor(cluster, workload)
        .filter((pdb) => allowedDisruptions(pdbSpecOf(pdb), workload.replicas) < 1)
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
