import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { CONSTRUCT, DECLARED_KINDS, matchesDeclaration, writtenByLibrary } from '../provenance.js';

const MEANING: Record<string, string> = {
  NetworkPolicy: 'a network rule nobody declared',
  Role: 'a permission nobody declared',
  ClusterRole: 'a permission nobody declared',
  RoleBinding: 'a grant nobody declared',
  ClusterRoleBinding: 'a grant nobody declared',
};

export const declaredObjects: Check = {
  name: 'declared-objects',
  category: 'intent',
  reason:
    'In manifests the library wrote, every network policy, RBAC object, namespace, Secret and admission policy is what a construct declared: none added or edited by hand.',
  run(cluster) {
    // Only manifests the library wrote carry declarations; hand-written ones are judged by the other checks.
    if (!writtenByLibrary(cluster)) return [];
    const found: Finding[] = [];
    for (const manifest of cluster.manifests) {
      const { object } = manifest;
      if (!DECLARED_KINDS.has(object.kind)) continue;
      const meaning = MEANING[object.kind] ?? 'an object nobody declared';
      const construct = object.metadata?.annotations?.[CONSTRUCT];
      if (!construct) {
        found.push(
          finding(
            manifest,
            'metadata.annotations',
            `is ${meaning}: made by no construct (no ${CONSTRUCT} annotation: written by hand). Fix: declare it through the library (Team, connect/allowFrom, SecretBootstrap) and run npm run synth, or remove it.`,
          ),
        );
      } else if (!matchesDeclaration(object)) {
        found.push(
          finding(
            manifest,
            undefined,
            `differs from what construct ${construct} declared (changed after synthesis: ${meaning}). Fix: change that construct, not dist/, and run npm run synth.`,
          ),
        );
      }
    }
    return found;
  },
};
