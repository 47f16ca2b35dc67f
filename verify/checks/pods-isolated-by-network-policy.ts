import type { Check } from '../check.js';
import { finding } from '../check.js';
import { policySelects, policyTypesOf, specOf } from '../network-policy.js';

export const podsIsolatedByNetworkPolicy: Check = {
  name: 'pods-isolated-by-network-policy',
  category: 'best-practice',
  reason:
    'A pod no NetworkPolicy selects accepts and opens connections to anything: every pod needs ingress and egress rules.',
  equivalents: ['kube-score:pod-networkpolicy', 'kube-linter:non-isolated-pod'],
  run(cluster) {
    const policies = cluster.ofKind('NetworkPolicy');
    // Operators' pods too: a Postgres instance no policy selects is as open as any other pod.
    return cluster.podGroups().flatMap((group) => {
      const pod = { namespace: group.namespace, labels: group.labels, namespaceLabels: {} };
      const applying = policies.filter((policy) => policySelects(policy, pod));
      const missing = (['ingress', 'egress'] as const).filter(
        (direction) => !applying.some((policy) => policyTypesOf(specOf(policy))[direction]),
      );
      return missing.length === 0
        ? []
        : [finding(group.manifest, undefined, `no NetworkPolicy isolates its pods for ${missing.join(' and ')}`)];
    });
  },
};
