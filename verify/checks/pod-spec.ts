import { dns1123Label, envVarName, ianaSvcName, portNumber } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Probe, Volume } from '../kubernetes.js';
import { parseQuantity } from '../../charts/quantity.js';
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

/** The fields of a Volume that name its source; the API server wants exactly one. */
function volumeSources(volume: Volume): string[] {
  return Object.keys(volume).filter((key) => key !== 'name');
}

export const volumes: Check = {
  name: 'volumes',
  category: 'api-server',
  reason:
    'Volumes need unique DNS-1123 names and one source; every mount must name a volume of the pod, at a unique path.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const found: Finding[] = [];
      // A StatefulSet's volumeClaimTemplates become volumes of its pods, under the template's name.
      const claimTemplates = (
        workload.manifest.object.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] } | undefined
      )?.volumeClaimTemplates;
      const names = new Set<string>(
        workload.kind === 'StatefulSet' ? (claimTemplates ?? []).map((claim) => claim.metadata?.name ?? '') : [],
      );
      (workload.spec.volumes ?? []).forEach((volume, index) => {
        const at = `${workload.specPath}.volumes[${index}]`;
        const problem = dns1123Label(String(volume.name));
        if (problem) found.push(finding(workload.manifest, `${at}.name`, `"${volume.name}": ${problem}`));
        if (names.has(volume.name))
          found.push(finding(workload.manifest, `${at}.name`, `duplicate volume name "${volume.name}"`));
        names.add(volume.name);
        const sources = volumeSources(volume);
        if (sources.length !== 1) {
          found.push(
            finding(workload.manifest, at, `a volume needs exactly one source (has ${sources.join(', ') || 'none'})`),
          );
        }
      });
      for (const { container, path } of containersOf(workload)) {
        const mountPaths = new Set<string>();
        (container.volumeMounts ?? []).forEach((mount, index) => {
          const at = `${path}.volumeMounts[${index}]`;
          if (!names.has(mount.name))
            found.push(
              finding(workload.manifest, `${at}.name`, `mounts volume "${mount.name}", which the pod does not declare`),
            );
          if (mountPaths.has(mount.mountPath))
            found.push(finding(workload.manifest, `${at}.mountPath`, `"${mount.mountPath}" is mounted twice`));
          mountPaths.add(mount.mountPath);
        });
      }
      return found;
    });
  },
};

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

/** restartPolicy each controller accepts for its pods. */
const RESTART_POLICIES: Record<string, string[]> = {
  Deployment: ['Always'],
  StatefulSet: ['Always'],
  DaemonSet: ['Always'],
  ReplicaSet: ['Always'],
  Job: ['OnFailure', 'Never'],
  CronJob: ['OnFailure', 'Never'],
  Pod: ['Always', 'OnFailure', 'Never'],
};

export const restartPolicy: Check = {
  name: 'restart-policy',
  category: 'api-server',
  reason:
    'Controllers accept only some restart policies: Always for Deployments and StatefulSets, OnFailure or Never for Jobs.',
  equivalents: ['kube-score:cronjob-restartpolicy'],
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const allowed = RESTART_POLICIES[workload.kind];
      if (!allowed) return [];
      const policy = workload.spec.restartPolicy ?? 'Always';
      if (allowed.includes(policy)) return [];
      return [
        finding(
          workload.manifest,
          `${workload.specPath}.restartPolicy`,
          `"${policy}" is not allowed for a ${workload.kind}: use ${allowed.join(' or ')}`,
        ),
      ];
    });
  },
};

export const resourceQuantities: Check = {
  name: 'resource-quantities',
  category: 'api-server',
  reason: 'Resource requests and limits must be valid quantities, and a request may not exceed its limit.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) =>
      containersOf(workload).flatMap(({ container, path }) => {
        const found: Finding[] = [];
        const { requests = {}, limits = {} } = container.resources ?? {};
        for (const [group, values] of [
          ['requests', requests],
          ['limits', limits],
        ] as const) {
          for (const [resource, quantity] of Object.entries(values)) {
            if (parseQuantity(quantity) === undefined) {
              found.push(
                finding(
                  workload.manifest,
                  `${path}.resources.${group}.${resource}`,
                  `"${quantity}" is not a valid quantity`,
                ),
              );
            }
          }
        }
        for (const [resource, request] of Object.entries(requests)) {
          const limit = limits[resource];
          if (limit === undefined) continue;
          const [r, l] = [parseQuantity(request), parseQuantity(limit)];
          if (r !== undefined && l !== undefined && r > l) {
            found.push(
              finding(
                workload.manifest,
                `${path}.resources.requests.${resource}`,
                `request ${request} is more than the limit ${limit}`,
              ),
            );
          }
        }
        return found;
      }),
    );
  },
};
