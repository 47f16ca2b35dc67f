import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { containersOf } from '../workload.js';

export const duplicateEnvVar: Check = {
  name: 'duplicate-env-var',
  category: 'best-practice',
  reason: 'With two entries of one variable the last silently wins, and a strategic merge patch may pick the other.',
  equivalents: ['kube-linter:duplicate-env-var'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      containersOf(workload).flatMap(({ container, path }) => {
        const seen = new Set<string>();
        return (container.env ?? []).flatMap((env, index): Finding[] => {
          const duplicate = seen.has(env.name);
          seen.add(env.name);
          return duplicate ? [finding(workload.manifest, `${path}.env[${index}]`, `${env.name} is set twice`)] : [];
        });
      }),
    );
  },
};
