import { describe, expect, it } from 'vitest';
import {
  BillingPlatform,
  ClusterDns,
  createPlatformApp,
  ImageRegistry,
  Manifests,
  NetworkPeer,
  Platform,
  type BillingPlatformProps,
} from '../../charts/index.js';

const registry = new ImageRegistry('registry.test', '1.0.0');

function billing(props: Partial<BillingPlatformProps> = {}): Manifests {
  return Manifests.of(new BillingPlatform(createPlatformApp(), { registry, ...props }).app);
}

const KUBE_DNS = 'kube-system/{k8s-app=kube-dns}';
const NODE_LOCAL = 'ipBlock 169.254.20.10/32';
const OPENSHIFT_DNS = 'openshift-dns/{dns.operator.openshift.io/daemonset-dns=default}';

describe('Platform', () => {
  it('refuses unknown and twice-registered names with the fix', () => {
    const platform = new Platform(createPlatformApp(), { registry });
    expect(() => platform.addService('a', { team: 'nobody', port: 8000 })).toThrow(
      "Register it first with addTeam('nobody')",
    );
    platform.addTeam('team');
    expect(() => platform.addTeam('team')).toThrow("Team 'team' is already registered");
    platform.addService('a', { team: 'team', port: 8000 });
    expect(() => platform.connect('a', 'b')).toThrow("No service 'b'");
    expect(() => platform.connect('a', 'a', { tokenVariable: 'A_TOKEN' })).toThrow("Service 'a' has no token");
    expect(() =>
      platform.addService('b', { team: 'team', port: 8001, externalDatabase: { secret: 'db', cidr: '10.0.0.0/24' } }),
    ).toThrow('Register it with database: true');
  });

  it('resolves names through kube-dns by default, and nothing else on port 53', () => {
    const manifests = billing();
    expect(manifests.canReach('invoices/invoice-app', KUBE_DNS, 53)).toBe(true);
    expect(manifests.canReach('invoices/invoice-app', NODE_LOCAL, 53)).toBe(false);
  });

  it('resolves names through NodeLocal DNSCache when told, with kube-dns behind it', () => {
    const manifests = billing({ dns: ClusterDns.nodeLocal() });
    for (const workload of ['invoices/invoice-app', 'payments/payment-provider', 'invoices/billing-monthly']) {
      expect(manifests.canReach(workload, NODE_LOCAL, 53), workload).toBe(true);
      expect(manifests.canReach(workload, KUBE_DNS, 53), workload).toBe(true);
    }
    expect(manifests.verify().violations).toEqual([]);
  });

  it("resolves names through OpenShift's DNS pods on their port 5353 when told", () => {
    const manifests = billing({ dns: ClusterDns.openShift() });
    expect(manifests.canReach('payments/payment-provider', OPENSHIFT_DNS, 5353)).toBe(true);
    expect(manifests.canReach('payments/payment-provider', KUBE_DNS, 53)).toBe(false);
    expect(manifests.verify().violations).toEqual([]);
  });

  it("narrows the secret bootstrap's API-server egress to the address it is told; by default any address on the API ports", () => {
    const open = billing();
    expect(open.canReach('billing-system/secret-bootstrap', 'internet', 443)).toBe(true);
    const narrowed = billing({ apiServer: NetworkPeer.cidr('172.18.0.2/32'), apiServerPorts: [6443] });
    expect(narrowed.canReach('billing-system/secret-bootstrap', 'internet', 443)).toBe(false);
    expect(narrowed.canReach('billing-system/secret-bootstrap', 'ipBlock 172.18.0.2/32', 6443)).toBe(true);
    expect(narrowed.find('NetworkPolicy', 'secret-bootstrap').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '172.18.0.2/32' } }], ports: [{ port: 6443, protocol: 'TCP' }] },
    ]);
  });

  it("puts the in-cluster databases on the storage class it is told, and on the cluster's default otherwise", () => {
    const claims = (manifests: Manifests) => manifests.all('PersistentVolumeClaim');
    expect(claims(billing()).map((claim) => claim.spec.storageClassName)).toEqual([undefined, undefined]);
    expect(claims(billing({ storageClassName: 'fast-ssd' })).map((claim) => claim.spec.storageClassName)).toEqual([
      'fast-ssd',
      'fast-ssd',
    ]);
  });
});
