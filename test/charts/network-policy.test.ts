import { describe, expect, it } from 'vitest';
import {
  allowConnection,
  checkCidr,
  NetworkPeer,
  NetworkPolicyPort,
  WorkloadNetworkPolicy,
} from '../../charts/index.js';
import { only, synth, testChart } from '../../charts/index.js';

describe('checkCidr', () => {
  it('accepts network addresses with a mask', () => {
    expect(checkCidr('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(checkCidr('0.0.0.0/0')).toBe('0.0.0.0/0');
    expect(checkCidr('192.168.1.7/32')).toBe('192.168.1.7/32');
  });

  it('says how to fix a bad CIDR', () => {
    expect(() => checkCidr('10.0.0.0')).toThrow('CIDR mask is missing. Did you mean 10.0.0.0/32?');
    expect(() => checkCidr('10.0.0.1/8')).toThrow('CIDR 10.0.0.1/8 has host bits set. Did you mean 10.0.0.0/8?');
    expect(() => checkCidr('10.0.0.0/33')).toThrow(/"10.0.0.0\/33" is not an IPv4 or IPv6 CIDR/);
    expect(() => checkCidr('10.0.0/8')).toThrow(/not an IPv4 or IPv6 CIDR/);
    expect(() => checkCidr('10.0.0.256/32')).toThrow(/not an IPv4 or IPv6 CIDR/);
  });
});

describe('NetworkPolicyPort', () => {
  it('refuses ports out of range', () => {
    expect(NetworkPolicyPort.tcp(9000).toSpec()).toEqual({ port: expect.anything(), protocol: 'TCP' });
    expect(() => NetworkPolicyPort.tcp(0)).toThrow(/out of range/);
    expect(() => NetworkPolicyPort.udp(70000)).toThrow(/out of range/);
  });
});

describe('WorkloadNetworkPolicy', () => {
  const newPolicy = (chart = testChart()) =>
    new WorkloadNetworkPolicy(chart, 'policy', { name: 'api', namespace: 'team', podLabels: { app: 'api' } });

  it('isolates its pods in both directions when nothing is allowed', () => {
    const chart = testChart();
    newPolicy(chart);
    const policy = only(synth(chart), 'NetworkPolicy', 'api');
    expect(policy.metadata.namespace).toBe('team');
    expect(policy.spec).toEqual({ podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress', 'Egress'] });
  });

  it('renders each allow as a rule with its peer and ports, once', () => {
    const chart = testChart();
    const policy = newPolicy(chart);
    policy.allowIngress(NetworkPeer.pods('edge', { app: 'proxy' }), NetworkPolicyPort.tcp(8000));
    policy.allowIngress(NetworkPeer.pods('edge', { app: 'proxy' }), NetworkPolicyPort.tcp(8000));
    policy.allowEgress(NetworkPeer.cidr('10.20.0.0/24'), NetworkPolicyPort.tcp(5432));
    const spec = only(synth(chart), 'NetworkPolicy').spec;
    expect(spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } },
            podSelector: { matchLabels: { app: 'proxy' } },
          },
        ],
        ports: [{ port: 8000, protocol: 'TCP' }],
      },
    ]);
    expect(spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });

  it('refuses a rule without ports', () => {
    expect(() => newPolicy().allowEgress(NetworkPeer.kubeDns())).toThrow(/at least one port/);
  });

  it('allowConnection adds the egress rule on the client and the ingress rule on the server', () => {
    const chart = testChart();
    const make = (name: string) => ({
      networkPolicy: new WorkloadNetworkPolicy(chart, name, { name, namespace: name, podLabels: { app: name } }),
      peer: NetworkPeer.pods(name, { app: name }),
    });
    const client = make('client');
    const server = make('server');
    allowConnection(client, server, NetworkPolicyPort.tcp(9000));
    const manifests = synth(chart);
    const clientSpec = only(manifests, 'NetworkPolicy', 'client').spec;
    const serverSpec = only(manifests, 'NetworkPolicy', 'server').spec;
    expect(clientSpec.egress[0].to[0].podSelector.matchLabels).toEqual({ app: 'server' });
    expect(clientSpec.ingress).toBeUndefined();
    expect(serverSpec.ingress[0].from[0].podSelector.matchLabels).toEqual({ app: 'client' });
    expect(serverSpec.ingress[0].ports).toEqual([{ port: 9000, protocol: 'TCP' }]);
    expect(serverSpec.egress).toBeUndefined();
  });
});
