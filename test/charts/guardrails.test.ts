import { parse } from '@bufbuild/cel';
import { describe, expect, it } from 'vitest';
import { AdmissionPolicy, DEPLOYER_SERVICE_ACCOUNT, Team, TEAM_ADMISSION_POLICIES } from '../../charts/index.js';
import { AdmissionPolicies, type AdmissionRequest } from '../../verify/admission.js';
import { Cluster } from '../../verify/cluster.js';
import type { K8sObject } from '../../verify/kubernetes.js';
import { Rbac, type Request, type SubjectRef } from '../../verify/rbac.js';
import { all, environmentObjects, synth, synthesizeAll, testChart } from '../../charts/index.js';

// What a holder of a team's credentials tries, against the synthesized manifests of each
// environment: refused by the team's RBAC (verify/rbac.ts evaluates the bindings the way the
// authorizer does) or by the ValidatingAdmissionPolicies (verify/admission.ts evaluates their CEL
// with @bufbuild/cel). Each hostile action has an allowed twin, so that a refusal is the policy's
// doing and not a broken model.

const files = synthesizeAll();

const TEAMS = [
  { namespace: 'invoices', other: 'payments' },
  { namespace: 'payments', other: 'invoices' },
];

/** The CEL functions and operators the policies may use: standard CEL, which Kubernetes evaluates. */
const KUBERNETES_CEL = new Set([
  '!_',
  '_&&_',
  '_||_',
  '_==_',
  '_!=_',
  '_?_:_',
  '@in',
  'size',
  'startsWith',
  '@not_strictly_false',
]);

function calledFunctions(expression: string): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.$typeName === 'cel.expr.Expr.Call') found.add(record.function as string);
      Object.values(record).forEach(visit);
    }
  };
  visit(parse(expression).expr);
  return [...found];
}

const pod = (spec: Record<string, unknown> = {}) => ({
  containers: [{ name: 'app', image: 'registry.test/app:1.0.0' }],
  ...spec,
});

function deployment(namespace: string, spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'intruder', namespace },
    spec: {
      selector: { matchLabels: { app: 'intruder' } },
      template: { metadata: { labels: { app: 'intruder' } }, spec: pod(spec) },
    },
  };
}

function barePod(namespace: string, spec: Record<string, unknown> = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'intruder', namespace }, spec: pod(spec) };
}

function cronJob(namespace: string, spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'intruder', namespace },
    spec: {
      schedule: '* * * * *',
      jobTemplate: { spec: { template: { spec: pod({ restartPolicy: 'Never', ...spec }) } } },
    },
  };
}

function service(namespace: string, spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'intruder', namespace },
    spec: { type: 'ClusterIP', selector: { app: 'intruder' }, ports: [{ port: 80 }], ...spec },
  };
}

function claim(namespace: string, spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'intruder', namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  };
}

describe.each(['.', 'prod'])('guardrails of %s', (folder) => {
  const objects = environmentObjects(files, folder) as K8sObject[];
  const cluster = new Cluster(objects.map((object, order) => ({ object, source: `${folder}#${order}`, order })));
  const rbac = new Rbac(cluster);
  const admission = new AdmissionPolicies(cluster);
  const review = (request: AdmissionRequest) => admission.review(request).map((refusal) => refusal.message);

  describe.each(TEAMS)('team $namespace', ({ namespace, other }) => {
    const subjects: SubjectRef[] = [
      { kind: 'Group', name: `team-${namespace}` },
      { kind: 'ServiceAccount', name: DEPLOYER_SERVICE_ACCOUNT, namespace },
    ];
    const can = (request: Omit<Request, 'namespace'>, where = namespace) =>
      subjects.map((subject) => rbac.can(subject, { ...request, namespace: where }));

    it('may deploy its workloads (the twin of every refusal below)', () => {
      for (const [group, resource] of [
        ['apps', 'deployments'],
        ['', 'services'],
        ['batch', 'cronjobs'],
        ['', 'persistentvolumeclaims'],
      ] as const) {
        expect(can({ verb: 'create', group, resource }), `${group}/${resource}`).toEqual([true, true]);
      }
      expect(can({ verb: 'get', group: 'networking.k8s.io', resource: 'networkpolicies' })).toEqual([true, true]);
    });

    it.each([
      ['create an Ingress on the shared class (hijack a public path)', 'create', 'networking.k8s.io', 'ingresses'],
      ['create a NetworkPolicy that admits every pod', 'create', 'networking.k8s.io', 'networkpolicies'],
      ['widen an existing NetworkPolicy', 'patch', 'networking.k8s.io', 'networkpolicies'],
      ['delete the default-deny NetworkPolicy', 'delete', 'networking.k8s.io', 'networkpolicies'],
      ['create a Gateway API HTTPRoute', 'create', 'gateway.networking.k8s.io', 'httproutes'],
      ['create a Gateway API GRPCRoute', 'create', 'gateway.networking.k8s.io', 'grpcroutes'],
      ['create a Gateway', 'create', 'gateway.networking.k8s.io', 'gateways'],
      ['raise its ResourceQuota', 'update', '', 'resourcequotas'],
      ['delete its LimitRange', 'delete', '', 'limitranges'],
      ['create a Role', 'create', 'rbac.authorization.k8s.io', 'roles'],
      ['create a RoleBinding', 'create', 'rbac.authorization.k8s.io', 'rolebindings'],
      ['bind a ClusterRole', 'bind', 'rbac.authorization.k8s.io', 'clusterroles'],
      ['point Endpoints elsewhere', 'create', '', 'endpoints'],
      ['point an EndpointSlice elsewhere', 'create', 'discovery.k8s.io', 'endpointslices'],
      ['read the Secrets', 'list', '', 'secrets'],
      ['exec into a pod', 'create', '', 'pods/exec'],
      ['mint a token for a ServiceAccount', 'create', '', 'serviceaccounts/token'],
      ['impersonate a ServiceAccount', 'impersonate', '', 'serviceaccounts'],
    ])('RBAC refuses: %s', (_title, verb, group, resource) => {
      expect(can({ verb, group, resource })).toEqual([false, false]);
    });

    it('RBAC refuses changing its namespace (its Pod Security label), or any namespace', () => {
      for (const verb of ['patch', 'update', 'delete']) {
        expect(can({ verb, group: '', resource: 'namespaces', name: namespace })).toEqual([false, false]);
      }
    });

    it(`RBAC refuses deploying to the other team's namespace (${other}) or the platform's`, () => {
      for (const where of [other, 'billing-system', 'kube-system']) {
        for (const [group, resource] of [
          ['apps', 'deployments'],
          ['', 'services'],
          ['', 'configmaps'],
        ] as const) {
          expect(can({ verb: 'create', group, resource }, where), `${where} ${resource}`).toEqual([false, false]);
        }
      }
    });

    const refusedServices: [string, Record<string, unknown>, RegExp][] = [
      ['a Service with externalIPs (CVE-2020-8554)', { externalIPs: ['203.0.113.7'] }, /spec\.externalIPs/],
      ['a LoadBalancer Service', { type: 'LoadBalancer' }, /LoadBalancer or NodePort/],
      ['a NodePort Service', { type: 'NodePort' }, /LoadBalancer or NodePort/],
      [
        'an ExternalName Service (another namespace through DNS)',
        { type: 'ExternalName', externalName: `payment-provider.${other}.svc.cluster.local`, selector: undefined },
        /ExternalName/,
      ],
    ];

    it.each(refusedServices)('admission refuses %s, created or changed', (_title, spec, message) => {
      expect(review({ operation: 'CREATE', object: service(namespace) })).toEqual([]);
      expect(review({ operation: 'CREATE', object: service(namespace, spec) }).join('\n')).toMatch(message);
      expect(
        review({ operation: 'UPDATE', object: service(namespace, spec), oldObject: service(namespace) }).join('\n'),
      ).toMatch(message);
    });

    const refusedPods: [string, Record<string, unknown>, RegExp][] = [
      ['naming its node (skips the scheduler and taints)', { nodeName: 'control-plane' }, /spec\.nodeName/],
      [
        'tolerating the control plane taint',
        { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
        /tolerate only/,
      ],
      ['tolerating every taint', { tolerations: [{ operator: 'Exists' }] }, /tolerate only/],
      ['a system priority (preempts cluster pods)', { priorityClassName: 'system-node-critical' }, /priority/],
      ['running as the deployer ServiceAccount', { serviceAccountName: DEPLOYER_SERVICE_ACCOUNT }, /deployer/],
      ['the node network', { hostNetwork: true }, /node's network/],
      ['the node PID namespace', { hostPID: true }, /node's network, process/],
      ['a hostPath volume', { volumes: [{ name: 'root', hostPath: { path: '/' } }] }, /hostPath/],
      [
        'a hostPort',
        {
          containers: [{ name: 'app', image: 'registry.test/app:1.0.0', ports: [{ containerPort: 80, hostPort: 80 }] }],
        },
        /hostPort/,
      ],
    ];

    it.each(refusedPods)(
      'admission refuses a workload %s (Deployment, CronJob and bare Pod)',
      (_title, spec, message) => {
        const allowed = {
          tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
        };
        for (const make of [deployment, cronJob, barePod]) {
          expect(review({ operation: 'CREATE', object: make(namespace, allowed) })).toEqual([]);
          expect(review({ operation: 'CREATE', object: make(namespace, spec) }).join('\n')).toMatch(message);
        }
      },
    );

    it.each([
      ["binding a named PersistentVolume (another tenant's data)", { volumeName: 'pv-payments-db' }, /volumeName/],
      [
        "copying another namespace's volume",
        { dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'data', namespace: other } },
        /dataSourceRef\.namespace/,
      ],
    ])('admission refuses a claim %s', (_title, spec, message) => {
      expect(review({ operation: 'CREATE', object: claim(namespace) })).toEqual([]);
      expect(review({ operation: 'CREATE', object: claim(namespace, spec) }).join('\n')).toMatch(message);
    });
  });

  it('binds the policies to the team namespaces only: the platform namespace keeps its own rules', () => {
    expect(review({ operation: 'CREATE', object: service('billing-system', { type: 'LoadBalancer' }) })).toEqual([]);
    expect(review({ operation: 'CREATE', object: service('invoices', { type: 'LoadBalancer' }) })).not.toEqual([]);
  });

  it('admits every object of the environment itself, whoever applies it', () => {
    for (const manifest of cluster.manifests) {
      expect(review({ operation: 'CREATE', object: manifest.object }), manifest.source).toEqual([]);
    }
  });
});

describe('the policies CEL', () => {
  const expressions = TEAM_ADMISSION_POLICIES.flatMap((policy) => [
    ...Object.values(policy.variables ?? {}),
    ...policy.checks.map((check) => check.expression),
  ]);

  it('uses only standard CEL functions, which every Kubernetes with ValidatingAdmissionPolicy evaluates', () => {
    const used = new Set(expressions.flatMap(calledFunctions));
    expect([...used].filter((name) => !KUBERNETES_CEL.has(name))).toEqual([]);
  });

  it("forbids pods the ServiceAccount that each team's deployer role is bound to", () => {
    const bindings = environmentObjects(files, '.').filter(
      (object) => object.kind === 'RoleBinding' && object.metadata.name === 'team-deployer',
    );
    const accounts = bindings.flatMap((binding) =>
      binding.subjects.filter((subject: { kind: string }) => subject.kind === 'ServiceAccount'),
    );
    expect(accounts.map((account: { name: string }) => account.name)).toEqual([
      DEPLOYER_SERVICE_ACCOUNT,
      DEPLOYER_SERVICE_ACCOUNT,
    ]);
  });
});

describe('TeamGuardrails and AdmissionPolicy', () => {
  it('writes one set of policies per app, bound to the namespace of every Team', () => {
    const chart = testChart();
    new Team(chart, 'ledger', { name: 'ledger' });
    new Team(chart, 'books', { name: 'books' });
    const manifests = synth(chart);
    const policies = all(manifests, 'ValidatingAdmissionPolicy');
    expect(policies.map((policy) => policy.metadata.name)).toEqual(TEAM_ADMISSION_POLICIES.map((p) => p.name));
    for (const binding of all(manifests, 'ValidatingAdmissionPolicyBinding')) {
      expect(binding.spec.validationActions).toEqual(['Deny']);
      expect(binding.spec.matchResources.namespaceSelector.matchExpressions).toEqual([
        { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['books', 'ledger'] },
      ]);
    }
    expect(policies.every((policy) => policy.spec.failurePolicy === 'Fail')).toBe(true);
    expect(policies.find((policy) => policy.metadata.name === 'team-services')?.spec).not.toHaveProperty('variables');
  });

  it('refuses a policy without checks, with the fix', () => {
    expect(
      () =>
        new AdmissionPolicy(testChart(), 'p', {
          name: 'empty',
          resources: [{ apiGroup: '', resources: ['services'] }],
          checks: [],
          namespaces: () => ['ledger'],
        }),
    ).toThrow('Admission policy empty has no checks. Give it at least one, or leave it out.');
  });
});
