import { CONNECTIONS } from '../../charts/verify-annotations.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { declarationOf, intentOf } from '../intent.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';
import { peersAllow, policySelects, policyTypesOf, portAllowed, specOf } from '../network-policy.js';
import { madeBy } from '../provenance.js';
import type { Cluster } from '../cluster.js';
import type { NetworkPolicyPort } from '../kubernetes.js';
import type { Endpoint } from '../reachability.js';
import { Reachability } from '../reachability.js';

export const undeclaredFlows: Check = {
  name: 'undeclared-flows',
  category: 'intent',
  reason:
    'Every connection the NetworkPolicies allow is one the library declared (connect, allowFrom, databases, scheduled calls, the ingress controller, DNS): any other is an accident or an escape.',
  run(cluster) {
    const intent = intentOf(cluster);
    if (!intent) return [];
    const found: Finding[] = intent.unreadable.map(({ manifest, message }) =>
      finding(manifest, `metadata.annotations["${CONNECTIONS}"]`, message),
    );
    const reachability = new Reachability(cluster);
    const endpoint = new Map(reachability.endpoints.map((candidate) => [candidate.id, candidate]));
    // Per object, and per way it lets flows through (a policy may admit some and open others).
    const undeclared = new Map<Manifest, Map<string, string[]>>();
    for (const flow of reachability.flows) {
      const [from, to] = [endpoint.get(flow.from)!, endpoint.get(flow.to)!];
      for (const port of flow.ports.filter((candidate) => !declarationOf(intent, from, to, candidate))) {
        for (const { manifest, how } of admittedBy(cluster, from, to, port)) {
          const ways = undeclared.get(manifest) ?? new Map<string, string[]>();
          ways.set(how, [...(ways.get(how) ?? []), `${from.id} -> ${to.id} ${port}`]);
          undeclared.set(manifest, ways);
        }
      }
    }
    for (const [manifest, how, lines] of [...undeclared].flatMap(([manifest, ways]) =>
      [...ways].map(([how, lines]) => [manifest, how, lines] as const),
    )) {
      const shown = lines.length > SHOWN ? [...lines.slice(0, SHOWN), `and ${lines.length - SHOWN} more`] : lines;
      const fix =
        manifest.object.kind === 'NetworkPolicy'
          ? 'narrow it to the declared connections: declare a connection with connect or allowFrom, which writes both sides, change the construct rather than dist/, and run npm run synth'
          : 'give its pods a NetworkPolicy (addService and HardenedPod write one, and every SecureNamespace denies by default) and declare what they need with connect';
      found.push(
        finding(
          manifest,
          undefined,
          `${how} connections nobody declared: ${shown.join('; ')} (${madeBy(manifest.object)}). Fix: ${fix}.`,
        ),
      );
    }
    return found;
  },
};

/** Flows listed per finding; the rest are counted. */
const SHOWN = 6;

/** Whether a rule's ports open a port as Reachability spells it: `9000/TCP`, `1000-2000/TCP`, `any`. */
function opens(ports: NetworkPolicyPort[] | undefined, port: string): boolean {
  if (!ports || ports.length === 0) return true;
  if (port === 'any') return false;
  const [range, protocol] = port.split('/');
  const [first, last] = range!.split('-').map(Number);
  return ports.some(
    (rule) =>
      (rule.protocol ?? 'TCP') === protocol &&
      (rule.port === undefined ||
        (typeof rule.port === 'number' && rule.port <= first! && (rule.endPort ?? rule.port) >= (last ?? first!))),
  );
}

/**
 * Who let an undeclared flow through: the destination's ingress policies that admit it, or, when
 * the destination is outside the manifests, the source's egress policies; a side no policy
 * isolates is blamed on its workload.
 */
function admittedBy(
  cluster: Cluster,
  from: Endpoint,
  to: Endpoint,
  port: string,
): { manifest: Manifest; how: string }[] {
  const [side, peer, direction] = to.workload ? [to, from, 'ingress' as const] : [from, to, 'egress' as const];
  const applying = cluster
    .ofKind('NetworkPolicy')
    .filter((policy) => policyTypesOf(specOf(policy))[direction] && policySelects(policy, side));
  if (applying.length === 0) {
    return side.manifest
      ? [{ manifest: side.manifest, how: `has no NetworkPolicy isolating its pods for ${direction}, so allows` }]
      : [];
  }
  // On a workload, the port is one it listens on, which a rule may name.
  const target = direction === 'ingress' ? to.ports.find((p) => `${p.port}/${p.protocol}` === port) : undefined;
  const admitting = applying.filter((policy) => {
    const spec = specOf(policy);
    const rules =
      direction === 'ingress'
        ? (spec.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports }))
        : (spec.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }));
    return rules.some(
      (rule) =>
        (target ? portAllowed(rule.ports, target) : opens(rule.ports, port)) &&
        peersAllow(rule.peers, namespaceOf(policy.object), peer),
    );
  });
  // Some policy let the flow through; if no rule can be pinned on it, every applying policy is named.
  return (admitting.length > 0 ? admitting : applying).map((manifest) => ({
    manifest,
    how: direction === 'ingress' ? 'admits' : 'lets its pods open',
  }));
}
