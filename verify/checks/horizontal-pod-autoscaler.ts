import type { Check } from '../check.js';
import { finding } from '../check.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';

interface ScaleTargetRef {
  kind?: string;
  name?: string;
}

const targetOf = (hpa: Manifest) =>
  ((hpa.object.spec ?? {}) as { scaleTargetRef?: ScaleTargetRef }).scaleTargetRef ?? {};

export const hpaTargetExists: Check = {
  name: 'hpa-target-exists',
  category: 'reference',
  reason: 'A HorizontalPodAutoscaler whose target does not exist scales nothing.',
  equivalents: ['kube-score:horizontalpodautoscaler-has-target', 'kube-linter:dangling-horizontalpodautoscaler'],
  run(cluster) {
    return cluster.ofKind('HorizontalPodAutoscaler').flatMap((hpa) => {
      const { kind = '', name = '' } = targetOf(hpa);
      return cluster.find(kind, name, namespaceOf(hpa.object))
        ? []
        : [finding(hpa, 'spec.scaleTargetRef', `targets ${kind} ${name}, which the manifests do not define`)];
    });
  },
};

export const hpaOwnsReplicas: Check = {
  name: 'hpa-owns-replicas',
  category: 'best-practice',
  reason: 'A Deployment scaled by an HPA must not set replicas, or every apply resets the scale the HPA chose.',
  equivalents: ['kube-score:deployment-targeted-by-hpa-does-not-have-replicas-configured'],
  run(cluster) {
    return cluster.ofKind('HorizontalPodAutoscaler').flatMap((hpa) => {
      const { kind = '', name = '' } = targetOf(hpa);
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
