import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { NetworkPolicyPort } from '../kubernetes.js';
import { namespaceOf } from '../manifest.js';
import { peersAllow, policySelects, specOf } from '../network-policy.js';
import { intentOf } from '../intent.js';
import { madeBy } from '../provenance.js';
import type { Endpoint } from '../reachability.js';
import { Reachability } from '../reachability.js';

/** The ports of a rule that a workload listens on, as `9000/TCP`. */
function rulePorts(ports: NetworkPolicyPort[] | undefined, to: Endpoint): string[] {
  return to.ports
    .filter((port) =>
      (ports ?? []).some(
        (rule) =>
          (rule.protocol ?? 'TCP') === port.protocol &&
          (rule.port === undefined ||
            rule.port === port.name ||
            (typeof rule.port === 'number' && port.port >= rule.port && port.port <= (rule.endPort ?? rule.port))),
      ),
    )
    .map((port) => `${port.port}/${port.protocol}`);
}

export const oneSidedRules: Check = {
  name: 'one-sided-rules',
  category: 'reference',
  reason:
    'In manifests written by hand, a rule that lets one workload reach another is intent; when the other side refuses it (its policy dropped or narrowed), the connection fails at run time.',
  run(cluster) {
    // Manifests that carry their declared connections are judged by blocked-connections instead.
    if (intentOf(cluster)) return [];
    const reachability = new Reachability(cluster);
    const workloads = reachability.endpoints.filter((endpoint) => endpoint.workload);
    const found: Finding[] = [];
    for (const policy of cluster.ofKind('NetworkPolicy')) {
      const spec = specOf(policy);
      const selected = workloads.filter((endpoint) => policySelects(policy, endpoint));
      const pairs = [
        ...(spec.egress ?? []).flatMap((rule) =>
          selected.flatMap((from) =>
            workloads
              .filter(
                (to) =>
                  to !== from && (rule.to ?? []).length > 0 && peersAllow(rule.to, namespaceOf(policy.object), to),
              )
              .map((to) => ({ from, to, ports: rulePorts(rule.ports, to), refuser: to })),
          ),
        ),
        ...(spec.ingress ?? []).flatMap((rule) =>
          selected.flatMap((to) =>
            workloads
              .filter(
                (from) =>
                  from !== to &&
                  (rule.from ?? []).length > 0 &&
                  peersAllow(rule.from, namespaceOf(policy.object), from),
              )
              .map((from) => ({ from, to, ports: rulePorts(rule.ports, to), refuser: from })),
          ),
        ),
      ];
      for (const { from, to, ports, refuser } of pairs) {
        const open = reachability.allowedPorts(from, to);
        for (const port of ports.filter((p) => !open.includes(p))) {
          found.push(
            finding(
              policy,
              undefined,
              `lets ${from.id} connect to ${to.id} on ${port} (${madeBy(policy.object)}), but ${refuser.id}'s policies refuse it: a one-sided rule. Fix: declare the connection with connect/allowFrom, which writes the rule on both sides, and run npm run synth.`,
            ),
          );
        }
      }
    }
    return found;
  },
};
