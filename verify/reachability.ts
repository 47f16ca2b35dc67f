import type { Cluster } from './cluster.js';
import type { LabelSelector, Labels, NetworkPolicyPeer } from './kubernetes.js';
import { describeSelector } from './label-selector.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';
import type { Peer, TargetPort } from './network-policy.js';
import { peersAllow, policySelects, policyTypesOf, portAllowed, specOf } from './network-policy.js';

/**
 * Who can open a connection to whom, computed from the NetworkPolicies the way a policy-enforcing
 * CNI evaluates them: a flow is allowed when the destination's ingress policies admit it (or none
 * select the destination) and the source's egress policies admit it (or none select the source).
 *
 * The endpoints are the workloads of the manifests, plus stand-ins for what lives outside them:
 * an unlabelled pod in each of our namespaces, a pod in some other namespace, an address on the
 * internet, and one endpoint for each policy peer that matches none of our pods (the ingress
 * controller's namespace, kube-dns, an ipBlock). Pods are matched by labels only: an ipBlock is
 * taken to match addresses outside the cluster, never pod IPs (which CNIs treat differently).
 */
export interface Endpoint extends Peer {
  /** `invoices/invoice-app`, `kube-system/{k8s-app=kube-dns}`, `internet`, ... */
  readonly id: string;
  /** Ports it listens on (the declared container ports), empty for stand-ins. */
  readonly ports: readonly TargetPort[];
  /** A workload of the manifests, or a stand-in for something outside them. */
  readonly workload: boolean;
  /** The object that makes its pods: a workload, or the custom resource an operator runs pods for. */
  readonly manifest?: Manifest;
}

/** One allowed connection: from, to, and on which ports (`any` when every port is open). */
export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly string[];
}

export const INTERNET = '203.0.113.10';
const OTHER_NAMESPACE = 'some-other-namespace';

export class Reachability {
  readonly endpoints: readonly Endpoint[];
  readonly flows: readonly Flow[];
  private readonly policies: readonly Manifest[];

  constructor(cluster: Cluster) {
    this.policies = cluster.ofKind('NetworkPolicy');
    this.endpoints = endpointsOf(cluster, this.policies);
    this.flows = this.endpoints.flatMap((from) =>
      this.endpoints.flatMap((to) => {
        if (from === to) return [];
        const ports = this.allowedPorts(from, to);
        return ports.length > 0 ? [{ from: from.id, to: to.id, ports }] : [];
      }),
    );
  }

  /** The ports `from` can reach on `to`, e.g. `['9000/TCP']`; empty when the flow is blocked. */
  allowedPorts(from: Endpoint, to: Endpoint): string[] {
    if (to.ports.length > 0) {
      return to.ports
        .filter((port) => this.ingressAllows(to, from, port) && this.egressAllows(from, to, port))
        .map((port) => `${port.port}/${port.protocol}`);
    }
    // A stand-in declares no ports: what the source's egress rules open towards it is the answer.
    return this.egressPortsTowards(from, to);
  }

  /** Every endpoint that can reach `to` on some port. */
  sourcesOf(to: string): string[] {
    return this.flows.filter((flow) => flow.to === to).map((flow) => flow.from);
  }

  /** Whether the policies selecting `to` admit `from` on `port` (true when none isolate it for ingress). */
  ingressAllows(to: Endpoint, from: Endpoint, port: TargetPort): boolean {
    if (!to.workload) return true;
    const applying = this.policies.filter(
      (policy) => policyTypesOf(specOf(policy)).ingress && policySelects(policy, to),
    );
    if (applying.length === 0) return true;
    return applying.some((policy) =>
      (specOf(policy).ingress ?? []).some(
        (rule) => portAllowed(rule.ports, port) && peersAllow(rule.from, namespaceOf(policy.object), from),
      ),
    );
  }

  /** Whether the policies selecting `from` let it reach `to` on `port` (true when none isolate it for egress). */
  egressAllows(from: Endpoint, to: Endpoint, port: TargetPort): boolean {
    if (!from.workload) return true;
    const applying = this.policies.filter(
      (policy) => policyTypesOf(specOf(policy)).egress && policySelects(policy, from),
    );
    if (applying.length === 0) return true;
    return applying.some((policy) =>
      (specOf(policy).egress ?? []).some(
        (rule) => portAllowed(rule.ports, port) && peersAllow(rule.to, namespaceOf(policy.object), to),
      ),
    );
  }

  private egressPortsTowards(from: Endpoint, to: Endpoint): string[] {
    if (!from.workload) return [];
    const applying = this.policies.filter(
      (policy) => policyTypesOf(specOf(policy)).egress && policySelects(policy, from),
    );
    if (applying.length === 0) return ['any'];
    const ports = new Set<string>();
    for (const policy of applying) {
      for (const rule of specOf(policy).egress ?? []) {
        if (!peersAllow(rule.to, namespaceOf(policy.object), to)) continue;
        if (!rule.ports || rule.ports.length === 0) return ['any'];
        for (const port of rule.ports) {
          const range = port.endPort ? `${port.port}-${port.endPort}` : String(port.port ?? 'any');
          ports.add(`${range}/${port.protocol ?? 'TCP'}`);
        }
      }
    }
    return [...ports].sort();
  }

  /** The matrix as a Markdown table: one row per source, one column per destination. */
  toMarkdown(): string {
    const destinations = this.endpoints.filter((to) => this.flows.some((flow) => flow.to === to.id) || to.workload);
    const header = `| from \\ to | ${destinations.map((to) => to.id).join(' | ')} |`;
    const rule = `| --- | ${destinations.map(() => '---').join(' | ')} |`;
    const rows = this.endpoints.map((from) => {
      const cells = destinations.map((to) => {
        if (from === to) return '';
        const flow = this.flows.find((candidate) => candidate.from === from.id && candidate.to === to.id);
        return flow ? flow.ports.join(', ') : '-';
      });
      return `| ${from.id} | ${cells.join(' | ')} |`;
    });
    return [header, rule, ...rows].join('\n');
  }
}

function endpointsOf(cluster: Cluster, policies: readonly Manifest[]): Endpoint[] {
  const endpoints: Endpoint[] = cluster.workloads.map((workload) => ({
    id: `${workload.namespace}/${workload.name}`,
    namespace: workload.namespace,
    labels: workload.podLabels,
    namespaceLabels: cluster.namespaceLabels(workload.namespace),
    workload: true,
    manifest: workload.manifest,
    ports: (workload.spec.containers ?? []).flatMap((container) =>
      (container.ports ?? []).map((port) => ({
        port: port.containerPort ?? 0,
        ...(port.name ? { name: port.name } : {}),
        protocol: port.protocol ?? 'TCP',
      })),
    ),
  }));
  // The pods operators run for custom resources (Postgres instances, PgBouncer), by the resource's name.
  for (const pods of cluster.operatorPods) {
    endpoints.push({
      id: `${pods.namespace}/${pods.manifest.object.metadata?.name ?? ''}`,
      namespace: pods.namespace,
      labels: pods.labels,
      namespaceLabels: cluster.namespaceLabels(pods.namespace),
      workload: true,
      manifest: pods.manifest,
      ports: Object.entries(pods.ports).map(([name, port]) => ({ port, name, protocol: 'TCP' })),
    });
  }
  const standIn = (id: string, peer: Peer): Endpoint => ({ id, ...peer, ports: [], workload: false });
  for (const namespace of cluster.namespaces()) {
    endpoints.push(
      standIn(`${namespace}/(any other pod)`, {
        namespace,
        labels: {},
        namespaceLabels: cluster.namespaceLabels(namespace),
      }),
    );
  }
  endpoints.push(
    standIn('(pod in another namespace)', {
      namespace: OTHER_NAMESPACE,
      labels: {},
      namespaceLabels: { 'kubernetes.io/metadata.name': OTHER_NAMESPACE },
    }),
    standIn('internet', { labels: {}, namespaceLabels: {}, ip: INTERNET }),
  );
  for (const policy of policies) {
    const spec = specOf(policy);
    const peers = [
      ...(spec.ingress ?? []).flatMap((rule) => rule.from ?? []),
      ...(spec.egress ?? []).flatMap((rule) => rule.to ?? []),
    ];
    for (const peer of peers) {
      const candidate = standInFor(peer, namespaceOf(policy.object));
      const known = endpoints.some(
        (endpoint) =>
          endpoint.id === candidate.id ||
          (endpoint.workload && matchesExactly(peer, namespaceOf(policy.object), endpoint)),
      );
      if (!known) endpoints.push(candidate);
    }
  }
  return endpoints;
}

function matchesExactly(peer: NetworkPolicyPeer, policyNamespace: string, endpoint: Endpoint): boolean {
  return peersAllow([peer], policyNamespace, endpoint);
}

/** A made-up pod or address that the peer matches: its selectors' labels, made concrete. */
export function standInFor(peer: NetworkPolicyPeer, policyNamespace: string): Endpoint {
  if (peer.ipBlock) {
    return {
      id: `ipBlock ${peer.ipBlock.cidr}`,
      labels: {},
      namespaceLabels: {},
      ip: peer.ipBlock.cidr.split('/')[0],
      ports: [],
      workload: false,
    };
  }
  const namespaceLabels: Labels = concreteLabels(peer.namespaceSelector);
  const namespace = peer.namespaceSelector
    ? (namespaceLabels['kubernetes.io/metadata.name'] ?? `{${describeSelector(peer.namespaceSelector)}}`)
    : policyNamespace;
  namespaceLabels['kubernetes.io/metadata.name'] ??= namespace;
  const labels = concreteLabels(peer.podSelector);
  const pods = peer.podSelector ? `{${describeSelector(peer.podSelector)}}` : '(any pod)';
  return { id: `${namespace}/${pods}`, namespace, labels, namespaceLabels, ports: [], workload: false };
}

function concreteLabels(selector: LabelSelector | undefined): Labels {
  const labels: Labels = { ...(selector?.matchLabels ?? {}) };
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    if (operator === 'In' && values[0] !== undefined) labels[key] = values[0];
    if (operator === 'Exists') labels[key] = 'true';
  }
  return labels;
}
