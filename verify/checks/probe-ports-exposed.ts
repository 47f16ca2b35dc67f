import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Probe } from '../kubernetes.js';

function probePort(probe: Probe): number | string | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
}

export const probePortsExposed: Check = {
  name: 'probe-ports-exposed',
  category: 'best-practice',
  reason:
    'A probe aimed at a port the container does not declare usually means a typo, and the pod never becomes ready.',
  equivalents: ['kube-linter:liveness-port', 'kube-linter:readiness-port', 'kube-linter:startup-port'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      (workload.spec.containers ?? []).flatMap((container, index): Finding[] => {
        const ports = container.ports ?? [];
        return (['livenessProbe', 'readinessProbe', 'startupProbe'] as const).flatMap((name) => {
          const probe = container[name];
          const port = probe ? probePort(probe) : undefined;
          if (port === undefined) return [];
          const declared = ports.some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
          return declared
            ? []
            : [
                finding(
                  workload.manifest,
                  `${workload.specPath}.containers[${index}].${name}`,
                  `probes port ${port}, which container "${container.name}" does not declare`,
                ),
              ];
        });
      }),
    );
  },
};
