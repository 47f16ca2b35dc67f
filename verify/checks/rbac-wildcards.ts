import { grantCheck } from '../grant-check.js';

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
