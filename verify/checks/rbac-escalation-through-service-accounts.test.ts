import { testCheck } from '../testing/broken-cases.js';
import { rbacEscalationThroughServiceAccounts } from './rbac-escalation-through-service-accounts.js';

testCheck(rbacEscalationThroughServiceAccounts, [
  {
    title: 'a team that can run its Deployment as a more powerful ServiceAccount',
    breakIt: (p) =>
      p.add(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: config-writer, namespace: invoices }
rules: [{ apiGroups: [''], resources: [configmaps], verbs: [create, update] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: invoice-app-config-writer, namespace: invoices }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-writer }
subjects: [{ kind: ServiceAccount, name: invoice-app, namespace: invoices }]
`),
    expect:
      /Group team-invoices may (patch|update) deployments in invoices, so it can run as ServiceAccount invoice-app and gain: create configmaps in invoices; update configmaps in invoices/,
  },
]);
