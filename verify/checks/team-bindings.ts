import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Subject } from '../kubernetes.js';
import { namespaceOf } from '../manifest.js';
import { madeBy, OWNED_BY, owners } from '../provenance.js';

export const teamBindings: Check = {
  name: 'team-bindings',
  category: 'intent',
  reason: `A team (the group a Namespace's ${OWNED_BY} annotation names, and the ServiceAccounts of its namespace) may be bound in its own namespace only.`,
  run(cluster) {
    const owned = owners(cluster.ofKind('Namespace').map((manifest) => manifest.object));
    const namespacesOf = (group: string) => [...owned].filter(([, owner]) => owner === group).map(([ns]) => ns);
    const found: Finding[] = [];
    for (const manifest of [...cluster.ofKind('RoleBinding'), ...cluster.ofKind('ClusterRoleBinding')]) {
      const clusterWide = manifest.object.kind === 'ClusterRoleBinding';
      const where = clusterWide ? 'every namespace' : namespaceOf(manifest.object);
      ((manifest.object.subjects ?? []) as Subject[]).forEach((subject, index) => {
        const home =
          subject.kind === 'Group'
            ? namespacesOf(subject.name)
            : subject.kind === 'ServiceAccount' && owned.has(subject.namespace ?? namespaceOf(manifest.object))
              ? [subject.namespace ?? namespaceOf(manifest.object)]
              : [];
        if (home.length === 0 || (!clusterWide && home.includes(where))) return;
        const who = subject.kind === 'Group' ? `Group ${subject.name}` : `ServiceAccount ${home[0]}/${subject.name}`;
        found.push(
          finding(
            manifest,
            `subjects[${index}]`,
            `binds ${who}, of team namespace ${home.join(', ')}, in ${where} (${madeBy(manifest.object)}): a team may act in its own namespace only. Fix: remove the binding; what a team needs of another namespace is a connection (connect) or an API, not rights there.`,
          ),
        );
      });
    }
    return found;
  },
};
