import type { Check } from '../check.js';
import { finding } from '../check.js';
import { describeSelector, isEmptySelector, selects } from '../label-selector.js';

export const selectorMatchesTemplate: Check = {
  name: 'selector-matches-template',
  category: 'api-server',
  reason:
    'A Deployment, StatefulSet, DaemonSet or ReplicaSet needs a non-empty selector that matches its pod template labels.',
  equivalents: [
    'kube-linter:mismatching-selector',
    'kube-score:deployment-pod-selector-labels-match-template-metadata-labels',
  ],
  run(cluster) {
    return cluster.workloads
      .filter((workload) => ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(workload.kind))
      .flatMap((workload) => {
        const { selector } = workload;
        if (!selector || isEmptySelector(selector)) {
          return [finding(workload.manifest, 'spec.selector', 'selector is required and may not be empty in apps/v1')];
        }
        if (selects(selector, workload.podLabels)) return [];
        return [
          finding(
            workload.manifest,
            'spec.selector',
            `selector (${describeSelector(selector)}) does not match the template labels (${describeSelector({ matchLabels: workload.podLabels })})`,
          ),
        ];
      });
  },
};
