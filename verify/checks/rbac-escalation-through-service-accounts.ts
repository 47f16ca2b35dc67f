import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Cluster } from '../cluster.js';
import type { SubjectRef } from '../rbac.js';
import { Rbac, ruleAllows, subjectId } from '../rbac.js';

/** What lets a subject run code as any ServiceAccount of a namespace: making pods, or tokens, or impersonating. */
const ACT_AS_SERVICE_ACCOUNT = [
  { verb: 'create', group: '', resource: 'pods' },
  { verb: 'create', group: '', resource: 'serviceaccounts/token' },
  { verb: 'impersonate', group: '', resource: 'serviceaccounts' },
  ...['create', 'update', 'patch'].flatMap((verb) => [
    ...['deployments', 'statefulsets', 'daemonsets', 'replicasets'].map((resource) => ({
      verb,
      group: 'apps',
      resource,
    })),
    ...['jobs', 'cronjobs'].map((resource) => ({ verb, group: 'batch', resource })),
  ]),
];

/** Requests a ServiceAccount may make that the subject may not. */
function extraPowers(rbac: Rbac, subject: SubjectRef, account: SubjectRef, namespace: string): string[] {
  const extra = new Set<string>();
  for (const grant of rbac.grantsOf(account)) {
    const scope = grant.namespace === '*' ? namespace : grant.namespace;
    for (const verb of grant.rule.verbs ?? []) {
      for (const group of grant.rule.apiGroups ?? []) {
        for (const resource of grant.rule.resources ?? []) {
          const name = grant.rule.resourceNames?.[0];
          const request = { verb, group, resource, namespace: scope, ...(name ? { name } : {}) };
          if (!rbac.can(subject, request)) extra.add(`${verb} ${group ? `${group}/` : ''}${resource} in ${scope}`);
        }
      }
    }
  }
  return [...extra];
}

function escalationThroughServiceAccounts(cluster: Cluster): Finding[] {
  const rbac = new Rbac(cluster);
  const found: Finding[] = [];
  for (const subject of rbac.subjects()) {
    for (const grant of rbac.grantsOf(subject)) {
      const namespaces = grant.namespace === '*' ? cluster.namespaces() : [grant.namespace];
      for (const namespace of namespaces) {
        // resourceNames do not help: whoever may patch one Deployment may set its serviceAccountName.
        const name = grant.rule.resourceNames?.[0];
        const how = ACT_AS_SERVICE_ACCOUNT.find((request) =>
          ruleAllows(grant.rule, { ...request, ...(name ? { name } : {}) }),
        );
        if (!how) continue;
        const accounts = cluster
          .ofKind('ServiceAccount')
          .filter(({ object }) => object.metadata?.namespace === namespace);
        for (const { object } of accounts) {
          const account = { kind: 'ServiceAccount', name: object.metadata?.name ?? '', namespace };
          const extra = extraPowers(rbac, subject, account, namespace);
          if (extra.length === 0) continue;
          found.push(
            finding(
              grant.binding,
              'roleRef',
              `${subjectId(subject)} may ${how.verb} ${how.resource} in ${namespace}, so it can run as ServiceAccount ${account.name} and gain: ${extra.join('; ')}`,
            ),
          );
        }
      }
    }
  }
  return [...new Map(found.map((item) => [`${item.manifest.source} ${item.message}`, item])).values()];
}

export const rbacEscalationThroughServiceAccounts: Check = {
  name: 'rbac-escalation-through-service-accounts',
  category: 'rbac',
  reason:
    'Whoever can create pods or workloads in a namespace can run them as any of its ServiceAccounts, and so gains their rights.',
  equivalents: ['kube-linter:access-to-create-pods', 'CIS 5.1.4'],
  run: escalationThroughServiceAccounts,
};
