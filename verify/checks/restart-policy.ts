import type { Check } from '../check.js';
import { finding } from '../check.js';

/** restartPolicy each controller accepts for its pods. */
const RESTART_POLICIES: Record<string, string[]> = {
  Deployment: ['Always'],
  StatefulSet: ['Always'],
  DaemonSet: ['Always'],
  ReplicaSet: ['Always'],
  Job: ['OnFailure', 'Never'],
  CronJob: ['OnFailure', 'Never'],
  Pod: ['Always', 'OnFailure', 'Never'],
};

export const restartPolicy: Check = {
  name: 'restart-policy',
  category: 'api-server',
  reason:
    'Controllers accept only some restart policies: Always for Deployments and StatefulSets, OnFailure or Never for Jobs.',
  equivalents: ['kube-score:cronjob-restartpolicy'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const allowed = RESTART_POLICIES[workload.kind];
      if (!allowed) return [];
      const policy = workload.spec.restartPolicy ?? 'Always';
      if (allowed.includes(policy)) return [];
      return [
        finding(
          workload.manifest,
          `${workload.specPath}.restartPolicy`,
          `"${policy}" is not allowed for a ${workload.kind}: use ${allowed.join(' or ')}`,
        ),
      ];
    });
  },
};
