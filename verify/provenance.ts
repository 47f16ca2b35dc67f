import { declarationDigest, TRACED_KINDS } from '../charts/construct-annotator.js';
import { CONSTRUCT, DIGEST, OWNED_BY } from '../charts/verify-annotations.js';
import { MANAGED_BY_LABEL } from '../charts/labels.js';
import type { Cluster } from './cluster.js';
import type { K8sObject } from './kubernetes.js';

export { CONSTRUCT, OWNED_BY };

/** Kinds the library declares (charts/construct-annotator.ts): each must name its construct and match its digest. */
export const DECLARED_KINDS = TRACED_KINDS;

/** Whether an object is still what its construct synthesized: its digest, recomputed without the two annotations, matches. */
export function matchesDeclaration(object: K8sObject): boolean {
  const annotations = { ...object.metadata?.annotations };
  const declared = annotations[DIGEST];
  delete annotations[CONSTRUCT];
  delete annotations[DIGEST];
  const metadata = { ...object.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  return declarationDigest({ ...object, metadata }) === declared;
}

/** The construct that made an object, as findings name it; an object without one was written by hand. */
export function madeBy(object: K8sObject): string {
  const path = object.metadata?.annotations?.[CONSTRUCT];
  return path ? `made by construct ${path}` : `made by no construct (no ${CONSTRUCT} annotation: written by hand)`;
}

/** Group that owns each namespace, as the Namespaces declare it. */
export function owners(namespaces: readonly K8sObject[]): Map<string, string> {
  return new Map(
    namespaces.flatMap((namespace) => {
      const group = namespace.metadata?.annotations?.[OWNED_BY];
      return group ? [[namespace.metadata?.name ?? '', group] as const] : [];
    }),
  );
}

/** A Namespace SecureNamespace made: labelled as managed by cdk8s (hand-written fixtures are not). */
export function madeByLibrary(namespace: K8sObject): boolean {
  return namespace.metadata?.labels?.[MANAGED_BY_LABEL] === 'cdk8s';
}

/**
 * Whether the manifests are the library's output, which carries declarations: some object names
 * its construct, or some Namespace was made by it. Stripping every annotation does not make
 * library output look hand-written, since its Namespaces keep their labels.
 */
export function writtenByLibrary(cluster: Cluster): boolean {
  return (
    cluster.manifests.some(({ object }) => object.metadata?.annotations?.[CONSTRUCT]) ||
    cluster.ofKind('Namespace').some(({ object }) => madeByLibrary(object))
  );
}
