import type { Check } from '../check.js';
import { finding } from '../check.js';
import { namespaceOf } from '../manifest.js';
import { scaleTargetOf } from '../workload.js';

export const hpaTargetExists: Check = {
  name: 'hpa-target-exists',
  category: 'reference',
  reason: 'A HorizontalPodAutoscaler whose target does not exist scales nothing.',
  equivalents: ['kube-score:horizontalpodautoscaler-has-target', 'kube-linter:dangling-horizontalpodautoscaler'],
  run(cluster) {
    return cluster.ofKind('HorizontalPodAutoscaler').flatMap((hpa) => {
      const { kind = '', name = '' } = scaleTargetOf(hpa);
      return cluster.find(kind, name, namespaceOf(hpa.object))
        ? []
        : [finding(hpa, 'spec.scaleTargetRef', `targets ${kind} ${name}, which the manifests do not define`)];
    });
  },
};
