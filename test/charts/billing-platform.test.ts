import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  BillingPlatform,
  CREATED_AT_DEPLOY,
  createPlatformApp,
  ExternalDatabase,
  Image,
  ImageRegistry,
  NetworkPeer,
  ENVIRONMENTS,
  environmentObjects,
  podMetadata,
  podSpec,
  readTree,
  restrictedViolations,
  synthesizeAll,
  WORKLOAD_KINDS,
  type Manifest,
  roleAllows as allows,
} from '../../charts/index.js';

const CLUSTER_SCOPED = [
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
];
const REQUIRED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];

/** Files of one environment in apply order (the order `kubectl apply -f` reads them). */
function filesOf(files: Map<string, string>, folder: string): [string, Manifest[]][] {
  return [...files.entries()]
    .filter(([path]) => (folder === '.' ? !path.includes('/') : path.startsWith(`${folder}/`)))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, text]) => [path, parseAllDocuments(text).map((doc) => doc.toJS() as Manifest)]);
}

const named = (objects: Manifest[], kind: string, name: string, namespace?: string) =>
  objects.find(
    (o) =>
      o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  ) as Manifest;

/** The ingress rules of the NetworkPolicy named after a workload. */
const ingressOf = (objects: Manifest[], name: string, namespace: string) =>
  named(objects, 'NetworkPolicy', name, namespace).spec.ingress ?? [];

const envNames = (container: Manifest, objects: Manifest[], namespace: string) => {
  const fromConfig = (container.envFrom ?? []).flatMap((source: Manifest) =>
    Object.keys(named(objects, 'ConfigMap', source.configMapRef.name, namespace).data),
  );
  return [...fromConfig, ...(container.env ?? []).map((e: Manifest) => e.name)].sort();
};

const files = synthesizeAll();

for (const folder of ['.', 'prod']) {
  const env = folder === '.' ? 'dev' : folder;
  const objects = environmentObjects(files, folder);
  const workloads = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));

  describe(`${env} environment`, () => {
    it('applies in one pass: each namespace is created before anything in it, and every namespaced object names its namespace', () => {
      const created = new Set<string>();
      for (const [path, manifests] of filesOf(files, folder)) {
        for (const object of manifests) {
          // Argo CD's own objects (prod's gitops file) go to the namespace Argo CD was installed in.
          if (object.metadata.namespace === 'argocd') continue;
          if (object.kind === 'Namespace') created.add(object.metadata.name);
          if (CLUSTER_SCOPED.includes(object.kind)) {
            expect(object.metadata.namespace, `${path} ${object.kind}`).toBeUndefined();
          } else {
            expect(created.has(object.metadata.namespace), `${path} ${object.kind}/${object.metadata.name}`).toBe(true);
          }
        }
      }
      expect([...created].sort()).toEqual(['billing-system', 'invoices', 'payments']);
    });

    it('labels every workload and its pods with name, part-of and managed-by: cdk8s', () => {
      expect(workloads.length).toBeGreaterThanOrEqual(5);
      for (const workload of workloads) {
        for (const labels of [workload.metadata.labels, podMetadata(workload).labels]) {
          expect(Object.keys(labels), workload.metadata.name).toEqual(expect.arrayContaining(REQUIRED_LABELS));
          expect(labels['app.kubernetes.io/managed-by']).toBe('cdk8s');
        }
      }
      for (const object of objects) {
        expect(object.metadata.labels?.['app.kubernetes.io/managed-by'], `${object.kind}/${object.metadata.name}`).toBe(
          'cdk8s',
        );
      }
      expect(named(objects, 'Deployment', 'invoice-app', 'invoices')).toBeDefined();
      expect(named(objects, 'Deployment', 'payment-provider', 'payments')).toBeDefined();
    });

    it('runs every pod restricted, under its own ServiceAccount, with requests, limits and a pinned image; long-running ones with probes', () => {
      for (const namespace of objects.filter((o) => o.kind === 'Namespace')) {
        expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      }
      for (const workload of workloads) {
        const pod = podSpec(workload);
        expect(restrictedViolations(pod), workload.metadata.name).toEqual([]);
        expect(pod.serviceAccountName, `${workload.metadata.name} uses the default ServiceAccount`).toBeDefined();
        for (const container of pod.containers) {
          expect(() => Image.of(container.image)).not.toThrow();
          for (const kind of ['requests', 'limits']) {
            expect(Object.keys(container.resources[kind]).sort(), `${container.name} ${kind}`).toEqual([
              'cpu',
              'memory',
            ]);
          }
          if (['Deployment', 'StatefulSet'].includes(workload.kind)) {
            for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
              expect(container[probe], `${container.name} ${probe}`).toBeDefined();
            }
          }
        }
      }
    });

    it('puts no Secret in the manifests, and gives each service exactly the variables it reads', () => {
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      // Prod puts DATABASE_URL together from the CloudNativePG Secret's user and password.
      const base = [
        'DATABASE_URL',
        'LOG_LEVEL',
        'MALLOC_ARENA_MAX',
        'MALLOC_MMAP_THRESHOLD_',
        'NODE_OPTIONS',
        'PORT',
        'SHUTDOWN_TIMEOUT_MS',
        ...(env === 'prod' ? ['DATABASE_USER', 'DATABASE_PASSWORD'] : []),
      ];
      const invoice = podSpec(named(objects, 'Deployment', 'invoice-app', 'invoices')).containers[0];
      const invoiceVars = [
        ...base,
        'BILLING_API_TOKEN',
        'PAYMENT_PROVIDER_ENDPOINT',
        'PAYMENT_PROVIDER_TIMEOUT_MS',
        'PAYMENT_PROVIDER_TOKEN',
        ...(env === 'dev' ? ['SEED_CUSTOMERS', 'SEED_INVOICES_PER_CUSTOMER'] : []),
      ];
      expect(envNames(invoice, objects, 'invoices')).toEqual(invoiceVars.sort());
      expect(named(objects, 'ConfigMap', 'invoice-app-config', 'invoices').data.PAYMENT_PROVIDER_ENDPOINT).toBe(
        'http://payment-provider.payments.svc:9000',
      );
      const provider = podSpec(named(objects, 'Deployment', 'payment-provider', 'payments')).containers[0];
      const providerVars = [...base, 'PAYMENT_PROVIDER_TOKEN', ...(env === 'dev' ? ['PAYMENT_SUCCESS_RATE'] : [])];
      expect(envNames(provider, objects, 'payments')).toEqual(providerVars.sort());
      for (const container of [invoice, provider]) {
        for (const variable of container.env) {
          if (variable.value !== undefined) {
            expect(variable.name).toBe('DATABASE_URL');
            expect(variable.value).toMatch(
              /^postgresql:\/\/\$\(DATABASE_USER\):\$\(DATABASE_PASSWORD\)@[a-z-]+-pooler\./,
            );
          } else expect(variable.valueFrom?.secretKeyRef, variable.name).toBeDefined();
        }
      }
    });

    it('lets the secret bootstrap create every Secret a pod reads, except those an operator owns in prod', () => {
      const spec = JSON.parse(named(objects, 'ConfigMap', 'secret-bootstrap', 'billing-system').data['secrets.json']);
      const generated = new Set<string>(
        spec.secrets.flatMap((s: Manifest) =>
          s.namespaces.flatMap((ns: string) => Object.keys(s.keys).map((key) => `${ns}/${s.name}/${key}`)),
        ),
      );
      // In prod CloudNativePG generates each cluster's `<cluster>-app` Secret.
      const external =
        env === 'prod'
          ? ['invoices/invoice-app-db-app', 'payments/payment-provider-db-app'].flatMap((secret) => [
              `${secret}/password`,
              `${secret}/username`,
            ])
          : [];
      const referenced = workloads.flatMap((w) =>
        podSpec(w).containers.flatMap((c: Manifest) =>
          (c.env ?? [])
            .filter((e: Manifest) => e.valueFrom?.secretKeyRef)
            .map(
              (e: Manifest) =>
                `${w.metadata.namespace}/${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`,
            ),
        ),
      );
      expect(referenced.length).toBeGreaterThan(5);
      expect(referenced.filter((ref) => !generated.has(ref)).sort()).toEqual([...new Set(external)].sort());
      const token = spec.secrets.find((s: Manifest) => s.name === 'payment-provider-token');
      expect(token.namespaces.sort()).toEqual(['invoices', 'payments']);
    });

    it('opens exactly the contract paths: ingress controller and billing runs -> invoice-app -> payment-provider:9000, each app -> its database', () => {
      const peers = (rules: Manifest[]) =>
        rules.map((rule) => ({
          namespace: rule.from?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'],
          pods: rule.from?.[0]?.podSelector?.matchLabels?.['app.kubernetes.io/name'],
          ports: rule.ports.map((p: Manifest) => p.port),
        }));
      expect(
        peers(ingressOf(objects, 'payment-provider', 'payments')).filter((p) => p.namespace !== 'monitoring'),
      ).toEqual([{ namespace: 'invoices', pods: 'invoice-app', ports: [9000] }]);
      const byPods = (a: { pods: string }, b: { pods: string }) => a.pods.localeCompare(b.pods);
      expect(
        peers(ingressOf(objects, 'invoice-app', 'invoices'))
          .filter((p) => p.namespace !== 'monitoring')
          .sort(byPods),
      ).toEqual([
        { namespace: 'invoices', pods: 'billing-monthly', ports: [8000] },
        { namespace: 'invoices', pods: 'billing-retry', ports: [8000] },
        env === 'prod'
          ? { namespace: 'envoy-gateway-system', pods: 'envoy', ports: [8000] }
          : { namespace: 'ingress-nginx', pods: 'ingress-nginx', ports: [8000] },
      ]);
      if (env === 'dev') {
        expect(peers(ingressOf(objects, 'invoice-app-db', 'invoices'))).toEqual([
          { namespace: 'invoices', pods: 'invoice-app', ports: [5432] },
        ]);
        expect(peers(ingressOf(objects, 'payment-provider-db', 'payments'))).toEqual([
          { namespace: 'payments', pods: 'payment-provider', ports: [5432] },
        ]);
      }
      for (const namespace of ['invoices', 'payments', 'billing-system']) {
        expect(named(objects, 'NetworkPolicy', 'default-deny', namespace).spec).toEqual({
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
        });
      }
    });

    it('lets each team deploy to its own namespace only', () => {
      for (const team of ['invoices', 'payments']) {
        const bindings = objects.filter(
          (o) =>
            o.kind === 'RoleBinding' &&
            o.subjects.some((s: Manifest) => s.kind === 'Group' && s.name === `team-${team}`),
        );
        expect(bindings.map((b) => b.metadata.namespace)).toEqual([team]);
        const role = named(objects, 'Role', bindings[0]?.roleRef.name, team);
        expect(allows(role, 'patch', 'apps', 'deployments')).toBe(true);
        expect(allows(role, 'get', '', 'secrets')).toBe(false);
      }
      expect(objects.filter((o) => ['ClusterRole', 'ClusterRoleBinding'].includes(o.kind))).toEqual([]);
    });
  });
}

describe('dev and prod differ where they should', () => {
  const dev = environmentObjects(files, '.');
  const prod = environmentObjects(files, 'prod');
  it('dev runs its databases in the cluster behind an Ingress; prod runs them on CloudNativePG behind a Gateway', () => {
    expect(
      dev
        .filter((o) => o.kind === 'StatefulSet')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['invoice-app-db', 'payment-provider-db']);
    expect(prod.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    // Dev applies to an empty cluster: no object of a kind only an operator's CRD defines.
    const builtIn =
      /^(v1|apps\/v1|batch\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1|rbac\.authorization\.k8s\.io\/v1|admissionregistration\.k8s\.io\/v1)$/;
    expect(dev.filter((o) => !builtIn.test(o.apiVersion)).map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([]);
    for (const service of ['invoice-app', 'payment-provider']) {
      const namespace = service === 'invoice-app' ? 'invoices' : 'payments';
      expect(named(prod, 'Cluster', `${service}-db`, namespace).spec.instances).toBe(3);
      expect(named(prod, 'Pooler', `${service}-db-pooler`, namespace).spec.cluster.name).toBe(`${service}-db`);
      expect(named(prod, 'ScheduledBackup', `${service}-db-daily`, namespace).spec.cluster.name).toBe(`${service}-db`);
      expect(named(prod, 'NetworkPolicy', service, namespace).spec.egress).toContainEqual({
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
            podSelector: { matchLabels: { 'cnpg.io/poolerName': `${service}-db-pooler` } },
          },
        ],
        ports: [{ port: 5432, protocol: 'TCP' }],
      });
    }
    expect(prod.filter((o) => o.kind === 'Ingress')).toEqual([]);
    const listener = named(prod, 'Gateway', 'public', 'invoices').spec.listeners[0];
    expect(listener).toMatchObject({ hostname: 'billing.example.com', protocol: 'HTTPS' });
    expect(named(prod, 'Certificate', 'public', 'invoices').spec.secretName).toBe(listener.tls.certificateRefs[0].name);
    expect(
      named(prod, 'HTTPRoute', 'invoice-app-read', 'invoices').spec.rules[0].matches.map((m: Manifest) => m.method),
    ).toEqual(Array(5).fill('GET'));
    for (const objects of [dev, prod]) {
      expect(
        named(objects, 'Deployment', 'invoice-app', 'invoices').metadata.annotations?.[CREATED_AT_DEPLOY],
      ).toBeUndefined();
    }
    expect(named(dev, 'Ingress', 'public-api', 'invoices').spec.tls).toBeUndefined();
    const scrapers = (objects: Manifest[], name: string, namespace: string) =>
      named(objects, 'NetworkPolicy', name, namespace).spec.ingress.filter(
        (rule: Manifest) => rule.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'monitoring',
      );
    expect(scrapers(prod, 'invoice-app', 'invoices')).toHaveLength(1);
    // The contract lets only invoice-app reach payment-provider, scrapers included.
    expect(scrapers(prod, 'payment-provider', 'payments')).toHaveLength(0);
    expect(scrapers(dev, 'invoice-app', 'invoices')).toHaveLength(0);
    const image = (objects: Manifest[]) =>
      podSpec(named(objects, 'Deployment', 'invoice-app', 'invoices')).containers[0].image;
    expect(image(dev)).toMatch(/^localhost:5001\/invoice-app:\d+\.\d+\.\d+$/);
    expect(image(prod)).toMatch(/^registry\.example\.com\/billing\/invoice-app:/);
    expect(named(prod, 'HorizontalPodAutoscaler', 'invoice-app', 'invoices').spec.minReplicas).toBe(
      ENVIRONMENTS.prod.settings.services['invoice-app'].replicas.min,
    );
  });
});

describe('extending the platform', () => {
  it('a third service in a few lines gets every default without writing any of it', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'billing-extend-'));
    try {
      const app = createPlatformApp({ outdir });
      const platform = new BillingPlatform(app, { registry: new ImageRegistry('registry.test', '2.0.0') });

      // The lines a platform engineer writes (docs/extending.md shows the same):
      platform.addTeam('ledger');
      platform.addService('ledger-app', { team: 'ledger', port: 8300, database: true });
      platform.connect('invoice-app', 'ledger-app');

      app.synth();
      const tree = readTree(outdir);
      const objects = environmentObjects(tree, '.');
      const inLedger = objects.filter((o) => o.metadata.namespace === 'ledger');

      // Its file is applied after the namespaces.
      const order = [...tree.keys()].sort();
      expect(order[0]).toMatch(/teams\.k8s\.yaml$/);
      expect(order.at(-1)).toMatch(/ledger\.k8s\.yaml$/);

      // Namespace with Pod Security, quota and defaults; team RBAC bound to team-ledger.
      expect(named(objects, 'Namespace', 'ledger').metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
        'restricted',
      );
      expect(named(objects, 'ResourceQuota', 'quota', 'ledger')).toBeDefined();
      expect(named(objects, 'LimitRange', 'container-defaults', 'ledger')).toBeDefined();
      const binding = named(objects, 'RoleBinding', 'team-deployer', 'ledger');
      expect(binding.subjects).toContainEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'team-ledger',
      });

      // Deployment: probes, restricted security, rollout, drain, resources, pinned image.
      const deployment = named(inLedger, 'Deployment', 'ledger-app');
      const pod = podSpec(deployment);
      const container = pod.containers[0];
      expect(restrictedViolations(pod)).toEqual([]);
      expect(
        [container.startupProbe, container.livenessProbe, container.readinessProbe].map((p) => p.httpGet.path),
      ).toEqual(['/rest/health', '/rest/health', '/rest/ready']);
      expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
      expect(container.image).toBe('registry.test/ledger-app:2.0.0');
      expect(container.resources.limits).toBeDefined();
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(Object.keys(deployment.metadata.labels)).toEqual(expect.arrayContaining(REQUIRED_LABELS));

      // PDB, autoscaler, Service.
      for (const kind of ['PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Service', 'ServiceAccount']) {
        expect(named(inLedger, kind, 'ledger-app'), kind).toBeDefined();
      }

      // Its own default deny plus exactly its allows: from invoice-app, to its database.
      expect(named(objects, 'NetworkPolicy', 'default-deny', 'ledger')).toBeDefined();
      const policy = named(inLedger, 'NetworkPolicy', 'ledger-app').spec;
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.ingress).toEqual([
        { from: [platform.invoiceApp.peer.toSpec()], ports: [{ port: 8300, protocol: 'TCP' }] },
      ]);
      expect(policy.egress).toEqual([
        {
          to: [NetworkPeer.pods('ledger', { 'app.kubernetes.io/name': 'ledger-app-db' }).toSpec()],
          ports: [{ port: 5432, protocol: 'TCP' }],
        },
      ]);
      const invoiceEgress = named(objects, 'NetworkPolicy', 'invoice-app', 'invoices').spec.egress;
      expect(invoiceEgress).toContainEqual({
        to: [platform.service('ledger-app').peer.toSpec()],
        ports: [{ port: 8300, protocol: 'TCP' }],
      });
      expect(platform.connections).toContainEqual({
        from: 'invoices/invoice-app',
        to: 'ledger/ledger-app',
        port: 8300,
        protocol: 'TCP',
        declaredBy: ['invoices/invoice-app/Pod/NetworkPolicy', 'ledger/ledger-app/Pod/NetworkPolicy'],
      });

      // Its database credentials are created by the bootstrap, which may now write in ledger.
      const spec = JSON.parse(named(objects, 'ConfigMap', 'secret-bootstrap', 'billing-system').data['secrets.json']);
      expect(spec.secrets.map((s: Manifest) => s.name)).toContain('ledger-app-db-credentials');
      const bootstrapRole = named(objects, 'Role', 'secret-bootstrap', 'ledger');
      expect(allows(bootstrapRole, 'get', '', 'secrets', 'ledger-app-db-credentials')).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('ExternalDatabase', () => {
  it('defaults to the DATABASE_URL key on port 5432 and checks the CIDR', () => {
    expect(new ExternalDatabase({ secret: 'db', cidr: '10.0.0.0/16' }).url).toEqual({
      secret: 'db',
      key: 'DATABASE_URL',
    });
    expect(() => new ExternalDatabase({ secret: 'db', cidr: '10.0.0.0' })).toThrow(
      'CIDR mask is missing. Did you mean 10.0.0.0/32?',
    );
  });
});
