import { ianaSvcName } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { portsOf } from '../workload.js';

export const containerPortNames: Check = {
  name: 'container-port-names',
  category: 'api-server',
  reason: 'Container port names must be IANA service names (at most 15 characters) and unique within the pod.',
  equivalents: ['kube-linter:invalid-target-ports'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const found: Finding[] = [];
      const seen = new Map<string, string>();
      for (const { port, path } of portsOf(workload)) {
        if (port.name === undefined) continue;
        const at = `${path}.name`;
        const problem = ianaSvcName(port.name);
        if (problem) found.push(finding(workload.manifest, at, `port name "${port.name}" ${problem}`));
        const previous = seen.get(port.name);
        if (previous)
          found.push(finding(workload.manifest, at, `duplicate port name "${port.name}" (also at ${previous})`));
        else seen.set(port.name, at);
      }
      return found;
    });
  },
};
