import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  CREATED_AT_DEPLOY,
  ExternalDatabase,
  Image,
  Microservice,
  NetworkPeer,
  WorkloadNetworkPolicy,
  type MicroserviceProps,
} from '../../charts/index.js';
import { only, podSpec, restrictedViolations, synth, testChart, type Manifest } from '../../charts/index.js';

const image = Image.of('registry.test/ledger-app:1.2.3');

function build(props: Partial<MicroserviceProps> = {}) {
  const chart = testChart();
  const service = new Microservice(chart, 'ledger-app', { namespace: 'ledger', image, port: 8300, ...props });
  return { chart, service, manifests: synth(chart) };
}

const containerOf = (manifests: Manifest[]) => podSpec(only(manifests, 'Deployment')).containers[0];

describe('Microservice defaults', () => {
  const { service, manifests } = build();
  const deployment = only(manifests, 'Deployment');
  const pod = podSpec(deployment);
  const container = containerOf(manifests);

  it('names everything after the construct and labels every object', () => {
    expect(service.url).toBe('http://ledger-app.ledger.svc:8300');
    const labels = {
      'app.kubernetes.io/name': 'ledger-app',
      'app.kubernetes.io/component': 'api',
      'app.kubernetes.io/part-of': 'billing',
      'app.kubernetes.io/managed-by': 'cdk8s',
    };
    for (const kind of [
      'Deployment',
      'Service',
      'ServiceAccount',
      'ConfigMap',
      'PodDisruptionBudget',
      'HorizontalPodAutoscaler',
    ]) {
      const object = only(manifests, kind);
      expect(object.metadata.namespace, kind).toBe('ledger');
      expect(object.metadata.labels, kind).toEqual(labels);
    }
    expect(deployment.spec.template.metadata.labels).toMatchObject(labels);
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'ledger-app' } });
  });

  it('probes the kit endpoints: startup and liveness on /rest/health, readiness on /rest/ready', () => {
    expect(container.startupProbe.httpGet).toEqual({ path: '/rest/health', port: 8300, scheme: 'HTTP' });
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBe(60);
    expect(container.livenessProbe.httpGet.path).toBe('/rest/health');
    expect(container.readinessProbe.httpGet.path).toBe('/rest/ready');
  });

  it('rolls out with zero unavailable and drains before SIGTERM within the grace period', () => {
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(pod.terminationGracePeriodSeconds).toBe(5 + 25 + 5);
    // The autoscaler owns the replica count: a fixed one would be reset by every apply.
    expect(deployment.spec).not.toHaveProperty('replicas');
  });

  it('runs restricted: UID 10001, read-only root with a writable /tmp, seccomp, no capabilities, no token', () => {
    expect(restrictedViolations(pod)).toEqual([]);
    expect(container.securityContext.runAsUser).toBe(10001);
    expect(pod.securityContext).toMatchObject({
      runAsUser: 10001,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('ledger-app');
    expect(only(manifests, 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  it('requests and limits modest resources and pulls its pinned image with credentials checked on every start', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '192Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(container.image).toBe('registry.test/ledger-app:1.2.3');
    expect(container.imagePullPolicy).toBe('Always');
  });

  it('prefers to spread replicas over nodes and zones without requiring it', () => {
    const terms = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(terms.map((t: Manifest) => [t.podAffinityTerm.topologyKey, t.weight])).toEqual([
      ['kubernetes.io/hostname', 100],
      ['topology.kubernetes.io/zone', 50],
    ]);
    expect(pod.affinity.podAntiAffinity).not.toHaveProperty('requiredDuringSchedulingIgnoredDuringExecution');
  });

  it('reads its settings from a ConfigMap under exactly the names the kit reads, and rolls on change', () => {
    expect(only(manifests, 'ConfigMap').data).toEqual({
      PORT: '8300',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '25000',
    });
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'ledger-app-config' } }]);
    expect(deployment.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{16}$/);
    expect(container).not.toHaveProperty('env');
  });

  it('has a ClusterIP Service, a PodDisruptionBudget and an autoscaler from 2 to 4 at 70% CPU', () => {
    const svc = only(manifests, 'Service').spec;
    expect(svc.selector).toEqual({ 'app.kubernetes.io/name': 'ledger-app' });
    expect(svc.ports).toEqual([{ name: 'http', port: 8300, targetPort: 8300 }]);
    expect(only(manifests, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'ledger-app' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    const hpa = only(manifests, 'HorizontalPodAutoscaler').spec;
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([2, 4]);
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ledger-app' });
    expect(hpa.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } });
  });

  it('is isolated by its own network policy until something is allowed', () => {
    expect(only(manifests, 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ledger-app' } },
      policyTypes: ['Ingress', 'Egress'],
    });
  });
});

describe('Microservice props', () => {
  it('name, component, partOf, runAsUser and logLevel', () => {
    const { manifests } = build({
      name: 'books',
      component: 'worker',
      partOf: 'finance',
      runAsUser: 20000,
      logLevel: 'debug',
    });
    const deployment = only(manifests, 'Deployment', 'books');
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'worker',
      'app.kubernetes.io/part-of': 'finance',
    });
    expect(podSpec(deployment).securityContext.runAsUser).toBe(20000);
    expect(containerOf(manifests).securityContext.runAsUser).toBe(20000);
    expect(only(manifests, 'ConfigMap', 'books-config').data.LOG_LEVEL).toBe('debug');
  });

  it('env goes to the ConfigMap, secretEnv to secretKeyRefs, the database to DATABASE_URL', () => {
    const database = new ExternalDatabase({ secret: 'ledger-db', cidr: '10.30.0.0/24', port: 6432 });
    const { manifests } = build({
      env: { FEATURE: 'on' },
      secretEnv: { API_TOKEN: { secret: 'ledger-token', key: 'TOKEN' } },
      database,
    });
    expect(only(manifests, 'ConfigMap').data.FEATURE).toBe('on');
    expect(containerOf(manifests).env).toEqual([
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'ledger-token', key: 'TOKEN' } } },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'DATABASE_URL' } } },
    ]);
    expect(only(manifests, 'NetworkPolicy').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.30.0.0/24' } }], ports: [{ port: 6432, protocol: 'TCP' }] },
    ]);
    // An operator provides that Secret: `npm run verify` is told so.
    expect(only(manifests, 'Deployment').metadata.annotations).toEqual({
      [CREATED_AT_DEPLOY]: 'Secret/ledger/ledger-db',
    });
  });

  it('a different env changes the config checksum, so pods roll', () => {
    const a = only(build({ env: { FEATURE: 'on' } }).manifests, 'Deployment');
    const b = only(build({ env: { FEATURE: 'off' } }).manifests, 'Deployment');
    expect(a.spec.template.metadata.annotations['checksum/config']).not.toBe(
      b.spec.template.metadata.annotations['checksum/config'],
    );
  });

  it('replicas, targetCpuUtilization and resources', () => {
    const { manifests } = build({
      replicas: { min: 3, max: 9 },
      targetCpuUtilization: 55,
      resources: { cpuRequestMillis: 250, memoryLimitMebibytes: 1024 },
    });
    const hpa = only(manifests, 'HorizontalPodAutoscaler').spec;
    expect([hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization]).toEqual([3, 9, 55]);
    expect(containerOf(manifests).resources).toEqual({
      requests: { cpu: '250m', memory: '192Mi' },
      limits: { cpu: '500m', memory: '1Gi' },
    });
  });

  it('shutdownTimeout, drainDelay, startupTimeout and tmpSizeMebibytes', () => {
    const { manifests } = build({
      shutdownTimeout: Duration.seconds(40),
      drainDelay: Duration.seconds(10),
      startupTimeout: Duration.seconds(120),
      tmpSizeMebibytes: 16,
    });
    const pod = podSpec(only(manifests, 'Deployment'));
    const container = pod.containers[0];
    expect(only(manifests, 'ConfigMap').data.SHUTDOWN_TIMEOUT_MS).toBe('40000');
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
    expect(pod.terminationGracePeriodSeconds).toBe(55);
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBe(120);
    expect(pod.volumes[0].emptyDir.sizeLimit).toBe('16Mi');
  });

  it('allowFrom opens its port to another endpoint, allowFromPeer to unmanaged pods', () => {
    const chart = testChart();
    const service = new Microservice(chart, 'ledger-app', { namespace: 'ledger', image, port: 8300 });
    const client = {
      networkPolicy: new WorkloadNetworkPolicy(chart, 'client', {
        name: 'client',
        namespace: 'other',
        podLabels: { app: 'client' },
      }),
      peer: NetworkPeer.pods('other', { app: 'client' }),
    };
    service.allowFrom(client);
    service.allowFromPeer(NetworkPeer.pods('monitoring', { app: 'prometheus' }));
    const manifests = synth(chart);
    const ingress = only(manifests, 'NetworkPolicy', 'ledger-app').spec.ingress;
    expect(ingress.map((rule: Manifest) => rule.from[0].podSelector.matchLabels)).toEqual([
      { app: 'client' },
      { app: 'prometheus' },
    ]);
    expect(ingress.every((rule: Manifest) => rule.ports[0].port === 8300)).toBe(true);
    expect(only(manifests, 'NetworkPolicy', 'client').spec.egress[0].ports).toEqual([{ port: 8300, protocol: 'TCP' }]);
  });

  it('refuses settings that belong elsewhere, with the fix', () => {
    expect(() => build({ env: { PORT: '1' } })).toThrow(/env.PORT is set by the Microservice itself/);
    expect(() => build({ env: { DATABASE_URL: 'postgres://x' } })).toThrow(/set by the Microservice itself/);
    expect(() => build({ env: { STRIPE_TOKEN: 'x' } })).toThrow(/looks like a secret.*secretEnv/);
    expect(() => build({ replicas: { min: 0, max: 2 } })).toThrow(/1 <= min <= max/);
    expect(() => build({ replicas: { min: 3, max: 2 } })).toThrow(/1 <= min <= max/);
    expect(() => build({ resources: { memoryRequestMebibytes: 512 } })).toThrow(/below the requests/);
  });
});
