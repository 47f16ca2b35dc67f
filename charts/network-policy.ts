import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  KubeNetworkPolicy,
  type NetworkPolicyPeer as PeerSpec,
  type NetworkPolicyPort as PortSpec,
} from '../imports/k8s.js';
import { IntOrString } from '../imports/k8s.js';
import { checkCidr } from './cidr.js';
import type { DeclaredConnection, IDeclaresConnections } from './declared-connections.js';
import { NAME_LABEL } from './labels.js';

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
    const names = Object.keys(labels);
    const pods =
      names.length === 1 && names[0] === NAME_LABEL
        ? labels[NAME_LABEL]
        : `{${Object.entries(labels)
            .map(([key, value]) => `${key}=${value}`)
            .join(', ')}}`;
    return new NetworkPeer(`${namespace}/${pods}`, {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: labels },
    });
  }

  /** Every pod of the namespace. */
  static allPods(namespace: string): NetworkPeer {
    return new NetworkPeer(`${namespace}/(any pod)`, {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: {},
    });
  }

  /** An address range outside the cluster, e.g. a managed database's subnet. */
  static cidr(cidr: string): NetworkPeer {
    return new NetworkPeer(`ipBlock ${cidr}`, { ipBlock: { cidr: checkCidr(cidr) } });
  }

  /** The cluster DNS (CoreDNS keeps the `k8s-app: kube-dns` label on kind, minikube and the clouds). */
  static kubeDns(): NetworkPeer {
    return NetworkPeer.pods('kube-system', { 'k8s-app': 'kube-dns' });
  }

  /**
   * The peer an id names, as `id` spells it: `invoices/invoice-app`, `ns/{key=value, ...}`,
   * `ns/(any pod)`, `ipBlock 10.20.0.0/24`. `npm run verify` reads declared connections with it.
   */
  static parse(id: string): NetworkPeer {
    if (id.startsWith('ipBlock ')) return NetworkPeer.cidr(id.slice('ipBlock '.length));
    const slash = id.indexOf('/');
    const [namespace, pods] = [id.slice(0, slash), id.slice(slash + 1)];
    if (slash < 1 || pods === '') {
      throw new Error(`Peer "${id}" names no pods. Use namespace/name, namespace/{key=value}, or ipBlock <cidr>.`);
    }
    if (pods === '(any pod)') return NetworkPeer.allPods(namespace);
    if (!pods.startsWith('{')) return NetworkPeer.pods(namespace, { [NAME_LABEL]: pods });
    const labels = pods
      .slice(1, -1)
      .split(', ')
      .map((pair) => pair.split('='));
    return NetworkPeer.pods(namespace, Object.fromEntries(labels));
  }

  private constructor(
    /**
     * How `npm run verify`'s reachability model names the peer: `invoices/invoice-app` for a
     * workload of ours, `ns/{labels}` for other pods, `ipBlock <cidr>` for addresses.
     */
    readonly id: string,
    private readonly spec: PeerSpec,
  ) {}

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
export class WorkloadNetworkPolicy extends Construct implements IDeclaresConnections {
  /** The pods it isolates, as a peer. */
  readonly peer: NetworkPeer;
  private readonly ingress: Rule[] = [];
  private readonly egress: Rule[] = [];

  constructor(scope: Construct, id: string, props: WorkloadNetworkPolicyProps) {
    super(scope, id);
    this.peer = NetworkPeer.pods(props.namespace, props.podLabels);
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

  /** Who may connect to these pods, and on which ports. */
  get ingressRules(): readonly NetworkRule[] {
    return [...this.ingress];
  }

  /** Whom these pods may connect to, and on which ports. */
  get egressRules(): readonly NetworkRule[] {
    return [...this.egress];
  }

  /** Its rules as connections: the intent `npm run verify` compares the manifests with. */
  get connectionsDeclared(): Omit<DeclaredConnection, 'declaredBy'>[] {
    return [
      ...this.ingress.flatMap((rule) => rule.ports.map((port) => connection(rule.peer, this.peer, port))),
      ...this.egress.flatMap((rule) => rule.ports.map((port) => connection(this.peer, rule.peer, port))),
    ];
  }
}

/** A connection from one peer to another on one port. */
export function connection(
  from: NetworkPeer,
  to: NetworkPeer,
  port: NetworkPolicyPort,
): Omit<DeclaredConnection, 'declaredBy'> {
  return { from: from.id, to: to.id, port: port.port, protocol: port.protocol };
}

/** Allows `from` to connect to `to` on `port`: an egress rule on one side, an ingress rule on the other. */
export function allowConnection(from: INetworkEndpoint, to: INetworkEndpoint, port: NetworkPolicyPort): void {
  from.networkPolicy.allowEgress(to.peer, port);
  to.networkPolicy.allowIngress(from.peer, port);
}

/** One allow rule: a peer and the ports. */
export interface NetworkRule {
  readonly peer: NetworkPeer;
  readonly ports: readonly NetworkPolicyPort[];
}

type Rule = NetworkRule;

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
