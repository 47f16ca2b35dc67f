import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { IntOrString } from '../kubernetes.js';
import { pdbSpecOf } from '../pod-disruption-budget.js';

const isValidBudgetValue = (value: IntOrString) =>
  typeof value === 'number'
    ? Number.isInteger(value) && value >= 0
    : /^\d+%$/.test(value) && Number(value.slice(0, -1)) <= 100;

export const pdbFields: Check = {
  name: 'pdb-fields',
  category: 'api-server',
  reason:
    'A PodDisruptionBudget sets one of minAvailable and maxUnavailable, each a non-negative integer or a percentage.',
  run(cluster) {
    return cluster.ofKind('PodDisruptionBudget').flatMap((manifest) => {
      const spec = pdbSpecOf(manifest);
      const found: Finding[] = [];
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
        found.push(finding(manifest, 'spec', 'minAvailable and maxUnavailable cannot be both set'));
      }
      for (const field of ['minAvailable', 'maxUnavailable'] as const) {
        const value = spec[field];
        if (value !== undefined && !isValidBudgetValue(value)) {
          found.push(
            finding(manifest, `spec.${field}`, `${value} must be a non-negative integer or a percentage up to 100%`),
          );
        }
      }
      return found;
    });
  },
};
