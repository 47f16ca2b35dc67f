import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  applySyncWaves,
  ArgoCdApplication,
  ArgoCdProject,
  createPlatformApp,
  GitOps,
  SecretBootstrap,
  SYNC_WAVE_ANNOTATION,
  TEAM_KINDS,
} from '../../charts/index.js';
import { KubeConfigMap, KubeNamespace, KubeNetworkPolicy } from '../../imports/k8s.js';
import { Cluster } from '../../imports/cnpg-cluster-postgresql.cnpg.io.js';
import { ServiceMonitor } from '../../imports/servicemonitor-monitoring.coreos.com.js';
import { only, synth, testChart } from '../../charts/index.js';

const repo = 'https://git.example.com/platform/billing.git';

describe('ArgoCdProject', () => {
  const chart = testChart();
  new ArgoCdProject(chart, 'invoices', {
    name: 'invoices',
    sourceRepos: [repo],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'invoices' }],
  });
  const project = only(synth(chart), 'AppProject', 'invoices');

  it('lets a team deploy its workload kinds to its own namespace, and nothing cluster-scoped', () => {
    expect(project.metadata.namespace).toBe('argocd');
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'invoices' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist).toEqual(TEAM_KINDS);
    const kinds = TEAM_KINDS.map((kind) => kind.kind);
    for (const platformKind of ['NetworkPolicy', 'Ingress', 'Role', 'RoleBinding', 'ResourceQuota', 'Secret']) {
      expect(kinds).not.toContain(platformKind);
    }
    expect(project.spec.sourceRepos).toEqual([repo]);
  });

  it('refuses a project without a fence', () => {
    expect(
      () =>
        new ArgoCdProject(testChart(), 'p', {
          name: 'p',
          sourceRepos: [repo],
          destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
        }),
    ).toThrow(/namespace '\*'/);
    expect(() => new ArgoCdProject(testChart(), 'q', { name: 'q', sourceRepos: [], destinations: [] })).toThrow(
      /at least one source repository/,
    );
  });
});

describe('ArgoCdApplication', () => {
  const chart = testChart();
  const project = new ArgoCdProject(chart, 'platform', {
    name: 'billing-platform',
    sourceRepos: [repo],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'invoices' }],
    namespacedKinds: 'all',
  });
  new ArgoCdApplication(chart, 'prod', {
    name: 'billing-prod',
    project,
    repoUrl: repo,
    targetRevision: 'production',
    path: 'dist/prod',
  });
  const application = only(synth(chart), 'Application', 'billing-prod');

  it('keeps one folder of dist/ applied from a revision, pruning and reverting drift, retrying failures', () => {
    expect(application.spec).toEqual({
      project: 'billing-platform',
      source: { repoURL: repo, targetRevision: 'production', path: 'dist/prod', directory: { recurse: false } },
      destination: { server: 'https://kubernetes.default.svc' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true'],
        retry: { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
      },
    });
  });

  it('refuses a path outside the repository', () => {
    expect(
      () =>
        new ArgoCdApplication(testChart(), 'a', {
          name: 'a',
          project,
          repoUrl: repo,
          targetRevision: 'main',
          path: '../dist',
        }),
    ).toThrow(/relative to the repository root/);
  });
});

describe('sync waves', () => {
  const app = createPlatformApp();
  const chart = new Chart(app, 'c');
  new KubeNamespace(chart, 'ns', { metadata: { name: 'ledger' } });
  new KubeNetworkPolicy(chart, 'deny', { metadata: { name: 'deny', namespace: 'ledger' }, spec: { podSelector: {} } });
  new SecretBootstrap(chart, 'bootstrap', { namespace: 'ledger' });
  new Cluster(chart, 'db', { metadata: { name: 'db', namespace: 'ledger' }, spec: { instances: 3 } });
  new KubeConfigMap(chart, 'config', { metadata: { name: 'config', namespace: 'ledger' } });
  new ServiceMonitor(chart, 'monitor', {
    metadata: { name: 'm', namespace: 'ledger' },
    spec: { selector: {}, endpoints: [] },
  });
  applySyncWaves(app);
  const manifests = synth(chart);
  const wave = (kind: string, name?: string) =>
    Number(only(manifests, kind, name).metadata.annotations[SYNC_WAVE_ANNOTATION]);

  it('orders namespaces and guardrails, then the Secret bootstrap, then operator resources, workloads, monitoring', () => {
    expect(wave('Namespace')).toBe(-3);
    expect(wave('Job')).toBe(-2);
    expect(wave('Cluster')).toBe(-1);
    expect(wave('ConfigMap', 'config')).toBe(0);
    expect(wave('ServiceMonitor')).toBe(1);
    for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
      expect(policy.metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe('-3');
    }
  });
});

describe('GitOps', () => {
  const app = createPlatformApp();
  const chart = new Chart(app, 'c');
  new KubeNamespace(chart, 'ns', { metadata: { name: 'ledger' } });
  new KubeConfigMap(chart, 'config', { metadata: { name: 'config', namespace: 'ledger' } });
  new GitOps(chart, 'gitops', {
    repoUrl: repo,
    scope: app,
    teams: [{ name: 'ledger', namespace: 'ledger' }],
    environments: [
      { name: 'billing-dev', path: 'dist', targetRevision: 'main', server: 'https://dev.k8s.example.com' },
      { name: 'billing-prod', path: 'dist/prod', targetRevision: 'production' },
    ],
  });
  const manifests = synth(chart);
  const platform = only(manifests, 'AppProject', 'billing-platform');

  it('admits exactly the namespaces and cluster-scoped kinds the manifests hold, on each environment’s cluster', () => {
    expect(platform.spec.destinations).toEqual([
      { server: 'https://dev.k8s.example.com', namespace: 'argocd' },
      { server: 'https://dev.k8s.example.com', namespace: 'ledger' },
      { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      { server: 'https://kubernetes.default.svc', namespace: 'ledger' },
    ]);
    expect(platform.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('has an Application per environment and a project per team', () => {
    const dev = only(manifests, 'Application', 'billing-dev').spec;
    expect(dev.source).toMatchObject({ path: 'dist', targetRevision: 'main' });
    expect(dev.destination).toEqual({ server: 'https://dev.k8s.example.com' });
    expect(only(manifests, 'Application', 'billing-prod').spec.source).toMatchObject({
      path: 'dist/prod',
      targetRevision: 'production',
    });
    expect(only(manifests, 'AppProject', 'ledger').spec.destinations).toEqual([
      { server: 'https://dev.k8s.example.com', namespace: 'ledger' },
      { server: 'https://kubernetes.default.svc', namespace: 'ledger' },
    ]);
  });
});
