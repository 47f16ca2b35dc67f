import type { BrokenCase } from './broken-case.js';

const APP = 'Deployment invoices/invoice-app';
const CONTAINER = 'spec.template.spec.containers[0]';

export const referenceCases: BrokenCase[] = [
  {
    check: 'namespaces-created-first',
    title: 'a Namespace applied after what lives in it',
    breakIt: (p) => p.moveToEnd('Namespace payments'),
    expect: /namespace payments is created later .*so a first apply fails/,
  },
  {
    check: 'namespaces-created-first',
    title: 'a namespace nobody creates',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'metadata.namespace', 'billing'),
    expect: /namespace billing is not created by the manifests/,
  },
  {
    check: 'namespaces-created-first',
    title: 'no namespace at all',
    breakIt: (p) => p.remove('ConfigMap invoices/invoice-app-config', 'metadata.namespace'),
    expect: /no namespace: it would land in whatever namespace kubectl is set to/,
  },
  {
    check: 'service-targets-pods',
    title: 'a selector that matches no pod',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.selector["app.kubernetes.io/name"]', 'invoices-app'),
    expect: /Service invoices\/invoice-app spec\.selector: selects no pod/,
  },
  {
    check: 'service-targets-pods',
    title: 'a targetPort the pods do not declare',
    breakIt: (p) => p.set('Service payments/payment-provider', 'spec.ports[0].targetPort', 9090),
    expect: /targetPort 9090 is not a port that Deployment payment-provider declares/,
  },
  {
    check: 'ingress-backends-exist',
    title: 'a backend Service that does not exist',
    breakIt: (p) =>
      p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].backend.service.name', 'invoice-ap'),
    expect: /Service invoices\/invoice-ap does not exist/,
  },
  {
    check: 'ingress-backends-exist',
    title: 'a backend port the Service does not have',
    breakIt: (p) =>
      p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].backend.service.port.name', 'grpc'),
    expect: /Service invoices\/invoice-app has no port grpc/,
  },
  {
    check: 'config-references-exist',
    title: 'a Secret nobody creates',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[2].valueFrom.secretKeyRef.name`, 'invoice-app-secret'),
    expect:
      /Secret invoices\/invoice-app-secret does not exist \(nor is it declared in a verify\.billing\/created-at-deploy annotation\)/,
  },
  {
    check: 'config-references-exist',
    title: 'a ConfigMap key that does not exist',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[1].valueFrom.configMapKeyRef.key`, 'PAYMENT_PROVIDER_URL'),
    expect: /ConfigMap invoices\/invoice-app-config has no key "PAYMENT_PROVIDER_URL"/,
  },
  {
    check: 'config-references-exist',
    title: 'a deploy-time Secret declared for the wrong namespace',
    breakIt: (p) =>
      p.set(
        'Job billing-system/secret-bootstrap',
        'metadata.annotations["verify.billing/created-at-deploy"]',
        'Secret/invoice-app-secrets, Secret/invoices/invoices-db-credentials, Secret/payments/payment-provider-secrets, Secret/payments/payments-db-credentials',
      ),
    expect: /Secret invoices\/invoice-app-secrets does not exist/,
  },
  {
    check: 'service-accounts-exist',
    title: 'a ServiceAccount that does not exist',
    breakIt: (p) => p.set(APP, 'spec.template.spec.serviceAccountName', 'invoices-app'),
    expect: /ServiceAccount invoices\/invoices-app does not exist/,
  },
  {
    check: 'role-binding-references-exist',
    title: 'a roleRef to a missing Role',
    breakIt: (p) => p.set('RoleBinding invoices/team-invoices-deployer', 'roleRef.name', 'deploy'),
    expect: /Role deploy does not exist/,
  },
  {
    check: 'role-binding-references-exist',
    title: 'a subject ServiceAccount that does not exist',
    breakIt: (p) => p.set('RoleBinding payments/secret-bootstrap', 'subjects[0].namespace', 'payments'),
    expect: /ServiceAccount payments\/secret-bootstrap does not exist/,
  },
  {
    check: 'network-policy-targets-pods',
    title: 'a policy that selects nothing',
    breakIt: (p) =>
      p.set(
        'NetworkPolicy invoices/invoices-db',
        'spec.podSelector.matchLabels["app.kubernetes.io/name"]',
        'invoice-db',
      ),
    expect: /NetworkPolicy invoices\/invoices-db spec\.podSelector: selects no pod of the manifests in invoices/,
  },
  {
    check: 'network-policy-peers-exist',
    title: 'a peer that matches nothing',
    breakIt: (p) =>
      p.set(
        'NetworkPolicy invoices/invoices-db',
        'spec.ingress[0].from[0].podSelector.matchLabels["app.kubernetes.io/name"]',
        'invoices-app',
      ),
    expect: /matches no pod of the manifests in invoices/,
  },
  {
    check: 'hpa-target-exists',
    title: 'an HPA over a missing Deployment',
    breakIt: (p) =>
      p.add(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: invoice-api, namespace: invoices }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: invoice-api }
  maxReplicas: 5
`),
    expect: /targets Deployment invoice-api, which the manifests do not define/,
  },
];
