import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { looksLikeSecret } from '../../charts/secret-names.js';
import { containersOf } from '../workload.js';

const CREDENTIALS_IN_URL = /:\/\/[^/\s:@]+:[^/\s@]+@/;

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

export const envVarSecret: Check = {
  name: 'env-var-secret',
  category: 'best-practice',
  reason:
    'A secret written into the manifest as a literal env value is readable by anyone who can read the Deployment.',
  equivalents: ['kube-linter:env-var-secret'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      containersOf(workload).flatMap(({ container, path }) =>
        (container.env ?? []).flatMap((env, index): Finding[] => {
          const value = env.value ?? '';
          if (value === '') return [];
          if (CREDENTIALS_IN_URL.test(value)) {
            return [
              finding(
                workload.manifest,
                `${path}.env[${index}]`,
                `${env.name} holds a URL with a password: use valueFrom.secretKeyRef`,
              ),
            ];
          }
          if (looksLikeSecret(env.name)) {
            return [
              finding(
                workload.manifest,
                `${path}.env[${index}]`,
                `${env.name} has a literal value: use valueFrom.secretKeyRef`,
              ),
            ];
          }
          return [];
        }),
      ),
    );
  },
};
