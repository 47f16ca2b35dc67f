import { grantCheck } from '../grant-check.js';

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
