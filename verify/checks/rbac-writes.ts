import { ruleAllows, WRITE_VERBS } from '../rbac.js';
import { grantCheck } from '../grant-check.js';

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
