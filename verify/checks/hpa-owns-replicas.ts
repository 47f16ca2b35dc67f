import type { Check } from '../check.js';
import { finding } from '../check.js';
import { namespaceOf } from '../manifest.js';
import { scaleTargetOf } from '../workload.js';

export const hpaOwnsReplicas: Check = {
  name: 'hpa-owns-replicas',
  category: 'best-practice',
  reason: 'A Deployment scaled by an HPA must not set replicas, or every apply resets the scale the HPA chose.',
  equivalents: ['kube-score:deployment-targeted-by-hpa-does-not-have-replicas-configured'],
  run(cluster) {
    return cluster.ofKind('HorizontalPodAutoscaler').flatMap((hpa) => {
      const { kind = '', name = '' } = scaleTargetOf(hpa);
      const target = cluster.find(kind, name, namespaceOf(hpa.object));
      const replicas = (target?.object.spec as { replicas?: unknown } | undefined)?.replicas;
      return target && replicas !== undefined
        ? [
            finding(
              target,
              'spec.replicas',
              `is scaled by HorizontalPodAutoscaler ${hpa.object.metadata?.name}: remove replicas`,
            ),
          ]
        : [];
    });
  },
};
