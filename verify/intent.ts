import { parseConnectionsAnnotation, type DeclaredConnection } from '../charts/declared-connections.js';
import { NetworkPeer } from '../charts/network-policy.js';
import { CONNECTIONS } from '../charts/verify-annotations.js';
import type { Cluster } from './cluster.js';
import type { NetworkPolicyPeer } from './kubernetes.js';
import type { Manifest } from './manifest.js';
import { peerMatches } from './network-policy.js';
import { madeByLibrary } from './provenance.js';
import type { Endpoint } from './reachability.js';

/** A connection the manifests declare, with its ends as the policy peers they stand for. */
export interface DeclaredFlow extends DeclaredConnection {
  readonly fromPeer: NetworkPolicyPeer;
  readonly toPeer: NetworkPolicyPeer;
  /** The Namespace whose annotation declares it. */
  readonly declaredIn: Manifest;
}

/** What the constructs declared, as the manifests carry it; `undefined` for manifests written by hand. */
export interface Intent {
  readonly flows: readonly DeclaredFlow[];
  /** Annotations that cannot be read, with why. */
  readonly unreadable: readonly { manifest: Manifest; message: string }[];
}

/**
 * The connections declared through the library, read from the `verify.billing/connections`
 * annotation SecureNamespace writes on every Namespace: the intent that reachability is held to.
 */
export function intentOf(cluster: Cluster): Intent | undefined {
  const declaring = cluster
    .ofKind('Namespace')
    .filter(({ object }) => object.metadata?.annotations?.[CONNECTIONS] !== undefined || madeByLibrary(object));
  if (declaring.length === 0) return undefined;
  const flows: DeclaredFlow[] = [];
  const unreadable: Intent['unreadable'][number][] = [];
  for (const manifest of declaring) {
    const value = manifest.object.metadata?.annotations?.[CONNECTIONS];
    if (value === undefined) {
      unreadable.push({
        manifest,
        message: `declares no connections (no ${CONNECTIONS} annotation), although the library made it: nothing into or out of it counts as declared. Fix: synthesize it again with npm run synth (SecureNamespace writes the annotation) instead of editing dist/.`,
      });
      continue;
    }
    try {
      for (const connection of parseConnectionsAnnotation(value)) {
        flows.push({
          ...connection,
          fromPeer: NetworkPeer.parse(connection.from).toSpec() as NetworkPolicyPeer,
          toPeer: NetworkPeer.parse(connection.to).toSpec() as NetworkPolicyPeer,
          declaredIn: manifest,
        });
      }
    } catch (error) {
      unreadable.push({ manifest, message: (error as Error).message });
    }
  }
  return { flows, unreadable };
}

/** Whether a declared end stands for this endpoint (its pods, or an address in its range). */
export function standsFor(peer: NetworkPolicyPeer, endpoint: Endpoint): boolean {
  // Declared peers always name their namespace (or are address ranges), so no policy namespace applies.
  return peerMatches(peer, '', endpoint);
}

/** The declared connection that covers `from` reaching `to` on `port` (`9000/TCP`), if any. */
export function declarationOf(intent: Intent, from: Endpoint, to: Endpoint, port: string): DeclaredFlow | undefined {
  return intent.flows.find(
    (flow) => `${flow.port}/${flow.protocol}` === port && standsFor(flow.fromPeer, from) && standsFor(flow.toPeer, to),
  );
}
