import { ianaSvcName, portNumber } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { cidrWithin, parseCidr } from '../../charts/cidr.js';
import type { NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from '../kubernetes.js';
import type { Manifest } from '../manifest.js';

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);
const POLICY_TYPES = new Set(['Ingress', 'Egress']);

function portProblems(manifest: Manifest, port: NetworkPolicyPort, at: string): Finding[] {
  const found: Finding[] = [];
  if (port.protocol !== undefined && !PROTOCOLS.has(port.protocol)) {
    found.push(finding(manifest, `${at}.protocol`, `"${port.protocol}" is not TCP, UDP or SCTP`));
  }
  if (port.port !== undefined) {
    const problem = typeof port.port === 'number' ? portNumber(port.port) : ianaSvcName(port.port);
    if (problem) found.push(finding(manifest, `${at}.port`, `${port.port} ${problem}`));
  }
  if (port.endPort !== undefined) {
    if (typeof port.port !== 'number') found.push(finding(manifest, `${at}.endPort`, 'endPort needs a numeric port'));
    else if (port.endPort < port.port)
      found.push(finding(manifest, `${at}.endPort`, `endPort ${port.endPort} is below port ${port.port}`));
  }
  return found;
}

function peerProblems(manifest: Manifest, peer: NetworkPolicyPeer, at: string): Finding[] {
  const selectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock === undefined) {
    return selectors ? [] : [finding(manifest, at, 'a peer needs a podSelector, a namespaceSelector or an ipBlock')];
  }
  if (selectors) return [finding(manifest, at, 'ipBlock may not be combined with podSelector or namespaceSelector')];
  const cidr = parseCidr(peer.ipBlock.cidr);
  if (typeof cidr === 'string') return [finding(manifest, `${at}.ipBlock.cidr`, cidr)];
  return (peer.ipBlock.except ?? []).flatMap((value, index) => {
    const except = parseCidr(value);
    if (typeof except === 'string') return [finding(manifest, `${at}.ipBlock.except[${index}]`, except)];
    return cidrWithin(except, cidr)
      ? []
      : [finding(manifest, `${at}.ipBlock.except[${index}]`, `${value} is not within ${peer.ipBlock!.cidr}`)];
  });
}

export const networkPolicyRules: Check = {
  name: 'network-policy-rules',
  category: 'api-server',
  reason: 'NetworkPolicy ports, endPort ranges, peers (selectors xor ipBlock), CIDRs and policyTypes must be valid.',
  run(cluster) {
    return cluster.ofKind('NetworkPolicy').flatMap((manifest) => {
      const spec = (manifest.object.spec ?? {}) as NetworkPolicySpec;
      const found: Finding[] = [];
      (spec.policyTypes ?? []).forEach((type, index) => {
        if (!POLICY_TYPES.has(type))
          found.push(finding(manifest, `spec.policyTypes[${index}]`, `"${type}" is not Ingress or Egress`));
      });
      const rules = [
        ...(spec.ingress ?? []).map((rule, index) => ({
          peers: rule.from,
          ports: rule.ports,
          at: `spec.ingress[${index}]`,
          field: 'from',
        })),
        ...(spec.egress ?? []).map((rule, index) => ({
          peers: rule.to,
          ports: rule.ports,
          at: `spec.egress[${index}]`,
          field: 'to',
        })),
      ];
      for (const { peers, ports, at, field } of rules) {
        (ports ?? []).forEach((port, index) => found.push(...portProblems(manifest, port, `${at}.ports[${index}]`)));
        (peers ?? []).forEach((peer, index) => found.push(...peerProblems(manifest, peer, `${at}.${field}[${index}]`)));
      }
      return found;
    });
  },
};
