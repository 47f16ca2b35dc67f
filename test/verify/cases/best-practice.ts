import type { BrokenCase } from './broken-case.js';

const APP = 'Deployment invoices/invoice-app';
const POD = 'spec.template.spec';
const CONTAINER = `${POD}.containers[0]`;

export const bestPracticeCases: BrokenCase[] = [
  {
    check: 'namespace-enforces-restricted',
    title: 'a namespace without the enforce label',
    breakIt: (p) => p.remove('Namespace payments', 'metadata.labels["pod-security.kubernetes.io/enforce"]'),
    expect: /Namespace payments .*label pod-security\.kubernetes\.io\/enforce: restricted is missing/,
  },
  {
    check: 'read-only-root-filesystem',
    title: 'a writable root filesystem',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.readOnlyRootFilesystem`, false),
    expect: /readOnlyRootFilesystem must be true/,
  },
  {
    check: 'run-as-high-uid',
    title: 'a low UID',
    breakIt: (p) => p.set(APP, `${POD}.securityContext.runAsUser`, 1000),
    expect: /runAsUser and runAsGroup must be set above 10000 \(are 1000 and 10001\)/,
  },
  {
    check: 'image-tag',
    title: 'an untagged image',
    breakIt: (p) => p.set(APP, `${CONTAINER}.image`, 'registry.example.com:5000/billing/invoice-app'),
    expect: /"registry\.example\.com:5000\/billing\/invoice-app" must name an explicit tag/,
  },
  {
    check: 'image-tag',
    title: 'the latest tag',
    breakIt: (p) => p.set(APP, `${CONTAINER}.image`, 'registry.example.com/billing/invoice-app:latest'),
    expect: /invoice-app:latest" must name an explicit tag other than latest/,
  },
  {
    check: 'image-pull-policy',
    title: 'Always',
    breakIt: (p) => p.set(APP, `${CONTAINER}.imagePullPolicy`, 'Always'),
    expect: /imagePullPolicy is Always, should be IfNotPresent/,
  },
  {
    check: 'container-resources',
    title: 'no limits',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.resources.limits`),
    expect: /missing limits\.cpu, limits\.memory/,
  },
  {
    check: 'ssh-port',
    title: 'port 22 exposed',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[1]`, { name: 'ssh', containerPort: 22 }),
    expect: /exposes port 22/,
  },
  {
    check: 'probes-present',
    title: 'no readiness probe',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.readinessProbe`),
    expect: /container "invoice-app" has no readinessProbe/,
  },
  {
    check: 'probes-distinct',
    title: 'liveness identical to readiness',
    breakIt: (p) => p.set(APP, `${CONTAINER}.livenessProbe`, p.get(APP, `${CONTAINER}.readinessProbe`)),
    expect: /liveness and readiness probes are identical/,
  },
  {
    check: 'probe-ports-exposed',
    title: 'a probe on an undeclared port',
    breakIt: (p) => p.set(APP, `${CONTAINER}.readinessProbe.httpGet.port`, 'metrics'),
    expect: /probes port metrics, which container "invoice-app" does not declare/,
  },
  {
    check: 'replicated-workload-has-pdb',
    title: 'two replicas and no PodDisruptionBudget',
    breakIt: (p) => p.drop('PodDisruptionBudget invoices/invoice-app'),
    expect: /Deployment invoices\/invoice-app: 2 replicas and no PodDisruptionBudget/,
  },
  {
    check: 'pdb-allows-disruption',
    title: 'minAvailable equal to the replicas',
    breakIt: (p) => p.set('PodDisruptionBudget payments/payment-provider', 'spec.minAvailable', 2),
    expect: /allows no disruption of Deployment payment-provider \(2 replicas\)/,
  },
  {
    check: 'pdb-allows-disruption',
    title: 'maxUnavailable 0',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'spec.maxUnavailable', 0),
    expect: /allows no disruption of Deployment invoice-app/,
  },
  {
    check: 'pdb-unhealthy-pod-eviction-policy',
    title: 'no unhealthyPodEvictionPolicy',
    breakIt: (p) => p.remove('PodDisruptionBudget invoices/invoice-app', 'spec.unhealthyPodEvictionPolicy'),
    expect: /set unhealthyPodEvictionPolicy: AlwaysAllow/,
  },
  {
    check: 'replicas-spread-across-nodes',
    title: 'two replicas free to share a node',
    breakIt: (p) => p.remove(APP, `${POD}.topologySpreadConstraints`),
    expect: /2 replicas without podAntiAffinity or a topologySpreadConstraint on kubernetes\.io\/hostname/,
  },
  {
    check: 'replicas-spread-across-nodes',
    title: 'anti-affinity that selects other pods',
    breakIt: (p) =>
      p.set(
        'Deployment payments/payment-provider',
        `${POD}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels["app.kubernetes.io/name"]`,
        'payments-db',
      ),
    expect: /Deployment payments\/payment-provider .*2 replicas without podAntiAffinity/,
  },
  {
    check: 'hpa-owns-replicas',
    title: 'an HPA over a Deployment that sets replicas',
    breakIt: (p) =>
      p.add(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: invoice-app, namespace: invoices }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: invoice-app }
  minReplicas: 2
  maxReplicas: 5
`),
    expect: /is scaled by HorizontalPodAutoscaler invoice-app: remove replicas/,
  },
  {
    check: 'service-account-token-automount',
    title: 'a pod that mounts its token',
    breakIt: (p) => p.set(APP, `${POD}.automountServiceAccountToken`, true),
    expect: /mounts the token of ServiceAccount invoice-app/,
  },
  {
    check: 'service-account-token-automount',
    title: 'a pod whose ServiceAccount mounts tokens by default',
    breakIt: (p) => p.remove('ServiceAccount payments/payment-provider', 'automountServiceAccountToken'),
    expect: /Deployment payments\/payment-provider .*mounts the token of ServiceAccount payment-provider/,
  },
  {
    check: 'deprecated-service-account-field',
    title: 'spec.serviceAccount',
    breakIt: (p) => p.set(APP, `${POD}.serviceAccount`, 'invoice-app'),
    expect: /use serviceAccountName instead/,
  },
  {
    check: 'duplicate-env-var',
    title: 'PORT twice',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[4]`, { name: 'PORT', value: '8001' }),
    expect: /PORT is set twice/,
  },
  {
    check: 'env-var-secret',
    title: 'a token as a literal',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[3]`, { name: 'BILLING_API_TOKEN', value: 's3cr3t' }),
    expect: /BILLING_API_TOKEN has a literal value: use valueFrom\.secretKeyRef/,
  },
  {
    check: 'env-var-secret',
    title: 'a database URL with its password',
    breakIt: (p) =>
      p.set(APP, `${CONTAINER}.env[2]`, { name: 'DATABASE_URL', value: 'postgres://app:hunter2@invoices-db:5432/app' }),
    expect: /DATABASE_URL holds a URL with a password/,
  },
  {
    check: 'pods-isolated-by-network-policy',
    title: 'a pod no policy isolates',
    breakIt: (p) => p.drop('NetworkPolicy payments/default-deny').drop('NetworkPolicy payments/payments-db'),
    expect: /StatefulSet payments\/payments-db: no NetworkPolicy isolates its pods for ingress and egress/,
  },
  {
    check: 'pods-isolated-by-network-policy',
    title: 'a pod isolated for ingress only',
    breakIt: (p) =>
      p
        .set('NetworkPolicy payments/default-deny', 'spec.policyTypes', ['Ingress'])
        .set('NetworkPolicy payments/payments-db', 'spec.policyTypes', ['Ingress']),
    expect: /StatefulSet payments\/payments-db: no NetworkPolicy isolates its pods for egress/,
  },
  {
    check: 'service-type',
    title: 'a NodePort Service',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.type', 'NodePort'),
    expect: /NodePort: use ClusterIP behind the Ingress/,
  },
  {
    check: 'cronjob-deadline',
    title: 'no startingDeadlineSeconds',
    breakIt: (p) => p.remove('CronJob invoices/monthly-billing', 'spec.startingDeadlineSeconds'),
    expect: /set startingDeadlineSeconds/,
  },
  {
    check: 'stable-api-version',
    title: 'a beta API',
    breakIt: (p) => p.set(APP, 'apiVersion', 'apps/v1beta2'),
    expect: /apps\/v1beta2 is not a stable API version/,
  },
];
