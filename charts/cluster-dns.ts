import { NetworkPeer, NetworkPolicyPort } from './network-policy.js';

/** Options of the NodeLocal DNSCache choice. */
export interface NodeLocalDnsOptions {
  /** The link-local address the cache listens on, on every node. @default '169.254.20.10' */
  readonly address?: string;
  /** The kube-dns Service's ClusterIP, which the cache also answers on in iptables mode. @default not listed */
  readonly serviceIp?: string;
}

/**
 * Where the pods of a namespace resolve names: the peers and ports the namespace's `allow-dns`
 * policy opens. A NetworkPolicy sees a DNS packet after the Service's DNAT, so the peers are
 * the pods (or node addresses) that really answer, on the port they listen on.
 */
export class ClusterDns {
  /** CoreDNS as kubeadm, kind, minikube and the managed clouds run it: pods `k8s-app=kube-dns` in kube-system, port 53. */
  static kubeDns(): ClusterDns {
    return new ClusterDns([NetworkPeer.kubeDns()], [53]);
  }

  /**
   * NodeLocal DNSCache: a cache on every node's link-local address (pods' resolv.conf names it),
   * and CoreDNS behind it for the pods that still ask the kube-dns Service.
   */
  static nodeLocal(options: NodeLocalDnsOptions = {}): ClusterDns {
    const addresses = [options.address ?? '169.254.20.10', ...(options.serviceIp ? [options.serviceIp] : [])];
    return new ClusterDns([...addresses.map((ip) => NetworkPeer.cidr(`${ip}/32`)), NetworkPeer.kubeDns()], [53]);
  }

  /** OpenShift's DNS operator: pods `dns.operator.openshift.io/daemonset-dns=default` in openshift-dns, listening on 5353. */
  static openShift(): ClusterDns {
    return new ClusterDns(
      [NetworkPeer.pods('openshift-dns', { 'dns.operator.openshift.io/daemonset-dns': 'default' })],
      [5353],
    );
  }

  /** Any other resolver: these peers on these ports (UDP and TCP each). */
  static of(peers: NetworkPeer[], ports: number[] = [53]): ClusterDns {
    if (peers.length === 0) throw new Error('DNS needs at least one peer, e.g. NetworkPeer.kubeDns().');
    return new ClusterDns(peers, ports);
  }

  /** The ports opened to every peer, UDP and TCP. */
  readonly ports: readonly NetworkPolicyPort[];

  private constructor(
    /** Who answers DNS queries. */
    readonly peers: readonly NetworkPeer[],
    ports: number[],
  ) {
    this.ports = ports.flatMap((port) => [NetworkPolicyPort.udp(port), NetworkPolicyPort.tcp(port)]);
  }
}
