import { createHash } from 'node:crypto';
import type { K8sObject } from './kubernetes.js';

/** Written by the library's ConstructAnnotator (charts/construct-annotator.ts). */
export const CONSTRUCT = 'verify.billing/construct';

/** Written by the ConstructAnnotator beside CONSTRUCT: a digest of the object as its construct synthesized it. */
export const DIGEST = 'verify.billing/declared';

/** Kinds the library declares (charts/construct-annotator.ts): each must name its construct and match its digest. */
export const DECLARED_KINDS = new Set([
  'Namespace',
  'NetworkPolicy',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'Secret',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

/** JSON with every object's keys sorted, as the library hashes it. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}

/** Whether an object is still what its construct synthesized: its digest, recomputed without the two annotations, matches. */
export function matchesDeclaration(object: K8sObject): boolean {
  const annotations = { ...object.metadata?.annotations };
  const declared = annotations[DIGEST];
  delete annotations[CONSTRUCT];
  delete annotations[DIGEST];
  const metadata = { ...object.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  const digest = createHash('sha256')
    .update(canonicalJson({ ...object, metadata }))
    .digest('hex')
    .slice(0, 16);
  return digest === declared;
}

/** Written by the library's Team on its Namespace: the group that owns it. */
export const OWNED_BY = 'verify.billing/owned-by';

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
