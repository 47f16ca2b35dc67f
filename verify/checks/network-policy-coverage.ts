import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { isEmptySelector, selects } from '../label-selector.js';
import { namespaceOf } from '../manifest.js';
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

export const networkPolicyPeersExist: Check = {
  name: 'network-policy-peers-exist',
  category: 'reference',
  reason: 'A rule whose podSelector matches no pod in the namespaces it names allows nothing: usually a label typo.',
  equivalents: ['kube-linter:dangling-networkpolicypeer-podselector'],
  run(cluster) {
    const namespaces = cluster.namespaces();
    return cluster.ofKind('NetworkPolicy').flatMap((policy) => {
      const spec = specOf(policy);
      const rules = [
        ...(spec.ingress ?? []).map((rule, index) => ({ peers: rule.from ?? [], at: `spec.ingress[${index}].from` })),
        ...(spec.egress ?? []).map((rule, index) => ({ peers: rule.to ?? [], at: `spec.egress[${index}].to` })),
      ];
      return rules.flatMap(({ peers, at }) =>
        peers.flatMap((peer, index): Finding[] => {
          if (!peer.podSelector || isEmptySelector(peer.namespaceSelector)) return [];
          // Only namespaces the manifests create can be judged; others (ingress controller, kube-dns) are outside them.
          const candidates = peer.namespaceSelector
            ? namespaces.filter((namespace) => selects(peer.namespaceSelector, cluster.namespaceLabels(namespace)))
            : [namespaceOf(policy.object)];
          if (candidates.length === 0) return [];
          const matched = cluster
            .podGroups()
            .some((group) => candidates.includes(group.namespace) && selects(peer.podSelector, group.labels));
          return matched
            ? []
            : [
                finding(
                  policy,
                  `${at}[${index}].podSelector`,
                  `matches no pod of the manifests in ${candidates.join(', ')}`,
                ),
              ];
        }),
      );
    });
  },
};
