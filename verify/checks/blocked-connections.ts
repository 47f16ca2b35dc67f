import { connectionLine } from '../../charts/declared-connections.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { DeclaredFlow } from '../intent.js';
import { intentOf, standsFor } from '../intent.js';
import type { Manifest } from '../manifest.js';
import type { Endpoint } from '../reachability.js';
import { Reachability, standInFor } from '../reachability.js';

export const blockedConnections: Check = {
  name: 'blocked-connections',
  category: 'intent',
  reason:
    'A connection declared through the library must be open on both sides: a policy dropped or narrowed in dist/ leaves a one-sided rule, and the connection fails at run time.',
  run(cluster) {
    const intent = intentOf(cluster);
    if (!intent) return [];
    const reachability = new Reachability(cluster);
    const endpointsFor = (peer: DeclaredFlow['fromPeer']): Endpoint[] => {
      const matching = reachability.endpoints.filter((endpoint) => standsFor(peer, endpoint));
      return matching.length > 0 ? matching : [standInFor(peer, '')];
    };
    const refused = new Map<Manifest, string[]>();
    const refuse = (manifest: Manifest, line: string) => {
      const lines = refused.get(manifest) ?? [];
      if (!lines.includes(line)) refused.set(manifest, [...lines, line]);
    };
    for (const flow of intent.flows) {
      const port = { port: flow.port, protocol: flow.protocol };
      const line = `${connectionLine(flow)} (declared by ${flow.declaredBy.join(', ')})`;
      for (const from of endpointsFor(flow.fromPeer)) {
        for (const to of endpointsFor(flow.toPeer)) {
          if (from === to || (!from.workload && !to.workload)) continue;
          const named = to.ports.find(
            (candidate) => candidate.port === port.port && candidate.protocol === port.protocol,
          );
          const target = named ?? port;
          if (!reachability.ingressAllows(to, from, target)) refuse(to.manifest ?? flow.declaredIn, line);
          if (!reachability.egressAllows(from, to, target)) refuse(from.manifest ?? flow.declaredIn, line);
        }
      }
    }
    return [...refused].map(([manifest, lines]): Finding =>
      finding(
        manifest,
        undefined,
        `refuses connections declared in code: ${lines.join('; ')}. Its NetworkPolicies admit no such flow: a one-sided rule, usually a policy dropped or narrowed in dist/. Fix: change the declaring construct rather than dist/ (connect and allowFrom write both sides) and run npm run synth.`,
      ),
    );
  },
};
