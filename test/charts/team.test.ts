import { describe, expect, it } from 'vitest';
import { NetworkPeer, SecureNamespace, Team, TEAM_DEPLOYER_RULES } from '../../charts/index.js';
import { all, only, roleAllows as allows, synth, testChart } from '../../charts/index.js';

describe('SecureNamespace', () => {
  it('by default enforces the restricted profile, bounds use, and denies all traffic but DNS', () => {
    const chart = testChart();
    new SecureNamespace(chart, 'ns', { name: 'team' });
    const manifests = synth(chart);
    expect(manifests[0]?.kind).toBe('Namespace');
    const namespace = only(manifests, 'Namespace');
    expect(namespace.metadata).not.toHaveProperty('namespace');
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'app.kubernetes.io/part-of': 'billing',
      'app.kubernetes.io/managed-by': 'cdk8s',
    });
    expect(only(manifests, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '4Gi',
      'limits.cpu': '8',
      'limits.memory': '8Gi',
      pods: '30',
      persistentvolumeclaims: '4',
      'requests.storage': '20Gi',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(only(manifests, 'LimitRange').spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '50m', memory: '64Mi' },
        default: { cpu: '500m', memory: '256Mi' },
        max: { cpu: '2', memory: '2Gi' },
      },
    ]);
    expect(only(manifests, 'NetworkPolicy', 'default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    const dns = only(manifests, 'NetworkPolicy', 'allow-dns').spec;
    expect(dns.policyTypes).toEqual(['Egress']);
    expect(dns.egress[0].to[0].podSelector.matchLabels).toEqual({ 'k8s-app': 'kube-dns' });
    expect(dns.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    for (const object of manifests.filter((m) => m.kind !== 'Namespace')) {
      expect(object.metadata.namespace).toBe('team');
    }
  });

  it('takes a quota, container defaults, a DNS peer, a Pod Security version and a part-of', () => {
    const chart = testChart();
    new SecureNamespace(chart, 'ns', {
      name: 'team',
      quota: {
        requestsCpu: '1',
        requestsMemory: '1Gi',
        limitsCpu: '2',
        limitsMemory: '2Gi',
        pods: 5,
        persistentVolumeClaims: 1,
        requestsStorage: '5Gi',
      },
      containerDefaults: {
        cpuRequest: '10m',
        memoryRequest: '32Mi',
        cpuLimit: '100m',
        memoryLimit: '64Mi',
        cpuMax: '1',
        memoryMax: '1Gi',
      },
      dns: NetworkPeer.pods('dns', { app: 'resolver' }),
      podSecurityVersion: 'v1.30',
      partOf: 'ledger',
    });
    const manifests = synth(chart);
    expect(only(manifests, 'ResourceQuota').spec.hard).toMatchObject({
      'requests.cpu': '1',
      'requests.memory': '1Gi',
      'limits.cpu': '2',
      'limits.memory': '2Gi',
      pods: '5',
      persistentvolumeclaims: '1',
      'requests.storage': '5Gi',
    });
    expect(only(manifests, 'LimitRange').spec.limits[0]).toMatchObject({
      defaultRequest: { cpu: '10m', memory: '32Mi' },
      default: { cpu: '100m', memory: '64Mi' },
      max: { cpu: '1', memory: '1Gi' },
    });
    expect(only(manifests, 'NetworkPolicy', 'allow-dns').spec.egress[0].to[0].podSelector.matchLabels).toEqual({
      app: 'resolver',
    });
    const labels = only(manifests, 'Namespace').metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.30');
    expect(labels['app.kubernetes.io/part-of']).toBe('ledger');
  });
});

describe('Team', () => {
  it('binds the deployer role to team-<name> and to a CI ServiceAccount without a mounted token', () => {
    const chart = testChart();
    const team = new Team(chart, 'team', { name: 'ledger' });
    expect(team.namespace).toBe('ledger');
    expect(team.group).toBe('team-ledger');
    const manifests = synth(chart);
    expect(manifests[0]?.kind).toBe('Namespace');
    const binding = only(manifests, 'RoleBinding', 'team-deployer');
    expect(binding.metadata.namespace).toBe('ledger');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-deployer' });
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-ledger' },
      { kind: 'ServiceAccount', name: 'deployer', namespace: 'ledger' },
    ]);
    expect(only(manifests, 'ServiceAccount', 'deployer').automountServiceAccountToken).toBe(false);
    expect(all(manifests, 'ClusterRoleBinding')).toEqual([]);
    expect(only(manifests, 'Role').rules).toEqual(TEAM_DEPLOYER_RULES);
  });

  it('takes a group, a quota, container defaults and a part-of', () => {
    const chart = testChart();
    new Team(chart, 'team', {
      name: 'ledger',
      group: 'oidc:ledger-devs',
      quota: { pods: 7 },
      containerDefaults: { cpuMax: '1' },
      partOf: 'books',
    });
    const manifests = synth(chart);
    expect(only(manifests, 'RoleBinding').subjects[0].name).toBe('oidc:ledger-devs');
    expect(only(manifests, 'ResourceQuota').spec.hard.pods).toBe('7');
    expect(only(manifests, 'LimitRange').spec.limits[0].max.cpu).toBe('1');
    expect(only(manifests, 'Role').metadata.labels['app.kubernetes.io/part-of']).toBe('books');
  });

  describe('the deployer role (RBAC matrix)', () => {
    const role = { rules: TEAM_DEPLOYER_RULES };
    const deployable: [string, string][] = [
      ['apps', 'deployments'],
      ['apps', 'statefulsets'],
      ['', 'services'],
      ['', 'configmaps'],
      ['', 'serviceaccounts'],
      ['', 'persistentvolumeclaims'],
      ['batch', 'cronjobs'],
      ['batch', 'jobs'],
      ['autoscaling', 'horizontalpodautoscalers'],
      ['policy', 'poddisruptionbudgets'],
    ];

    it('can apply every kind a team chart contains', () => {
      for (const [group, resource] of deployable) {
        for (const verb of ['get', 'list', 'create', 'patch', 'update', 'delete']) {
          expect(allows(role, verb, group, resource), `${verb} ${group}/${resource}`).toBe(true);
        }
      }
      expect(allows(role, 'get', '', 'pods/log')).toBe(true);
      expect(allows(role, 'delete', '', 'pods')).toBe(true);
      expect(allows(role, 'list', 'networking.k8s.io', 'networkpolicies')).toBe(true);
      expect(allows(role, 'get', 'networking.k8s.io', 'ingresses')).toBe(true);
    });

    it("can do nothing that reads secrets, escalates, or loosens the platform's isolation", () => {
      const denied: [string, string, string][] = [
        ['get', '', 'secrets'],
        ['list', '', 'secrets'],
        ['watch', '', 'secrets'],
        ['create', '', 'secrets'],
        ['create', '', 'pods'],
        ['create', '', 'pods/exec'],
        ['create', '', 'pods/attach'],
        ['create', '', 'pods/portforward'],
        ['create', '', 'serviceaccounts/token'],
        ['impersonate', '', 'serviceaccounts'],
        ['impersonate', '', 'users'],
        ['patch', '', 'namespaces'],
        ['update', '', 'resourcequotas'],
        ['delete', '', 'limitranges'],
        ['create', 'rbac.authorization.k8s.io', 'roles'],
        ['create', 'rbac.authorization.k8s.io', 'rolebindings'],
        ['escalate', 'rbac.authorization.k8s.io', 'roles'],
        ['bind', 'rbac.authorization.k8s.io', 'roles'],
        ['bind', 'rbac.authorization.k8s.io', 'clusterroles'],
        ...['create', 'patch', 'update', 'delete'].flatMap((verb): [string, string, string][] => [
          [verb, 'networking.k8s.io', 'networkpolicies'],
          [verb, 'networking.k8s.io', 'ingresses'],
          [verb, 'gateway.networking.k8s.io', 'httproutes'],
          [verb, 'gateway.networking.k8s.io', 'grpcroutes'],
          [verb, 'gateway.networking.k8s.io', 'gateways'],
          [verb, '', 'resourcequotas'],
          [verb, '', 'limitranges'],
          [verb, '', 'endpoints'],
          [verb, 'discovery.k8s.io', 'endpointslices'],
          [verb, 'rbac.authorization.k8s.io', 'roles'],
          [verb, 'rbac.authorization.k8s.io', 'rolebindings'],
        ]),
      ];
      for (const [verb, group, resource] of denied) {
        expect(allows(role, verb, group, resource), `${verb} ${group}/${resource}`).toBe(false);
      }
      const everything = TEAM_DEPLOYER_RULES.flatMap((rule) => [
        ...(rule.apiGroups ?? []),
        ...(rule.resources ?? []),
        ...rule.verbs,
      ]);
      expect(everything).not.toContain('*');
    });
  });
});
