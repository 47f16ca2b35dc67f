import { isDeepStrictEqual } from 'node:util';
import type { Check } from '../check.js';
import { finding } from '../check.js';
import { probedContainers } from '../workload.js';

export const probesDistinct: Check = {
  name: 'probes-distinct',
  category: 'best-practice',
  reason:
    'A liveness probe identical to the readiness probe restarts pods that are merely busy or waiting on a dependency.',
  equivalents: ['kube-score:pod-probes-identical'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      probedContainers(workload).flatMap(({ container, path }) =>
        container.livenessProbe && isDeepStrictEqual(container.livenessProbe, container.readinessProbe)
          ? [
              finding(
                workload.manifest,
                `${path}.livenessProbe`,
                'liveness and readiness probes are identical: point liveness at a check that ignores dependencies',
              ),
            ]
          : [],
      ),
    );
  },
};
