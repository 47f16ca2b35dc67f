import type { BrokenCase } from './broken-case.js';

const DEPLOYER = 'Role invoices/deployer';

export const rbacCases: BrokenCase[] = [
  {
    check: 'rbac-escalation-verbs',
    title: 'bind on roles',
    breakIt: (p) =>
      p.set(DEPLOYER, 'rules[3]', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] }),
    expect: /Group team-invoices via Role invoices\/deployer: may bind roles/,
  },
  {
    check: 'rbac-escalation-verbs',
    title: 'binding the built-in edit role (it may impersonate service accounts)',
    breakIt: (p) =>
      p.set('RoleBinding invoices/team-invoices-deployer', 'roleRef', {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      }),
    expect: /Group team-invoices via ClusterRole edit: may impersonate serviceaccounts/,
  },
  {
    check: 'rbac-wildcards',
    title: 'every verb',
    breakIt: (p) => p.set(DEPLOYER, 'rules[0].verbs', ['*']),
    expect: /wildcard in verbs/,
  },
  {
    check: 'rbac-writes',
    title: 'creating rolebindings',
    breakIt: (p) =>
      p.set(DEPLOYER, 'rules[3]', {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings'],
        verbs: ['create'],
      }),
    expect: /may write rolebindings/,
  },
  {
    check: 'rbac-secret-read',
    title: 'listing secrets',
    breakIt: (p) => p.set(DEPLOYER, 'rules[2].resources', ['pods', 'secrets']),
    expect: /Group team-invoices via Role invoices\/deployer: may get, list, watch secrets in invoices/,
  },
  {
    check: 'rbac-secret-read',
    title: 'reading named secrets',
    breakIt: (p) =>
      p.set('Role payments/secret-bootstrap', 'rules[1]', {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['payment-provider-secrets'],
        verbs: ['get'],
      }),
    expect:
      /ServiceAccount billing-system\/secret-bootstrap via Role payments\/secret-bootstrap: may get secrets \(payment-provider-secrets\) in payments/,
  },
  {
    check: 'rbac-escalation-through-service-accounts',
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
];
