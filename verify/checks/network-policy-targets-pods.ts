import type { Check } from '../check.js';
import { finding } from '../check.js';
import { selects } from '../label-selector.js';
import { namespaceOf } from '../manifest.js';
import { specOf } from '../network-policy.js';

export const networkPolicyTargetsPods: Check = {
  name: 'network-policy-targets-pods',
  category: 'reference',
  reason: 'A NetworkPolicy that selects no pod protects nothing: usually a label typo.',
  equivalents: ['kube-score:networkpolicy-targets-pod', 'kube-linter:dangling-networkpolicy'],
  run(cluster) {
    return cluster.ofKind('NetworkPolicy').flatMap((policy) => {
      const namespace = namespaceOf(policy.object);
      const selected = cluster
        .podGroups()
        .some((group) => group.namespace === namespace && selects(specOf(policy).podSelector, group.labels));
      return selected ? [] : [finding(policy, 'spec.podSelector', `selects no pod of the manifests in ${namespace}`)];
    });
  },
};
