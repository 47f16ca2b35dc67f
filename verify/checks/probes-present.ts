import type { Check } from '../check.js';
import { finding } from '../check.js';
import { probedContainers } from '../workload.js';

export const probesPresent: Check = {
  name: 'probes-present',
  category: 'best-practice',
  reason:
    'Without a readiness probe a Service sends traffic to pods not ready for it; without liveness a hung pod is never restarted.',
  equivalents: ['kube-score:pod-probes', 'kube-linter:no-readiness-probe', 'kube-linter:no-liveness-probe'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      probedContainers(workload).flatMap(({ container, path }) =>
        (['readinessProbe', 'livenessProbe'] as const)
          .filter((probe) => container[probe] === undefined)
          .map((probe) =>
            finding(workload.manifest, `${path}.${probe}`, `container "${container.name}" has no ${probe}`),
          ),
      ),
    );
  },
};
