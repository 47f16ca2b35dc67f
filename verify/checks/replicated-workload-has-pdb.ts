import type { Check } from '../check.js';
import { finding } from '../check.js';
import { budgetsFor } from '../pod-disruption-budget.js';

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
