import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { looksLikeSecret } from '../../charts/secret-names.js';
import { containersOf } from '../workload.js';

// A URL whose credentials are `$(VAR)`s, which the kubelet fills in from variables set from Secrets.
const COMPOSED_URL = /^[a-z][a-z0-9+.-]*:\/\/[^\s@/]*\$\([A-Za-z_][A-Za-z0-9_]*\)@/i;

// A password written out in a URL (a `$(VAR)` in its place is not one).
const CREDENTIALS_IN_URL = /:\/\/[^/\s:@]+:(?!\$\([A-Za-z_][A-Za-z0-9_]*\)@)[^/\s@]+@/;

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
          // Its credentials are `$(VAR)`s from Secrets, and the rule above found none written out.
          if (COMPOSED_URL.test(value)) return [];
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
