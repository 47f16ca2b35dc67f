import type { Check } from '../check.js';
import { finding } from '../check.js';
import { deployTimeObjects } from '../exemptions.js';

export const serviceAccountsExist: Check = {
  name: 'service-accounts-exist',
  category: 'reference',
  reason: 'A pod naming a missing ServiceAccount is rejected by the ServiceAccount admission controller.',
  equivalents: ['kube-linter:non-existent-service-account'],
  run(cluster) {
    const createdLater = deployTimeObjects(cluster.manifests);
    return cluster.workloads.flatMap((workload) => {
      const name = workload.spec.serviceAccountName;
      if (!name || name === 'default') return [];
      const exists =
        cluster.find('ServiceAccount', name, workload.namespace) ||
        createdLater.some(
          (created) =>
            created.kind === 'ServiceAccount' && created.name === name && created.namespace === workload.namespace,
        );
      return exists
        ? []
        : [
            finding(
              workload.manifest,
              `${workload.specPath}.serviceAccountName`,
              `ServiceAccount ${workload.namespace}/${name} does not exist`,
            ),
          ];
    });
  },
};
