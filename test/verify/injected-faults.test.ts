import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dump } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { declarationDigest } from '../../charts/construct-annotator.js';
import { CONSTRUCT, DIGEST } from '../../charts/verify-annotations.js';
import type { K8sObject } from '../../verify/kubernetes.js';
import { loadManifests, refOf } from '../../verify/manifest.js';
import { verify } from '../../verify/verify.js';

// The faults issue 16 injected into dist/ and `npm run verify` passed: each must now fail it,
// with a message that names the object, the construct that made it and the fix.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROVIDER_POLICY = 'NetworkPolicy payments/payment-provider';

type Fault = [title: string, inject: (objects: K8sObject[]) => K8sObject[], check: string, message: RegExp];

const find = (objects: K8sObject[], ref: string) => {
  const object = objects.find((candidate) => refOf(candidate) === ref);
  if (!object) throw new Error(`No ${ref} in dist/.`);
  return object;
};
/** Recomputes an edited object's declaration digest, as a careful forger would, so only the intent checks can catch it. */
const forgeDigest = (objects: K8sObject[], ref: string) => {
  const object = find(objects, ref);
  const annotations = { ...object.metadata!.annotations! };
  const construct = annotations[CONSTRUCT]!;
  delete annotations[CONSTRUCT];
  delete annotations[DIGEST];
  const unannotated = { ...object, metadata: { ...object.metadata } };
  if (Object.keys(annotations).length > 0) unannotated.metadata.annotations = annotations;
  else delete unannotated.metadata.annotations;
  object.metadata!.annotations = { ...annotations, [CONSTRUCT]: construct, [DIGEST]: declarationDigest(unannotated) };
  return objects;
};
/** Removes every annotation the library writes for verify, as someone hiding an edit would. */
const stripDeclarations = (objects: K8sObject[]) => {
  for (const object of objects) {
    const annotations = object.metadata?.annotations;
    if (!annotations) continue;
    for (const key of Object.keys(annotations)) if (key.startsWith('verify.billing/')) delete annotations[key];
  }
  return objects;
};
const ingressOf = (objects: K8sObject[]) =>
  (find(objects, PROVIDER_POLICY).spec as { ingress: { from: Record<string, unknown>[] }[] }).ingress[0]!;

const FAULTS: Fault[] = [
  [
    'a Secret with a literal value',
    (objects) => [
      ...objects,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db-password', namespace: 'payments' },
        stringData: { password: 'hunter2' },
      },
    ],
    'secret-literal-data',
    /Secret payments\/db-password stringData: holds literal values \(password\) .*made by no construct.*Fix: /,
  ],
  [
    "payment-provider's ingress opened to every pod of every namespace",
    (objects) => {
      ingressOf(objects).from = [{ namespaceSelector: {} }];
      return objects;
    },
    'declared-objects',
    /NetworkPolicy payments\/payment-provider: differs from what construct payments\/payment-provider\/[\w/]*NetworkPolicy\/Resource declared .*Fix: change that construct/,
  ],
  [
    "payment-provider's ingress opened to every pod of every namespace, its digest forged to match",
    (objects) => {
      ingressOf(objects).from = [{ namespaceSelector: {} }];
      return forgeDigest(objects, PROVIDER_POLICY);
    },
    'undeclared-flows',
    /NetworkPolicy payments\/payment-provider: admits connections nobody declared: .*\(pod in another namespace\) -> payments\/payment-provider 9000\/TCP.* \(made by construct payments\/payment-provider\/[\w/]*NetworkPolicy\/Resource\)\. Fix: narrow it to the declared connections/,
  ],
  [
    'an extra RoleBinding giving team-invoices a Role in payments',
    (objects) => [
      ...objects,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'invoices-help', namespace: 'payments' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-deployer' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-invoices' }],
      },
    ],
    'team-bindings',
    /RoleBinding payments\/invoices-help subjects\[0\]: binds Group team-invoices, of team namespace invoices, in payments \(made by no construct.*Fix: remove the binding/,
  ],
  [
    "a service's NetworkPolicy dropped: its callers' rules become one-sided",
    (objects) => objects.filter((object) => refOf(object) !== PROVIDER_POLICY),
    'blocked-connections',
    /Deployment payments\/payment-provider: refuses connections declared in code: invoices\/invoice-app -> payments\/payment-provider 9000\/TCP \(declared by invoices\/invoice-app\/[\w/]*NetworkPolicy, payments\/payment-provider\/[\w/]*NetworkPolicy\).*a one-sided rule.*Fix: /,
  ],
  [
    "a service's ingress widened from one caller to its whole namespace",
    (objects) => {
      for (const peer of ingressOf(objects).from) delete peer.podSelector;
      return objects;
    },
    'declared-objects',
    /NetworkPolicy payments\/payment-provider: differs from what construct .* declared \(changed after synthesis: a network rule nobody declared\)/,
  ],
  [
    "a service's ingress widened from one caller to its whole namespace, its digest forged to match",
    (objects) => {
      for (const peer of ingressOf(objects).from) delete peer.podSelector;
      return forgeDigest(objects, PROVIDER_POLICY);
    },
    'undeclared-flows',
    /NetworkPolicy payments\/payment-provider: admits connections nobody declared: invoices\/\(any other pod\) -> payments\/payment-provider 9000\/TCP/,
  ],
  [
    'the team Role given write access to NetworkPolicies, its digest forged to match',
    (objects) => {
      const role = find(objects, 'Role invoices/team-deployer') as K8sObject & { rules: Record<string, unknown>[] };
      role.rules.push({ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] });
      return forgeDigest(objects, 'Role invoices/team-deployer');
    },
    'team-permissions',
    /RoleBinding invoices\/team-deployer: lets Group team-invoices, of team namespace invoices, delete networking\.k8s\.io\/networkpolicies \(through Role invoices\/team-deployer; made by construct .*Fix: remove the grant/,
  ],
  [
    'every verify.billing annotation stripped, so that the manifests look hand-written',
    (objects) => stripDeclarations(objects),
    'undeclared-flows',
    /Namespace payments metadata\.annotations\["verify\.billing\/connections"\]: declares no connections \(no verify\.billing\/connections annotation\), although the library made it.*Fix: synthesize it again/,
  ],
  [
    'every verify.billing annotation stripped: the objects no longer name their construct',
    (objects) => stripDeclarations(objects),
    'declared-objects',
    /NetworkPolicy payments\/payment-provider metadata\.annotations: is a network rule nobody declared: made by no construct/,
  ],
  [
    'a workload of ours outside every policy: a hand-written NetworkPolicy opens all egress',
    (objects) => [
      ...objects,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-all-egress', namespace: 'invoices' },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{}] },
      },
    ],
    'undeclared-flows',
    /NetworkPolicy invoices\/allow-all-egress: lets its pods open connections nobody declared: invoices\/invoice-app.* -> internet any.* \(made by no construct/,
  ],
];

describe('faults injected into dist/', () => {
  it('dist/ itself passes', () => {
    expect(verify(loadManifests(['dist'], ROOT)).violations).toEqual([]);
  });

  it.each(FAULTS)('%s fails verification', (title, inject, check, message) => {
    const manifests = loadManifests(['dist'], ROOT);
    const objects = inject(manifests.map((manifest) => manifest.object));
    const report = verify(objects.map((object, order) => ({ object, source: `dist#${order}`, order })));
    const found = report.violations
      .filter((violation) => violation.check === check)
      .map((violation) => `${violation.object}${violation.path ? ` ${violation.path}` : ''}: ${violation.message}`);
    expect(found.join('\n')).toMatch(message);
    // A forged digest passes the provenance check: only the comparison with the intent catches it.
    if (title.includes('digest forged')) {
      expect(report.violations.filter((violation) => violation.check === 'declared-objects')).toEqual([]);
    }
  });

  describe('through npm run verify', () => {
    const work = mkdtempSync(join(tmpdir(), 'verify-faults-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('exits 1 with the message that names the object, its construct and the fix', async () => {
      cpSync(join(ROOT, 'dist'), work, { recursive: true });
      rmSync(join(work, 'prod'), { recursive: true });
      const file = join(work, '0002-payments.k8s.yaml');
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-password', namespace: 'payments' } };
      writeFileSync(file, `${readFileSync(file, 'utf8')}---\n${dump({ ...secret, stringData: { password: 'x' } })}`);
      const result = await promisify(execFile)(process.execPath, ['run-ts.mjs', 'verify/main.ts', work], {
        cwd: ROOT,
        timeout: 120_000,
      }).then(
        () => ({ code: 0, stdout: '' }),
        (error: { code: number; stdout: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✗ secret-literal-data/);
      expect(result.stdout).toMatch(/Secret payments\/db-password stringData: holds literal values .*Fix: /);
    });
  });
});
