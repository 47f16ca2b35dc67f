import type { BrokenCase } from './broken-case.js';

// Custom resources added to the fixture platform, each wrong in one way. The fixture itself has
// none (dev has none); test/verify/dist.test.ts verifies dist/prod/, which has them all.

const cluster = (name: string, extra = '') => `
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: ${name}, namespace: invoices }
spec:
  instances: 3
  storage: { size: 20Gi }${extra}
`;

const pooler = (clusterName: string, poolMode = 'session') => `
apiVersion: postgresql.cnpg.io/v1
kind: Pooler
metadata: { name: invoices-pooler, namespace: invoices }
spec:
  cluster: { name: ${clusterName} }
  instances: 2
  type: rw
  pgbouncer: { poolMode: ${poolMode} }
`;

const CONTAINER = 'spec.template.spec.containers[0]';

export const customResourceCases: BrokenCase[] = [
  {
    check: 'schema',
    title: 'a custom resource with a value its CRD does not allow',
    breakIt: (p) => p.add(cluster('invoices-db') + '---' + pooler('invoices-db', 'statement')),
    expect: /Pooler invoices\/invoices-pooler spec\.pgbouncer\.poolMode: .*must be one of session, transaction/,
  },
  {
    check: 'schema',
    title: 'a custom resource with a field its CRD does not know',
    breakIt: (p) => p.add(cluster('invoices-db', '\n  replicas: 3')),
    expect: /Cluster invoices\/invoices-db spec: unknown field "spec\.replicas"/,
  },
  {
    check: 'schema',
    title: 'a custom resource of a version its CRD does not serve',
    breakIt: (p) => p.add(cluster('invoices-db').replace('postgresql.cnpg.io/v1', 'postgresql.cnpg.io/v2')),
    expect: /postgresql\.cnpg\.io\/v2 Cluster is not a kind .*its CRD serves postgresql\.cnpg\.io\/v1/,
  },
  {
    check: 'postgres-references-exist',
    title: 'a Pooler of a Cluster that does not exist',
    breakIt: (p) => p.add(cluster('invoices-db') + '---' + pooler('invoice-db')),
    expect: /Pooler invoices\/invoices-pooler spec\.cluster\.name: Cluster invoices\/invoice-db does not exist/,
  },
  {
    check: 'postgres-references-exist',
    title: 'a daily backup of a Cluster without an object store',
    breakIt: (p) =>
      p.add(`${cluster('invoices-db')}---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: { name: invoices-db-daily, namespace: invoices }
spec: { cluster: { name: invoices-db }, schedule: '0 0 3 * * *' }
`),
    expect: /ScheduledBackup invoices\/invoices-db-daily spec\.method: .*has no spec\.backup\.barmanObjectStore/,
  },
  {
    check: 'config-references-exist',
    title: 'a key the operator does not put in the Secret it generates for a Cluster',
    breakIt: (p) =>
      p
        .add(cluster('invoices-db'))
        .set(`Deployment invoices/invoice-app`, `${CONTAINER}.env`, [
          { name: 'DATABASE_USER', valueFrom: { secretKeyRef: { name: 'invoices-db-app', key: 'user' } } },
        ]),
    expect: /Secret invoices\/invoices-db-app has no key "user"/,
  },
  {
    check: 'certificate-issuer-exists',
    title: 'a Certificate from an issuer that is neither in the manifests nor declared',
    breakIt: (p) =>
      p.add(`
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: public, namespace: invoices }
spec:
  secretName: public-tls
  dnsNames: [billing.example.com]
  issuerRef: { group: cert-manager.io, kind: ClusterIssuer, name: letsencrypt }
`),
    expect: /Certificate invoices\/public spec\.issuerRef: ClusterIssuer invoices\/letsencrypt does not exist/,
  },
  {
    check: 'gateway-references-exist',
    title: 'an HTTPRoute to a Gateway that does not exist',
    breakIt: (p) =>
      p.add(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: read-api, namespace: invoices }
spec:
  parentRefs: [{ name: public, sectionName: https }]
  rules: [{ backendRefs: [{ name: invoice-app, port: 8000 }] }]
`),
    expect: /HTTPRoute invoices\/read-api spec\.parentRefs\[0\]: Gateway invoices\/public does not exist/,
  },
  {
    check: 'gateway-references-exist',
    title: 'a Gateway serving a certificate Secret that nothing makes',
    breakIt: (p) =>
      p.add(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: invoices }
spec:
  gatewayClassName: envoy
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      tls: { certificateRefs: [{ name: public-tls }] }
`),
    expect:
      /Gateway invoices\/public spec\.listeners\[0\]\.tls\.certificateRefs\[0\]: Secret invoices\/public-tls does not exist/,
  },
  {
    check: 'monitor-targets-exist',
    title: 'a ServiceMonitor naming a port its Service does not have',
    breakIt: (p) =>
      p.set('Service invoices/invoice-app', 'metadata.labels', { 'app.kubernetes.io/name': 'invoice-app' }).add(`
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: invoice-app, namespace: invoices }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: invoice-app } }
  endpoints: [{ port: metrics }]
`),
    expect:
      /ServiceMonitor invoices\/invoice-app spec\.endpoints\[0\]\.port: no selected Service has a port named metrics/,
  },
  {
    check: 'argo-project-exists',
    title: 'an Application in a project that does not exist',
    breakIt: (p) =>
      p.add(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: billing-prod, namespace: argocd }
spec:
  project: billing
  source: { repoURL: https://git.example.com/billing.git, path: dist/prod }
  destination: { server: https://kubernetes.default.svc }
`),
    expect: /Application argocd\/billing-prod spec\.project: AppProject argocd\/billing does not exist/,
  },
  {
    check: 'network-policy-targets-pods',
    title: 'a policy for the pods of a Postgres cluster that does not exist',
    breakIt: (p) =>
      p.add(`${cluster('invoices-db')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: invoices-db, namespace: invoices }
spec:
  podSelector: { matchLabels: { cnpg.io/cluster: invoice-db } }
  policyTypes: [Ingress, Egress]
`),
    expect: /NetworkPolicy invoices\/invoices-db spec\.podSelector: selects no pod of the manifests in invoices/,
  },
];
