import type { App } from 'cdk8s';
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { canonicalQuantity, createPlatformApp } from '../../charts/index.js';
import { environmentObjects, only, synthesizeAll, type Manifest } from '../../charts/index.js';

/** A Deployment, a Service and a RoleBinding to a ServiceAccount, as cdk8s-plus emits them. */
function plainObjects(app: App): Manifest[] {
  const chart = new Chart(app, 'test', { namespace: 'team' });
  const deployment = new kplus.Deployment(chart, 'deployment', {
    containers: [
      {
        image: 'app:1.0.0',
        portNumber: 8000,
        resources: { cpu: { request: kplus.Cpu.millis(1000) }, memory: { request: Size.mebibytes(1024) } },
      },
    ],
  });
  deployment.exposeViaService();
  const claim = new kplus.PersistentVolumeClaim(chart, 'claim', { storage: Size.gibibytes(1) });
  deployment.containers[0]?.mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, 'data', claim));
  const account = new kplus.ServiceAccount(chart, 'account');
  const role = new kplus.Role(chart, 'role');
  role.allowRead(kplus.ApiResource.PODS);
  new kplus.RoleBinding(chart, 'binding', { role }).addSubjects(account);
  return Testing.synth(chart) as Manifest[];
}

describe('ServerNormalizer', () => {
  it('without it, cdk8s-plus emits fields the API server drops or rewrites (so a second apply is never unchanged)', () => {
    const raw = plainObjects(Testing.app());
    const pod = only(raw, 'Deployment').spec.template.spec;
    expect(only(raw, 'Deployment').spec.minReadySeconds).toBe(0);
    expect(pod.hostNetwork).toBe(false);
    expect(pod.volumes[0].persistentVolumeClaim.readOnly).toBe(false);
    expect(pod.containers[0].resources.requests).toEqual({ cpu: '1000m', memory: '1024Mi' });
    expect(only(raw, 'Service').spec.externalIPs).toEqual([]);
    expect(only(raw, 'RoleBinding').subjects[0].apiGroup).toBe('');
  });

  it('strips those fields and canonicalizes quantities, once for every object of the app', () => {
    const normalized = plainObjects(createPlatformApp({ outdir: Testing.app().outdir }));
    const deployment = only(normalized, 'Deployment');
    const pod = deployment.spec.template.spec;
    expect(deployment.spec).not.toHaveProperty('minReadySeconds');
    expect(pod).not.toHaveProperty('hostNetwork');
    expect(pod.volumes[0].persistentVolumeClaim).toEqual({ claimName: pod.volumes[0].persistentVolumeClaim.claimName });
    expect(pod.containers[0].resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(only(normalized, 'Service').spec).not.toHaveProperty('externalIPs');
    const subject = only(normalized, 'RoleBinding').subjects[0];
    expect(subject).toEqual({ kind: 'ServiceAccount', name: subject.name, namespace: 'team' });
    // Everything else stays as it was.
    expect(pod.containers[0].image).toBe('app:1.0.0');
    expect(only(normalized, 'Role').rules[0].apiGroups).toEqual(['']);
  });
});

describe('canonicalQuantity', () => {
  it('writes quantities as the API server stores them', () => {
    expect(canonicalQuantity('1000m')).toBe('1');
    expect(canonicalQuantity('2500m')).toBe('2500m');
    expect(canonicalQuantity('100m')).toBe('100m');
    expect(canonicalQuantity('1024Mi')).toBe('1Gi');
    expect(canonicalQuantity('2097152Ki')).toBe('2Gi');
    expect(canonicalQuantity('1536Mi')).toBe('1536Mi');
    expect(canonicalQuantity('0Mi')).toBe('0Mi');
    expect(canonicalQuantity('8Gi')).toBe('8Gi');
    expect(canonicalQuantity('4')).toBe('4');
  });
});

/**
 * Fields whose zero value the API server keeps, because they are pointers (or required) in
 * its Go types. Any other zero value, empty list or empty map in dist/ would be dropped by
 * the server and re-sent by every apply.
 */
const KEPT_ZERO_VALUES = new Set([
  'automountServiceAccountToken',
  'allowPrivilegeEscalation',
  'privileged',
  'readOnlyRootFilesystem',
  'setHostnameAsFQDN',
  'suspend',
  'immutable',
  'maxUnavailable',
  'partition',
  'stabilizationWindowSeconds',
  'services.loadbalancers',
  'services.nodeports',
  // LabelSelector `podSelector` is required on a NetworkPolicy ({} = every pod).
  'podSelector',
  // A Namespace's spec is a struct, which the server always writes.
  'spec',
  // An emptyDir with default settings is a present, empty struct.
  'emptyDir',
  // The core API group is the empty string.
  'apiGroups',
]);

function zeroValues(value: unknown, path: string[], found: string[]): void {
  const key = path.at(-1) ?? '';
  const isIndex = /^\d+$/.test(key);
  const owner = isIndex ? (path.at(-2) ?? '') : key;
  const empty =
    value === false ||
    value === 0 ||
    value === '' ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
  if (empty && !KEPT_ZERO_VALUES.has(owner)) found.push(`${path.join('.')} = ${JSON.stringify(value)}`);
  if (typeof value === 'object' && value !== null) {
    for (const [child, inner] of Object.entries(value)) zeroValues(inner, [...path, child], found);
  }
}

describe('every environment', () => {
  const files = synthesizeAll();
  for (const folder of ['.', 'prod']) {
    it(`${folder === '.' ? 'dev' : folder}: holds no value the API server would drop`, () => {
      const found: string[] = [];
      for (const object of environmentObjects(files, folder)) {
        zeroValues(object, [`${object.kind}/${object.metadata.name}`], found);
      }
      expect(found).toEqual([]);
    });
  }
});
