import { createHash } from 'node:crypto';
import type { ApiObject, IResolver, ResolutionContext } from 'cdk8s';
import { CONSTRUCT, DIGEST } from './verify-annotations.js';

/** The kinds `npm run verify` holds to what their construct declared: who may do what, who may talk to whom, what is secret. */
export const TRACED_KINDS = new Set([
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

/** JSON with every object's keys sorted: the same object always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}

/** The digest of an object as its construct synthesized it: what `verify.billing/declared` holds. */
export function declarationDigest(object: unknown): string {
  return createHash('sha256').update(canonicalJson(object)).digest('hex').slice(0, 16);
}

/**
 * Writes two annotations on each object of TRACED_KINDS: `verify.billing/construct`, the path
 * of the construct that made it, and `verify.billing/declared`, a digest of the object as that
 * construct synthesized it (without these two annotations). `npm run verify` reports an object
 * without them as written by hand, and one whose digest differs as changed after synthesis: a
 * rule or binding nobody declared, with the construct to change instead.
 */
export class ConstructAnnotator implements IResolver {
  private readonly digesting = new WeakSet<ApiObject>();

  resolve(context: ResolutionContext): void {
    const object = context.obj;
    if (context.key.length !== 1 || context.key[0] !== 'metadata' || !TRACED_KINDS.has(object.kind)) return;
    if (this.digesting.has(object)) return;
    const metadata = context.value as { annotations?: Record<string, string> };
    if (metadata.annotations?.[CONSTRUCT] !== undefined) return;
    this.digesting.add(object);
    let synthesized: unknown;
    try {
      synthesized = object.toJson();
    } finally {
      this.digesting.delete(object);
    }
    const digest = declarationDigest(synthesized);
    context.replaceValue({
      ...metadata,
      annotations: { ...metadata.annotations, [CONSTRUCT]: object.node.path, [DIGEST]: digest },
    });
  }
}
