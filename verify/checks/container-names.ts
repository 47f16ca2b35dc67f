import { dns1123Label } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { containersOf } from '../workload.js';

export const containerNames: Check = {
  name: 'container-names',
  category: 'api-server',
  reason: 'Container names must be DNS-1123 labels, unique across the init and regular containers of a pod.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const found: Finding[] = [];
      const seen = new Set<string>();
      if ((workload.spec.containers ?? []).length === 0) {
        found.push(finding(workload.manifest, `${workload.specPath}.containers`, 'a pod needs at least one container'));
      }
      for (const { container, path } of containersOf(workload)) {
        const problem = dns1123Label(String(container.name));
        if (problem) found.push(finding(workload.manifest, `${path}.name`, `"${container.name}": ${problem}`));
        if (seen.has(container.name))
          found.push(finding(workload.manifest, `${path}.name`, `duplicate container name "${container.name}"`));
        seen.add(container.name);
      }
      return found;
    });
  },
};
