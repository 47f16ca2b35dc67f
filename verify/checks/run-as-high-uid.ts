import { perContainerCheck } from '../container-check.js';

export const runAsHighUid = perContainerCheck(
  {
    name: 'run-as-high-uid',
    category: 'best-practice',
    reason: 'A UID and GID above 10000 cannot collide with a user of the node, should the container escape.',
    equivalents: ['kube-score:container-security-context-user-group-id'],
  },
  (container, workload, path) => {
    const pod = workload.spec.securityContext ?? {};
    const user = container.securityContext?.runAsUser ?? pod.runAsUser;
    const group = container.securityContext?.runAsGroup ?? pod.runAsGroup;
    if (user !== undefined && user > 10000 && group !== undefined && group > 10000) return undefined;
    return {
      path: `${path}.securityContext`,
      message: `runAsUser and runAsGroup must be set above 10000 (are ${user ?? 'unset'} and ${group ?? 'unset'})`,
    };
  },
);
