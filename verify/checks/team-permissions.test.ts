import { owned, testCheck } from '../testing/broken-cases.js';
import { teamPermissions } from './team-permissions.js';

testCheck(teamPermissions, [
  {
    title: 'a team allowed to write its own NetworkPolicies',
    breakIt: (p) =>
      owned(p).add(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: own-policies, namespace: invoices }
rules: [{ apiGroups: [networking.k8s.io], resources: [networkpolicies], verbs: [create, delete] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: own-policies, namespace: invoices }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: own-policies }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-invoices }]
`),
    expect:
      /RoleBinding invoices\/own-policies: lets Group team-invoices, of team namespace invoices, create networking\.k8s\.io\/networkpolicies, delete networking\.k8s\.io\/networkpolicies \(through Role invoices\/own-policies; made by no construct.*Fix: remove the grant/,
  },
]);
