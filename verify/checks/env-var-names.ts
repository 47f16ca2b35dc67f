import { envVarName } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { containersOf } from '../workload.js';

export const envVarNames: Check = {
  name: 'env-var-names',
  category: 'api-server',
  reason:
    'The API server rejects environment variable names that are not C-identifier-like, and env sources other than exactly one.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      containersOf(workload).flatMap(({ container, path }) =>
        (container.env ?? []).flatMap((env, index) => {
          const at = `${path}.env[${index}]`;
          const found: Finding[] = [];
          const problem = envVarName(String(env.name));
          if (problem) found.push(finding(workload.manifest, `${at}.name`, `"${env.name}": ${problem}`));
          if (env.valueFrom) {
            const sources = Object.keys(env.valueFrom);
            if (env.value !== undefined && env.value !== '')
              found.push(finding(workload.manifest, at, 'may not have both value and valueFrom'));
            if (sources.length !== 1)
              found.push(finding(workload.manifest, `${at}.valueFrom`, 'needs exactly one source'));
          }
          return found;
        }),
      ),
    );
  },
};
