import { READ_VERBS, ruleAllows } from '../rbac.js';
import { grantCheck } from '../grant-check.js';

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
