import type { Check } from '../check.js';
import { finding } from '../check.js';
import { madeBy } from '../provenance.js';

export const secretLiteralData: Check = {
  name: 'secret-literal-data',
  category: 'intent',
  reason:
    'A Secret with data or stringData puts its value in dist/, in git and in every clone: Secrets are created in the cluster instead.',
  equivalents: ['kube-linter:env-var-secret (for the manifests)', 'gitleaks'],
  run(cluster) {
    return cluster.ofKind('Secret').flatMap((manifest) => {
      const fields = (['data', 'stringData'] as const).filter(
        (field) => Object.keys((manifest.object[field] as Record<string, unknown> | undefined) ?? {}).length > 0,
      );
      if (fields.length === 0) return [];
      const keys = fields.flatMap((field) => Object.keys(manifest.object[field] as object));
      return [
        finding(
          manifest,
          fields[0],
          `holds literal values (${keys.join(', ')}) in ${fields.join(' and ')}, ${madeBy(manifest.object)}. Fix: remove the Secret from the manifests and declare a GeneratedSecret (the secret bootstrap creates it in the cluster), or let an operator or secret store provide it and list it in the verify.billing/created-at-deploy annotation of what uses it.`,
        ),
      ];
    });
  },
};
