import { testCheck } from '../testing/broken-cases.js';
import { rbacEscalationVerbs } from './rbac-escalation-verbs.js';

const DEPLOYER = 'Role invoices/deployer';

testCheck(rbacEscalationVerbs, [
  {
    title: 'bind on roles',
    breakIt: (p) =>
      p.set(DEPLOYER, 'rules[3]', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] }),
    expect: /Group team-invoices via Role invoices\/deployer: may bind roles/,
  },
  {
    title: 'binding the built-in edit role (it may impersonate service accounts)',
    breakIt: (p) =>
      p.set('RoleBinding invoices/team-invoices-deployer', 'roleRef', {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      }),
    expect: /Group team-invoices via ClusterRole edit: may impersonate serviceaccounts/,
  },
]);
