import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  KubeNetworkPolicy,
  type NetworkPolicyPeer as PeerSpec,
  type NetworkPolicyPort as PortSpec,
} from '../imports/k8s.js';
import { IntOrString } from '../imports/k8s.js';

/** A port that a rule opens. */
export class NetworkPolicyPort {
  /** A TCP port, e.g. `NetworkPolicyPort.tcp(9000)`. */
  static tcp(port: number): NetworkPolicyPort {
    return new NetworkPolicyPort(port, 'TCP');
  }

  /** A UDP port. */
  static udp(port: number): NetworkPolicyPort {
    return new NetworkPolicyPort(port, 'UDP');
  }

  private constructor(
    readonly port: number,
    readonly protocol: 'TCP' | 'UDP',
  ) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`Port ${port} is out of range. Use a whole number from 1 to 65535.`);
    }
  }

  toSpec(): PortSpec {
    return { port: IntOrString.fromNumber(this.port), protocol: this.protocol };
  }
}

/** The other end of a connection: pods selected by labels in a namespace, or an address range. */
export class NetworkPeer {
  /** Pods with these labels in the named namespace. */
  static pods(namespace: string, labels: Record<string, string>): NetworkPeer {
    return new NetworkPeer({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: labels },
    });
  }

  /** An address range outside the cluster, e.g. a managed database's subnet. */
  static cidr(cidr: string): NetworkPeer {
    return new NetworkPeer({ ipBlock: { cidr: checkCidr(cidr) } });
  }

  /** The cluster DNS (CoreDNS keeps the `k8s-app: kube-dns` label on kind, minikube and the clouds). */
  static kubeDns(): NetworkPeer {
    return NetworkPeer.pods('kube-system', { 'k8s-app': 'kube-dns' });
  }

  private constructor(private readonly spec: PeerSpec) {}

  toSpec(): PeerSpec {
    return this.spec;
  }
}

/** Something whose pods have a policy of their own and that others can name as a peer. */
export interface INetworkEndpoint {
  /** The policy that isolates this endpoint's pods. */
  readonly networkPolicy: WorkloadNetworkPolicy;
  /** How other policies select this endpoint's pods. */
  readonly peer: NetworkPeer;
}

/** Properties of a WorkloadNetworkPolicy. */
export interface WorkloadNetworkPolicyProps {
  /** The policy's name. */
  readonly name: string;
  /** The namespace of the pods. */
  readonly namespace: string;
  /** The labels that select the pods. */
  readonly podLabels: Record<string, string>;
}

/**
 * The network policy of one workload: its pods are isolated in both directions (their own
 * default deny), and each allow names a peer and the ports. Rules are collected until
 * synthesis, so connections can be added from anywhere.
 */
export class WorkloadNetworkPolicy extends Construct {
  private readonly ingress: Rule[] = [];
  private readonly egress: Rule[] = [];

  constructor(scope: Construct, id: string, props: WorkloadNetworkPolicyProps) {
    super(scope, id);
    new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: props.podLabels },
        policyTypes: ['Ingress', 'Egress'],
        // An empty list is omitted: the server drops it, and omitted means "none allowed" here.
        ingress: Lazy.any({ produce: () => renderRules(this.ingress, 'from') }),
        egress: Lazy.any({ produce: () => renderRules(this.egress, 'to') }),
      },
    });
  }

  /** Lets `peer` open connections to these pods on `ports`. */
  allowIngress(peer: NetworkPeer, ...ports: NetworkPolicyPort[]): void {
    addRule(this.ingress, peer, ports);
  }

  /** Lets these pods open connections to `peer` on `ports`. */
  allowEgress(peer: NetworkPeer, ...ports: NetworkPolicyPort[]): void {
    addRule(this.egress, peer, ports);
  }
}

/** Allows `from` to connect to `to` on `port`: an egress rule on one side, an ingress rule on the other. */
export function allowConnection(from: INetworkEndpoint, to: INetworkEndpoint, port: NetworkPolicyPort): void {
  from.networkPolicy.allowEgress(to.peer, port);
  to.networkPolicy.allowIngress(from.peer, port);
}

interface Rule {
  readonly peer: NetworkPeer;
  readonly ports: NetworkPolicyPort[];
}

function addRule(rules: Rule[], peer: NetworkPeer, ports: NetworkPolicyPort[]): void {
  if (ports.length === 0) {
    throw new Error('A network policy rule needs at least one port. Name it, e.g. NetworkPolicyPort.tcp(8000).');
  }
  const key = JSON.stringify({ peer: peer.toSpec(), ports });
  if (!rules.some((rule) => JSON.stringify({ peer: rule.peer.toSpec(), ports: rule.ports }) === key)) {
    rules.push({ peer, ports });
  }
}

function renderRules(rules: Rule[], direction: 'from' | 'to') {
  if (rules.length === 0) return undefined;
  return rules.map((rule) => ({ [direction]: [rule.peer.toSpec()], ports: rule.ports.map((port) => port.toSpec()) }));
}

/** Checks an IPv4 CIDR and returns it, or throws an error that says how to fix it. */
export function checkCidr(cidr: string): string {
  const [address = '', mask, ...rest] = cidr.split('/');
  const octets = address.split('.').map(Number);
  const validAddress =
    octets.length === 4 && address.split('.').every((part) => /^\d{1,3}$/.test(part)) && octets.every((o) => o <= 255);
  if (!validAddress || rest.length > 0) {
    throw new Error(`'${cidr}' is not an IPv4 CIDR. Write it as four octets and a mask, e.g. 10.0.0.0/16.`);
  }
  if (mask === undefined) {
    throw new Error(`CIDR mask is missing. Did you mean ${address}/32?`);
  }
  const bits = Number(mask);
  if (!/^\d{1,2}$/.test(mask) || bits > 32) {
    throw new Error(`CIDR mask '/${mask}' is not valid. Use a number from 0 to 32, e.g. ${address}/32.`);
  }
  const value = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - bits);
  const network = value - (value % size);
  if (network !== value) {
    const fixed = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    throw new Error(`CIDR ${cidr} has host bits set. Did you mean ${fixed}/${bits}?`);
  }
  return cidr;
}
