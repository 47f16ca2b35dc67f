import { cidrContains, parseCidr } from '../charts/cidr.js';
import type { Labels, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from './kubernetes.js';
import { selects } from './label-selector.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';

/** Something traffic can come from or go to: a pod (by its labels and namespace) or an address. */
export interface Peer {
  /** Namespace of a pod; undefined for an address outside the cluster. */
  readonly namespace?: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  /** IP address of something outside the cluster; undefined for a pod. */
  readonly ip?: string;
}

/** A port on the receiving side: number, optional name, protocol. */
export interface TargetPort {
  readonly port: number;
  readonly name?: string;
  readonly protocol: string;
}

export const specOf = (policy: Manifest) => (policy.object.spec ?? {}) as NetworkPolicySpec;

/** The directions a policy isolates: `policyTypes`, or as the API server defaults it when unset. */
export function policyTypesOf(spec: NetworkPolicySpec): { ingress: boolean; egress: boolean } {
  if (spec.policyTypes && spec.policyTypes.length > 0) {
    return { ingress: spec.policyTypes.includes('Ingress'), egress: spec.policyTypes.includes('Egress') };
  }
  return { ingress: true, egress: (spec.egress ?? []).length > 0 };
}

/** Whether a policy applies to (selects) a pod. */
export function policySelects(policy: Manifest, pod: Peer): boolean {
  return pod.namespace === namespaceOf(policy.object) && selects(specOf(policy).podSelector, pod.labels);
}

/** Whether a rule peer of a policy in `policyNamespace` matches a pod or address, per the NetworkPolicy API. */
export function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, target: Peer): boolean {
  if (peer.ipBlock) {
    if (target.ip === undefined) return false;
    const cidr = parseCidr(peer.ipBlock.cidr);
    if (typeof cidr === 'string' || !cidrContains(cidr, target.ip)) return false;
    return !(peer.ipBlock.except ?? []).some((value) => {
      const except = parseCidr(value);
      return typeof except !== 'string' && cidrContains(except, target.ip!);
    });
  }
  if (target.namespace === undefined) return false;
  const namespaceMatches = peer.namespaceSelector
    ? selects(peer.namespaceSelector, target.namespaceLabels)
    : target.namespace === policyNamespace;
  const podMatches = peer.podSelector ? selects(peer.podSelector, target.labels) : true;
  return namespaceMatches && podMatches;
}

/** Whether a rule's port list admits a port (an empty list admits every port). */
export function portAllowed(ports: NetworkPolicyPort[] | undefined, target: TargetPort): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== target.protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'string') return rule.port === target.name;
    return target.port >= rule.port && target.port <= (rule.endPort ?? rule.port);
  });
}

/** Whether a rule's peer list admits a peer (an absent or empty list admits everything). */
export function peersAllow(peers: NetworkPolicyPeer[] | undefined, policyNamespace: string, target: Peer): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => peerMatches(peer, policyNamespace, target));
}
