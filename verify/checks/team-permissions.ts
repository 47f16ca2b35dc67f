import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { madeBy, owners } from '../provenance.js';
import type { SubjectRef } from '../rbac.js';
import { Rbac, ruleAllows, subjectId, WRITE_VERBS } from '../rbac.js';

/**
 * What the platform owns in a team's namespace (and around it): who may talk to whom, what is
 * public, the quota and defaults, who may do what, and the admission policies. A team reads
 * these; writing one would undo its isolation.
 */
const PLATFORM_OWNED: readonly { group: string; resource: string; clusterScoped?: boolean }[] = [
  { group: 'networking.k8s.io', resource: 'networkpolicies' },
  { group: 'networking.k8s.io', resource: 'ingresses' },
  { group: 'gateway.networking.k8s.io', resource: 'httproutes' },
  { group: 'gateway.networking.k8s.io', resource: 'grpcroutes' },
  { group: 'gateway.networking.k8s.io', resource: 'tlsroutes' },
  { group: 'gateway.networking.k8s.io', resource: 'tcproutes' },
  { group: 'gateway.networking.k8s.io', resource: 'gateways' },
  { group: '', resource: 'resourcequotas' },
  { group: '', resource: 'limitranges' },
  { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  { group: '', resource: 'namespaces', clusterScoped: true },
  { group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicies', clusterScoped: true },
  { group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicybindings', clusterScoped: true },
];

export const teamPermissions: Check = {
  name: 'team-permissions',
  category: 'intent',
  reason:
    "A team (the group a Namespace's owner annotation names, and its namespace's ServiceAccounts) deploys workloads: it may not write what the platform owns, which would let it undo its own isolation.",
  run(cluster) {
    const rbac = new Rbac(cluster);
    const found: Finding[] = [];
    for (const [namespace, group] of owners(cluster.ofKind('Namespace').map((manifest) => manifest.object))) {
      const team: SubjectRef[] = [
        { kind: 'Group', name: group },
        ...rbac.subjects().filter((subject) => subject.kind === 'ServiceAccount' && subject.namespace === namespace),
      ];
      for (const subject of team) {
        const granted = new Map<string, { grant: ReturnType<Rbac['grantsOf']>[number]; writes: Set<string> }>();
        for (const owned of PLATFORM_OWNED) {
          for (const verb of WRITE_VERBS) {
            const request = { verb, group: owned.group, resource: owned.resource };
            const where = owned.clusterScoped ? '' : namespace;
            for (const grant of rbac.grantsOf(subject)) {
              if (!(grant.namespace === '*' || grant.namespace === where) || !ruleAllows(grant.rule, request)) continue;
              const key = `${grant.binding.source}#${grant.binding.order}`;
              const entry = granted.get(key) ?? { grant, writes: new Set<string>() };
              entry.writes.add(`${verb} ${owned.group ? `${owned.group}/` : ''}${owned.resource}`);
              granted.set(key, entry);
            }
          }
        }
        for (const { grant, writes } of granted.values()) {
          found.push(
            finding(
              grant.binding,
              undefined,
              `lets ${subjectId(subject)}, of team namespace ${namespace}, ${[...writes].join(', ')} (through ${grant.role}; ${madeBy(grant.binding.object)}): what the platform owns, which a team could use to undo its isolation. Fix: remove the grant; the platform declares network rules, routes, quotas and RBAC for the team (Team, connect, the public API).`,
            ),
          );
        }
      }
    }
    return found;
  },
};
