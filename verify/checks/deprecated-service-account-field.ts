import type { Check } from '../check.js';
import { finding } from '../check.js';

export const deprecatedServiceAccountField: Check = {
  name: 'deprecated-service-account-field',
  category: 'best-practice',
  reason: 'spec.serviceAccount is a deprecated alias: when it disagrees with serviceAccountName the result surprises.',
  equivalents: ['kube-linter:deprecated-service-account-field'],
  run(cluster) {
    return cluster.workloads
      .filter((workload) => workload.spec.serviceAccount !== undefined)
      .map((workload) =>
        finding(workload.manifest, `${workload.specPath}.serviceAccount`, 'use serviceAccountName instead'),
      );
  },
};
