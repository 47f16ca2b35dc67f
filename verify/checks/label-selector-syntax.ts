import { labelValue, qualifiedName } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { LabelSelector } from '../kubernetes.js';
import type { Manifest } from '../manifest.js';
import { workloadOf } from '../workload.js';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Every label selector an object carries, with its path: controllers, Services, policies, PDBs, affinity. */
function selectorsOf(manifest: Manifest): { selector: LabelSelector; path: string }[] {
  const spec = manifest.object.spec as Record<string, unknown> | undefined;
  if (!spec) return [];
  const selectors: { selector: LabelSelector; path: string }[] = [];
  const add = (selector: unknown, path: string) => {
    if (typeof selector === 'object' && selector !== null)
      selectors.push({ selector: selector as LabelSelector, path });
  };
  if (manifest.object.kind === 'Service') {
    // A Service selector is a plain map, not a LabelSelector.
    if (spec.selector) add({ matchLabels: spec.selector }, 'spec.selector');
  } else {
    add(spec.selector, 'spec.selector');
  }
  add(spec.podSelector, 'spec.podSelector');
  const rules = [
    ...((spec.ingress as { from?: unknown[] }[] | undefined) ?? []).map((rule, index) => ({
      peers: rule.from,
      at: `spec.ingress[${index}].from`,
    })),
    ...((spec.egress as { to?: unknown[] }[] | undefined) ?? []).map((rule, index) => ({
      peers: rule.to,
      at: `spec.egress[${index}].to`,
    })),
  ];
  for (const { peers, at } of rules) {
    ((Array.isArray(peers) ? peers : []) as Record<string, unknown>[]).forEach((peer, index) => {
      add(peer.podSelector, `${at}[${index}].podSelector`);
      add(peer.namespaceSelector, `${at}[${index}].namespaceSelector`);
    });
  }
  const workload = workloadOf(manifest);
  const antiAffinity = workload?.spec.affinity?.podAntiAffinity;
  antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.forEach((term, index) =>
    add(term.labelSelector, `${workload!.specPath}.affinity.podAntiAffinity.required[${index}].labelSelector`),
  );
  antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.forEach((term, index) =>
    add(
      term.podAffinityTerm?.labelSelector,
      `${workload!.specPath}.affinity.podAntiAffinity.preferred[${index}].labelSelector`,
    ),
  );
  workload?.spec.topologySpreadConstraints?.forEach((constraint, index) =>
    add(constraint.labelSelector, `${workload.specPath}.topologySpreadConstraints[${index}].labelSelector`),
  );
  return selectors;
}

export const labelSelectorSyntax: Check = {
  name: 'label-selector-syntax',
  category: 'api-server',
  reason:
    'The API server rejects selectors with invalid keys or values, unknown operators, or values on Exists/DoesNotExist.',
  run(cluster) {
    return cluster.manifests.flatMap((manifest) =>
      selectorsOf(manifest).flatMap(({ selector, path }) => {
        const found: Finding[] = [];
        for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
          const problem = qualifiedName(key) ?? (typeof value === 'string' ? labelValue(value) : 'must be a string');
          if (problem) found.push(finding(manifest, `${path}.matchLabels`, `"${key}: ${String(value)}": ${problem}`));
        }
        (selector.matchExpressions ?? []).forEach(({ key, operator, values }, index) => {
          const at = `${path}.matchExpressions[${index}]`;
          const keyProblem = qualifiedName(String(key));
          if (keyProblem) found.push(finding(manifest, at, `key "${key}": ${keyProblem}`));
          if (!OPERATORS.has(operator))
            found.push(finding(manifest, at, `operator "${operator}" is not In, NotIn, Exists or DoesNotExist`));
          const count = values?.length ?? 0;
          if ((operator === 'In' || operator === 'NotIn') && count === 0) {
            found.push(finding(manifest, at, `values must be non-empty when operator is ${operator}`));
          }
          if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
            found.push(finding(manifest, at, `values must be empty when operator is ${operator}`));
          }
          for (const value of values ?? []) {
            const valueProblem = labelValue(String(value));
            if (valueProblem) found.push(finding(manifest, at, `value "${value}": ${valueProblem}`));
          }
        });
        return found;
      }),
    );
  },
};
