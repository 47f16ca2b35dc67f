// The Pod Security Standards (Kubernetes 1.27), every control of the `baseline` and `restricted`
// levels, as the Pod Security admission controller evaluates them. When the pod's namespace
// enforces a level (`pod-security.kubernetes.io/enforce`), a violation of that level is a
// rejection by the cluster and so cannot be waived by an annotation.

import type { Check, Finding } from '../check.js';
import type { Container, SecurityContext } from '../kubernetes.js';
import type { Workload } from '../workload.js';
import { containersOf } from '../workload.js';

type Level = 'baseline' | 'restricted';
const LEVELS = ['privileged', 'baseline', 'restricted'];
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

interface Problem {
  path: string;
  message: string;
}

function control(
  name: string,
  level: Level,
  reason: string,
  problemsOf: (workload: Workload) => Problem[],
  equivalents: string[] = [],
): Check {
  return {
    name,
    category: 'pod-security',
    reason,
    equivalents: [`pss:${level}`, ...equivalents],
    run(cluster) {
      return cluster.workloads.flatMap((workload) => {
        const enforced = cluster.namespaceLabels(workload.namespace)[ENFORCE_LABEL] ?? 'privileged';
        const unwaivable = LEVELS.indexOf(enforced) >= LEVELS.indexOf(level);
        return problemsOf(workload).map(({ path, message }): Finding => ({
          manifest: workload.manifest,
          path,
          message: unwaivable ? `${message} (namespace ${workload.namespace} enforces ${enforced})` : message,
          unwaivable,
        }));
      });
    },
  };
}

/** Each container's security context with the pod-level fallback the kubelet applies. */
function effective(workload: Workload, container: Container): SecurityContext {
  const pod = workload.spec.securityContext ?? {};
  const own = container.securityContext ?? {};
  return {
    runAsNonRoot: own.runAsNonRoot ?? pod.runAsNonRoot,
    runAsUser: own.runAsUser ?? pod.runAsUser,
    runAsGroup: own.runAsGroup ?? pod.runAsGroup,
    seccompProfile: own.seccompProfile ?? pod.seccompProfile,
    ...own,
  };
}

const perContainer = (
  workload: Workload,
  test: (container: Container, path: string) => Problem | Problem[] | undefined,
): Problem[] => containersOf(workload).flatMap(({ container, path }) => test(container, path) ?? []);

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]); // prettier-ignore
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]); // prettier-ignore
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]); // prettier-ignore
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const podSecurityStandards: Check[] = [
  control('pss-host-process', 'baseline', 'Windows HostProcess pods run with full host access.', (w) => [
    ...(w.spec.securityContext?.windowsOptions?.hostProcess
      ? [{ path: `${w.specPath}.securityContext.windowsOptions.hostProcess`, message: 'hostProcess must not be true' }]
      : []),
    ...perContainer(w, (c, path) =>
      c.securityContext?.windowsOptions?.hostProcess
        ? { path: `${path}.securityContext.windowsOptions.hostProcess`, message: 'hostProcess must not be true' }
        : undefined,
    ),
  ]),
  control(
    'pss-host-namespaces',
    'baseline',
    "Sharing the host's network, PID or IPC namespace breaks the pod's isolation from the node.",
    (w) =>
      (['hostNetwork', 'hostPID', 'hostIPC'] as const)
        .filter((field) => w.spec[field] === true)
        .map((field) => ({ path: `${w.specPath}.${field}`, message: `${field} must not be true` })),
    ['kube-linter:host-network', 'kube-linter:host-pid', 'kube-linter:host-ipc'],
  ),
  control(
    'pss-privileged',
    'baseline',
    'A privileged container has every capability and the host devices: it is root on the node.',
    (w) =>
      perContainer(w, (c, path) =>
        c.securityContext?.privileged
          ? { path: `${path}.securityContext.privileged`, message: 'privileged must not be true' }
          : undefined,
      ),
    ['kube-linter:privileged-container', 'kube-score:container-security-context-privileged'],
  ),
  control(
    'pss-capabilities-baseline',
    'baseline',
    'Capabilities beyond the default set (e.g. NET_ADMIN, SYS_ADMIN) give host-level powers.',
    (w) =>
      perContainer(w, (c, path) =>
        (c.securityContext?.capabilities?.add ?? [])
          .filter((capability) => !BASELINE_CAPABILITIES.has(capability))
          .map((capability) => ({
            path: `${path}.securityContext.capabilities.add`,
            message: `capability ${capability} may not be added`,
          })),
      ),
  ),
  control(
    'pss-host-path',
    'baseline',
    'hostPath volumes expose the node filesystem (docker.sock, /etc, /proc, ...) to the container.',
    (w) =>
      (w.spec.volumes ?? []).flatMap((volume, index) =>
        volume.hostPath
          ? [
              {
                path: `${w.specPath}.volumes[${index}].hostPath`,
                message: `hostPath ${volume.hostPath.path} is not allowed`,
              },
            ]
          : [],
      ),
    ['kube-linter:docker-sock', 'kube-linter:sensitive-host-mounts'],
  ),
  control(
    'pss-host-ports',
    'baseline',
    'hostPort binds a port on the node, bypassing Services and NetworkPolicies.',
    (w) =>
      perContainer(w, (c, path) =>
        (c.ports ?? []).flatMap((port, index) =>
          port.hostPort
            ? [{ path: `${path}.ports[${index}].hostPort`, message: `hostPort ${port.hostPort} is not allowed` }]
            : [],
        ),
      ),
  ),
  control(
    'pss-apparmor',
    'baseline',
    'An AppArmor profile other than runtime/default or localhost/* (e.g. unconfined) lifts confinement.',
    (w) =>
      Object.entries(w.podAnnotations)
        .filter(
          ([key, value]) =>
            key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/'),
        )
        .map(([key, value]) => ({
          path: `${w.specPath.replace(/\.spec$/, '.metadata')}.annotations.${key}`,
          message: `AppArmor profile "${value}" is not allowed`,
        })),
  ),
  control('pss-selinux', 'baseline', 'Custom SELinux users, roles or types can escape the container policy.', (w) => {
    const contexts = [
      { at: `${w.specPath}.securityContext.seLinuxOptions`, options: w.spec.securityContext?.seLinuxOptions },
      ...containersOf(w).map(({ container, path }) => ({
        at: `${path}.securityContext.seLinuxOptions`,
        options: container.securityContext?.seLinuxOptions,
      })),
    ];
    return contexts.flatMap(({ at, options }) => {
      if (!options) return [];
      const problems: Problem[] = [];
      if (!SELINUX_TYPES.has(options.type ?? ''))
        problems.push({ path: `${at}.type`, message: `SELinux type "${options.type}" is not allowed` });
      if (options.user || options.role) problems.push({ path: at, message: 'SELinux user and role must not be set' });
      return problems;
    });
  }),
  control('pss-proc-mount', 'baseline', 'An Unmasked /proc exposes host kernel information.', (w) =>
    perContainer(w, (c, path) => {
      const procMount = c.securityContext?.procMount;
      return procMount && procMount !== 'Default'
        ? { path: `${path}.securityContext.procMount`, message: `procMount "${procMount}" is not allowed` }
        : undefined;
    }),
  ),
  control(
    'pss-seccomp-baseline',
    'baseline',
    'An Unconfined seccomp profile opens every syscall to the container.',
    (w) => [
      ...(w.spec.securityContext?.seccompProfile?.type === 'Unconfined'
        ? [
            {
              path: `${w.specPath}.securityContext.seccompProfile.type`,
              message: 'seccomp profile must not be Unconfined',
            },
          ]
        : []),
      ...perContainer(w, (c, path) =>
        c.securityContext?.seccompProfile?.type === 'Unconfined'
          ? { path: `${path}.securityContext.seccompProfile.type`, message: 'seccomp profile must not be Unconfined' }
          : undefined,
      ),
    ],
  ),
  control(
    'pss-sysctls',
    'baseline',
    'Only namespaced, safe sysctls may be set; others change the whole node.',
    (w) =>
      (w.spec.securityContext?.sysctls ?? [])
        .filter(({ name }) => !SAFE_SYSCTLS.has(name))
        .map(({ name }) => ({
          path: `${w.specPath}.securityContext.sysctls`,
          message: `sysctl ${name} is not allowed`,
        })),
    ['kube-linter:unsafe-sysctls'],
  ),
  control(
    'pss-volume-types',
    'restricted',
    'Only ephemeral and claim-based volume types; others (nfs, iscsi, ...) reach outside the pod.',
    (w) =>
      (w.spec.volumes ?? []).flatMap((volume, index) =>
        Object.keys(volume)
          .filter((key) => key !== 'name' && key !== 'hostPath' && !RESTRICTED_VOLUME_SOURCES.has(key))
          .map((key) => ({
            path: `${w.specPath}.volumes[${index}].${key}`,
            message: `volume type ${key} is not allowed`,
          })),
      ),
  ),
  control(
    'pss-privilege-escalation',
    'restricted',
    'Without allowPrivilegeEscalation: false a setuid binary can gain more privileges than its parent.',
    (w) =>
      perContainer(w, (c, path) =>
        c.securityContext?.allowPrivilegeEscalation === false
          ? undefined
          : {
              path: `${path}.securityContext.allowPrivilegeEscalation`,
              message: 'allowPrivilegeEscalation must be false',
            },
      ),
    ['kube-linter:privilege-escalation-container'],
  ),
  control(
    'pss-run-as-non-root',
    'restricted',
    'Containers must be required to run as a non-root user (runAsNonRoot: true).',
    (w) =>
      perContainer(w, (c, path) =>
        effective(w, c).runAsNonRoot === true
          ? undefined
          : {
              path: `${path}.securityContext.runAsNonRoot`,
              message: 'runAsNonRoot must be true (on the pod or the container)',
            },
      ),
    ['kube-linter:run-as-non-root'],
  ),
  control(
    'pss-run-as-non-root-user',
    'restricted',
    'runAsUser: 0 runs the container as root whatever the image says.',
    (w) => [
      ...(w.spec.securityContext?.runAsUser === 0
        ? [{ path: `${w.specPath}.securityContext.runAsUser`, message: 'runAsUser must not be 0' }]
        : []),
      ...perContainer(w, (c, path) =>
        c.securityContext?.runAsUser === 0
          ? { path: `${path}.securityContext.runAsUser`, message: 'runAsUser must not be 0' }
          : undefined,
      ),
    ],
  ),
  control(
    'pss-seccomp-restricted',
    'restricted',
    'A seccomp profile (RuntimeDefault or Localhost) must be set, to filter the syscalls a container may make.',
    (w) =>
      perContainer(w, (c, path) => {
        const type = effective(w, c).seccompProfile?.type;
        return type === 'RuntimeDefault' || type === 'Localhost'
          ? undefined
          : {
              path: `${path}.securityContext.seccompProfile`,
              message: 'seccompProfile.type must be RuntimeDefault or Localhost (on the pod or the container)',
            };
      }),
    ['kube-score:container-seccomp-profile'],
  ),
  control(
    'pss-capabilities-restricted',
    'restricted',
    'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.',
    (w) =>
      perContainer(w, (c, path) => {
        const { add = [], drop = [] } = c.securityContext?.capabilities ?? {};
        const problems: Problem[] = [];
        if (!drop.includes('ALL'))
          problems.push({
            path: `${path}.securityContext.capabilities.drop`,
            message: 'capabilities.drop must include ALL',
          });
        for (const capability of add.filter((name) => name !== 'NET_BIND_SERVICE')) {
          problems.push({
            path: `${path}.securityContext.capabilities.add`,
            message: `capability ${capability} may not be added`,
          });
        }
        return problems;
      }),
    ['kube-linter:drop-net-raw-capability'],
  ),
];
