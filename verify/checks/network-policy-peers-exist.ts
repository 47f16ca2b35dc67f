import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { isEmptySelector, selects } from '../label-selector.js';
import { namespaceOf } from '../manifest.js';
import { specOf } from '../network-policy.js';

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
