import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Cluster } from '../cluster.js';
import type { Grant, SubjectRef } from '../rbac.js';
import { Rbac, READ_VERBS, ruleAllows, subjectId, WRITE_VERBS } from '../rbac.js';

// Each check looks at what every binding grants (the Role's rules, or a built-in ClusterRole's)
// and reports on the binding: that is where the power is handed out, and where a waiver belongs.

/** One finding per binding and message, however many rules led to it. */
function grantCheck(check: Omit<Check, 'run'>, problemOf: (grant: Grant) => string | undefined): Check {
  return {
    ...check,
    run(cluster) {
      const seen = new Set<string>();
      return new Rbac(cluster).grants.flatMap((grant): Finding[] => {
        const problem = problemOf(grant);
        if (!problem) return [];
        const message = `${subjectId(grant.subject)} via ${grant.role}: ${problem}`;
        const key = `${grant.binding.source} ${message}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [finding(grant.binding, 'roleRef', message)];
      });
    },
  };
}

export const rbacEscalationVerbs = grantCheck(
  {
    name: 'rbac-escalation-verbs',
    category: 'rbac',
    reason: 'escalate, bind and impersonate let a subject act with, or hand out, permissions it does not hold.',
    equivalents: ['CIS 5.1.8'],
  },
  ({ rule }) => {
    const verbs = (rule.verbs ?? []).filter((verb) => ['escalate', 'bind', 'impersonate'].includes(verb));
    return verbs.length > 0 ? `may ${verbs.join(', ')} ${(rule.resources ?? []).join(', ')}` : undefined;
  },
);

export const rbacWildcards = grantCheck(
  {
    name: 'rbac-wildcards',
    category: 'rbac',
    reason:
      'A wildcard grants every present and future verb, resource or API group, including ones added by CRDs later.',
    equivalents: ['kube-linter:wildcard-in-rules', 'kube-linter:cluster-admin-role-binding', 'CIS 5.1.3'],
  },
  ({ rule }) => {
    const fields = (['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const).filter((field) =>
      rule[field]?.includes('*'),
    );
    return fields.length > 0 ? `wildcard in ${fields.join(', ')}` : undefined;
  },
);

const RBAC_RESOURCES = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'];

export const rbacWrites = grantCheck(
  {
    name: 'rbac-writes',
    category: 'rbac',
    reason: 'Whoever can write Roles or bindings can grant themselves (or anyone) more.',
    equivalents: ['CIS 5.1.8'],
  },
  ({ rule }) => {
    const allowed = RBAC_RESOURCES.filter((resource) =>
      WRITE_VERBS.some((verb) => ruleAllows(rule, { verb, group: 'rbac.authorization.k8s.io', resource })),
    );
    return allowed.length > 0 ? `may write ${allowed.join(', ')}` : undefined;
  },
);

export const rbacSecretRead = grantCheck(
  {
    name: 'rbac-secret-read',
    category: 'rbac',
    reason:
      'get, list or watch on Secrets reveals every credential in the namespace (list and watch return the values too).',
    equivalents: ['kube-linter:access-to-secrets', 'CIS 5.1.2'],
  },
  ({ rule, namespace }) => {
    const name = rule.resourceNames?.[0];
    const verbs = READ_VERBS.filter((verb) =>
      ruleAllows(rule, { verb, group: '', resource: 'secrets', ...(name ? { name } : {}) }),
    );
    const names = rule.resourceNames?.length ? ` (${rule.resourceNames.join(', ')})` : '';
    return verbs.length > 0
      ? `may ${verbs.join(', ')} secrets${names} in ${namespace === '*' ? 'every namespace' : namespace}`
      : undefined;
  },
);

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
