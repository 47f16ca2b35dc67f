import type { Check } from '../check.js';
import { finding } from '../check.js';
import { ENFORCE_LABEL } from '../pod-security.js';

export const namespaceEnforcesRestricted: Check = {
  name: 'namespace-enforces-restricted',
  category: 'best-practice',
  reason:
    'Enforcing the restricted Pod Security Standard on the namespace makes the cluster reject any pod that slips past review.',
  equivalents: ['pss:enforce'],
  run(cluster) {
    return cluster
      .ofKind('Namespace')
      .flatMap((manifest) =>
        manifest.object.metadata?.labels?.[ENFORCE_LABEL] === 'restricted'
          ? []
          : [finding(manifest, `metadata.labels.${ENFORCE_LABEL}`, `label ${ENFORCE_LABEL}: restricted is missing`)],
      );
  },
};
