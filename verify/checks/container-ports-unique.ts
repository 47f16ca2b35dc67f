import { portNumber } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { portsOf } from '../workload.js';

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

export const containerPortsUnique: Check = {
  name: 'container-ports-unique',
  category: 'api-server',
  reason:
    'Each containerPort/protocol (and hostPort) may be declared once per pod, within 1-65535, on TCP, UDP or SCTP.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const found: Finding[] = [];
      const seen = new Map<string, string>();
      for (const { port, path: at } of portsOf(workload)) {
        const protocol = port.protocol ?? 'TCP';
        if (!PROTOCOLS.has(protocol))
          found.push(finding(workload.manifest, at, `protocol "${protocol}" is not TCP, UDP or SCTP`));
        const numberProblem = portNumber(port.containerPort ?? 0);
        if (numberProblem)
          found.push(finding(workload.manifest, at, `containerPort ${port.containerPort} ${numberProblem}`));
        if (port.hostPort !== undefined && port.hostPort !== 0 && portNumber(port.hostPort)) {
          found.push(
            finding(workload.manifest, at, `hostPort ${port.hostPort} must be between 1 and 65535, inclusive`),
          );
        }
        const key = `${port.containerPort}/${protocol}`;
        const previous = seen.get(key);
        if (previous)
          found.push(finding(workload.manifest, at, `duplicate container port ${key} (also at ${previous})`));
        else seen.set(key, at);
      }
      return found;
    });
  },
};
