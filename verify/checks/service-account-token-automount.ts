import type { Check } from '../check.js';
import { finding } from '../check.js';

export const serviceAccountTokenAutomount: Check = {
  name: 'service-account-token-automount',
  category: 'best-practice',
  reason:
    'A mounted API token is a credential an intruder can use: mount it only in pods that call the Kubernetes API.',
  equivalents: ['CIS 5.1.6'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const accountName = workload.spec.serviceAccountName ?? 'default';
      const account = cluster.find('ServiceAccount', accountName, workload.namespace)?.object;
      const automount = workload.spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
      return automount === false
        ? []
        : [
            finding(
              workload.manifest,
              `${workload.specPath}.automountServiceAccountToken`,
              `mounts the token of ServiceAccount ${accountName}: set automountServiceAccountToken: false (pod or ServiceAccount)`,
            ),
          ];
    });
  },
};
