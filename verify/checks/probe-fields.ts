import { ianaSvcName, portNumber } from '../api-validation.js';
import type { Check } from '../check.js';
import { finding } from '../check.js';
import type { Probe } from '../kubernetes.js';
import { containersOf } from '../workload.js';

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

function probeProblems(probe: Probe, kind: 'liveness' | 'readiness' | 'startup'): string[] {
  const problems: string[] = [];
  const handlers = HANDLERS.filter((handler) => probe[handler] !== undefined);
  if (handlers.length !== 1) problems.push(`needs exactly one handler (has ${handlers.join(', ') || 'none'})`);
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    problems.push(`successThreshold must be 1 for a ${kind} probe`);
  }
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  if (port !== undefined) {
    const problem = typeof port === 'number' ? portNumber(port) : ianaSvcName(port);
    if (problem) problems.push(`port ${port} ${problem}`);
  }
  return problems;
}

export const probeFields: Check = {
  name: 'probe-fields',
  category: 'api-server',
  reason: 'A probe needs exactly one handler and a valid port; liveness and startup probes need successThreshold 1.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      containersOf(workload).flatMap(({ container, path }) =>
        (['liveness', 'readiness', 'startup'] as const).flatMap((kind) => {
          const probe = container[`${kind}Probe`];
          if (!probe) return [];
          return probeProblems(probe, kind).map((problem) =>
            finding(workload.manifest, `${path}.${kind}Probe`, problem),
          );
        }),
      ),
    );
  },
};
