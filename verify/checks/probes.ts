import { isDeepStrictEqual } from 'node:util';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Container, Probe } from '../kubernetes.js';
import type { Workload } from '../workload.js';

/** The regular containers of a pod that runs forever: the ones a kubelet probes. */
function probedContainers(workload: Workload): { container: Container; path: string }[] {
  if (!workload.longRunning) return [];
  return (workload.spec.containers ?? []).map((container, index) => ({
    container,
    path: `${workload.specPath}.containers[${index}]`,
  }));
}

export const probesPresent: Check = {
  name: 'probes-present',
  category: 'best-practice',
  reason:
    'Without a readiness probe a Service sends traffic to pods not ready for it; without liveness a hung pod is never restarted.',
  equivalents: ['kube-score:pod-probes', 'kube-linter:no-readiness-probe', 'kube-linter:no-liveness-probe'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      probedContainers(workload).flatMap(({ container, path }) =>
        (['readinessProbe', 'livenessProbe'] as const)
          .filter((probe) => container[probe] === undefined)
          .map((probe) =>
            finding(workload.manifest, `${path}.${probe}`, `container "${container.name}" has no ${probe}`),
          ),
      ),
    );
  },
};

export const probesDistinct: Check = {
  name: 'probes-distinct',
  category: 'best-practice',
  reason:
    'A liveness probe identical to the readiness probe restarts pods that are merely busy or waiting on a dependency.',
  equivalents: ['kube-score:pod-probes-identical'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      probedContainers(workload).flatMap(({ container, path }) =>
        container.livenessProbe && isDeepStrictEqual(container.livenessProbe, container.readinessProbe)
          ? [
              finding(
                workload.manifest,
                `${path}.livenessProbe`,
                'liveness and readiness probes are identical: point liveness at a check that ignores dependencies',
              ),
            ]
          : [],
      ),
    );
  },
};

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
