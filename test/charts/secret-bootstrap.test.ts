import { Cron, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  CREATED_AT_DEPLOY,
  GeneratedSecret,
  Image,
  NetworkPeer,
  SecretBootstrap,
  SecretValue,
  type SecretBootstrapProps,
} from '../../charts/index.js';
import {
  all,
  environmentObjects,
  only,
  podSpec,
  restrictedViolations,
  roleAllows as allows,
  synth,
  synthesizeAll,
  testChart,
  type Manifest,
} from '../../charts/index.js';

describe('SecretValue and GeneratedSecret', () => {
  it('records recipes, never values', () => {
    const chart = testChart();
    const secret = new GeneratedSecret(chart, 'db', {
      name: 'db-credentials',
      namespaces: ['ledger'],
      keys: {
        USER: SecretValue.literal('ledger'),
        PASSWORD: SecretValue.random(),
        URL: SecretValue.template('postgres://{USER}:{PASSWORD}@db/ledger'),
      },
    });
    expect(secret.toSpec()).toEqual({
      name: 'db-credentials',
      namespaces: ['ledger'],
      keys: {
        USER: { literal: 'ledger' },
        PASSWORD: { random: 32 },
        URL: { template: 'postgres://{USER}:{PASSWORD}@db/ledger' },
      },
    });
    expect(secret.ref('URL')).toEqual({ secret: 'db-credentials', key: 'URL' });
    // A GeneratedSecret synthesizes nothing itself.
    expect(synth(chart)).toEqual([]);
  });

  it('refuses what could not work, with the fix', () => {
    const chart = testChart();
    const make = (props: Partial<ConstructorParameters<typeof GeneratedSecret>[2]>) =>
      new GeneratedSecret(chart, `s${Math.random()}`, { name: 's', namespaces: ['a'], keys: {}, ...props });
    expect(() => SecretValue.random(8)).toThrow(/at least 16 bytes/);
    expect(() => make({ namespaces: [] })).toThrow(/no namespace/);
    expect(() => make({ keys: { 'not-env': SecretValue.random() } })).toThrow(/environment variable name/);
    expect(() => make({ keys: { URL: SecretValue.template('{MISSING}') } })).toThrow(/refers to \{MISSING\}/);
    expect(() => make({ keys: { A: SecretValue.template('x'), B: SecretValue.template('{A}') } })).toThrow(
      /refers to \{A\}/,
    );
    expect(() => make({ keys: { A: SecretValue.random() } }).ref('B')).toThrow(
      "Secret 's' has no key 'B'. Its keys are: A.",
    );
  });
});

function bootstrapChart(props: Partial<SecretBootstrapProps> = {}) {
  const chart = testChart();
  const bootstrap = new SecretBootstrap(chart, 'bootstrap', { namespace: 'platform', ...props });
  return { chart, bootstrap };
}

const specOf = (manifests: Manifest[]) => JSON.parse(only(manifests, 'ConfigMap').data['secrets.json']);

describe('SecretBootstrap', () => {
  it('creates every declared Secret from a Job on first apply and a reconciling CronJob', () => {
    const { chart, bootstrap } = bootstrapChart();
    bootstrap.serve('payments');
    bootstrap.serve('invoices');
    new GeneratedSecret(chart, 'shared', {
      name: 'provider-token',
      namespaces: ['payments', 'invoices'],
      keys: { TOKEN: SecretValue.random() },
    });
    const manifests = synth(chart);

    expect(specOf(manifests)).toEqual({
      partOf: 'billing',
      secrets: [{ name: 'provider-token', namespaces: ['payments', 'invoices'], keys: { TOKEN: { random: 32 } } }],
    });
    expect(only(manifests, 'ConfigMap').data['bootstrap-secrets.mjs']).toContain('never changed');

    const job = only(manifests, 'Job');
    // For `npm run verify`: what the Job creates, and why it mounts an API token.
    expect(job.metadata.annotations).toEqual({
      [CREATED_AT_DEPLOY]: 'Secret/payments/provider-token, Secret/invoices/provider-token',
      'ignore-check.verify.billing/service-account-token-automount': expect.stringContaining('Kubernetes API'),
    });
    const cronJob = only(manifests, 'CronJob', 'secret-bootstrap');
    expect(job.metadata.name).toMatch(/^secret-bootstrap-[0-9a-f]{8}$/);
    expect(cronJob.spec).toMatchObject({ schedule: '17 * * * *', concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC' });
    for (const workload of [job, cronJob]) {
      const pod = podSpec(workload);
      expect(workload.metadata.namespace).toBe('platform');
      expect(restrictedViolations(pod)).toEqual([]);
      expect(pod.serviceAccountName).toBe('secret-bootstrap');
      expect(pod.automountServiceAccountToken).toBe(true);
      expect(pod.containers[0].image).toBe('docker.io/library/node:20.19.5-alpine3.22');
      expect(pod.containers[0].command).toEqual([
        'node',
        '/bootstrap/bootstrap-secrets.mjs',
        '/bootstrap/secrets.json',
      ]);
      expect(pod.volumes).toEqual([
        { name: 'bootstrap', configMap: { name: 'secret-bootstrap' } },
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      ]);
    }
  });

  it('may get exactly the named Secrets and create Secrets only in the namespaces it serves', () => {
    const { chart, bootstrap } = bootstrapChart();
    bootstrap.serve('payments');
    bootstrap.serve('invoices');
    bootstrap.serve('invoices');
    new GeneratedSecret(chart, 'shared', {
      name: 'provider-token',
      namespaces: ['payments', 'invoices'],
      keys: { T: SecretValue.random() },
    });
    new GeneratedSecret(chart, 'own', {
      name: 'billing-token',
      namespaces: ['invoices'],
      keys: { T: SecretValue.random() },
    });
    const manifests = synth(chart);
    const roles = all(manifests, 'Role');
    expect(roles.map((r) => r.metadata.namespace)).toEqual(['payments', 'invoices']);
    const invoices = roles.find((r) => r.metadata.namespace === 'invoices') as Manifest;
    const payments = roles.find((r) => r.metadata.namespace === 'payments') as Manifest;
    expect(allows(invoices, 'get', '', 'secrets', 'billing-token')).toBe(true);
    expect(allows(invoices, 'get', '', 'secrets', 'provider-token')).toBe(true);
    expect(allows(invoices, 'get', '', 'secrets', 'other')).toBe(false);
    expect(allows(payments, 'get', '', 'secrets', 'billing-token')).toBe(false);
    for (const role of roles) {
      expect(allows(role, 'create', '', 'secrets')).toBe(true);
      for (const verb of ['list', 'watch', 'update', 'patch', 'delete']) {
        expect(allows(role, verb, '', 'secrets', 'provider-token'), verb).toBe(false);
      }
    }
    for (const binding of all(manifests, 'RoleBinding')) {
      expect(Object.keys(binding.metadata.annotations).filter((key) => key.startsWith('ignore-check'))).toEqual([
        'ignore-check.verify.billing/rbac-secret-read',
      ]);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'secret-bootstrap', namespace: 'platform' }]);
    }
    expect(all(manifests, 'ClusterRole')).toEqual([]);
  });

  it('reaches only the API server: egress to it, no ingress', () => {
    const { chart } = bootstrapChart();
    const policy = only(synth(chart), 'NetworkPolicy', 'secret-bootstrap').spec;
    expect(policy.ingress).toBeUndefined();
    expect(policy.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
        ports: [443, 6443, 8443].map((port) => ({ port, protocol: 'TCP' })),
      },
    ]);
  });

  it('takes an image, a schedule, the API server address and ports, and a part-of', () => {
    const { chart } = bootstrapChart({
      image: Image.of('mirror.test/node:20.19.5'),
      schedule: Cron.schedule({ minute: '*/15' }),
      apiServer: NetworkPeer.cidr('172.18.0.0/16'),
      apiServerPorts: [6443],
      partOf: 'ledger',
    });
    const manifests = synth(chart);
    const cronJob = only(manifests, 'CronJob');
    expect(cronJob.spec.schedule).toBe('*/15 * * * *');
    expect(podSpec(cronJob).containers[0].image).toBe('mirror.test/node:20.19.5');
    expect(only(manifests, 'NetworkPolicy').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '172.18.0.0/16' } }], ports: [{ port: 6443, protocol: 'TCP' }] },
    ]);
    expect(specOf(manifests).partOf).toBe('ledger');
    expect(cronJob.metadata.labels['app.kubernetes.io/part-of']).toBe('ledger');
  });

  it('names the Job after its pod template, so a new template is a new Job rather than a failed apply', () => {
    const name = (props: Partial<SecretBootstrapProps>) =>
      only(synth(bootstrapChart(props).chart), 'Job').metadata.name;
    expect(name({})).toBe(name({}));
    expect(name({ image: Image.of('mirror.test/node:20.19.5') })).not.toBe(name({}));
  });

  it('names the Job after every Secret it creates, so a changed list runs it again at the next apply', () => {
    const jobName = (...secrets: [string, string[], string][]) => {
      const { chart, bootstrap } = bootstrapChart();
      for (const [name, namespaces, key] of secrets) {
        namespaces.forEach((namespace) => bootstrap.serve(namespace));
        new GeneratedSecret(chart, name, { name, namespaces, keys: { [key]: SecretValue.random() } });
      }
      return only(synth(chart), 'Job').metadata.name as string;
    };
    const first = jobName(['token', ['ledger'], 'TOKEN']);
    expect(first).toMatch(/^secret-bootstrap-[0-9a-f]{8}$/);
    expect(jobName(['token', ['ledger'], 'TOKEN'])).toBe(first);
    const changed = [
      jobName(['token', ['ledger'], 'TOKEN'], ['db', ['ledger'], 'PASSWORD']),
      jobName(['token', ['ledger', 'books'], 'TOKEN']),
      jobName(['token', ['ledger'], 'OTHER_KEY']),
      jobName(['renamed', ['ledger'], 'TOKEN']),
    ];
    expect(new Set([first, ...changed]).size).toBe(5);
  });

  it('gives dev and prod, whose Secrets differ, different Jobs', () => {
    const files = synthesizeAll();
    const names = ['.', 'prod'].map((folder) => only(environmentObjects(files, folder), 'Job').metadata.name);
    expect(names[0]).not.toBe(names[1]);
  });

  it('fails synthesis for a Secret in a namespace it does not serve, or declared twice', () => {
    const { chart, bootstrap } = bootstrapChart();
    bootstrap.serve('ledger');
    new GeneratedSecret(chart, 'a', { name: 'token', namespaces: ['ledger'], keys: { T: SecretValue.random() } });
    new GeneratedSecret(chart, 'b', {
      name: 'token',
      namespaces: ['ledger', 'books'],
      keys: { T: SecretValue.random() },
    });
    expect(() => Testing.synth(chart)).toThrow(
      /Secret 'token' is in namespace 'books', which the secret bootstrap does not serve. Call serve\('books'\)/,
    );
    expect(() => Testing.synth(chart)).toThrow(/Secret 'ledger\/token' is declared twice/);
  });
});
