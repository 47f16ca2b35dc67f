import type { Check } from '../check.js';
import { finding } from '../check.js';
import { pdbSpecOf } from '../pod-disruption-budget.js';

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
        pdbSpecOf(manifest).unhealthyPodEvictionPolicy === undefined
          ? [finding(manifest, 'spec.unhealthyPodEvictionPolicy', 'set unhealthyPodEvictionPolicy: AlwaysAllow')]
          : [],
      );
  },
};
