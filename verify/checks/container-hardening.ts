import type { Check } from '../check.js';
import { finding } from '../check.js';
import type { Container } from '../kubernetes.js';
import type { Workload } from '../workload.js';
import { containersOf } from '../workload.js';

/** One finding per container that fails `test`, which returns the message (or nothing when fine). */
function perContainerCheck(
  check: Omit<Check, 'run'>,
  test: (container: Container, workload: Workload, path: string) => { path: string; message: string } | undefined,
  { skipEphemeral = false } = {},
): Check {
  return {
    ...check,
    run(cluster) {
      return cluster.workloads.flatMap((workload) =>
        containersOf(workload)
          .filter(({ path }) => !(skipEphemeral && path.includes('.ephemeralContainers[')))
          .flatMap(({ container, path }) => {
            const problem = test(container, workload, path);
            return problem ? [finding(workload.manifest, problem.path, problem.message)] : [];
          }),
      );
    },
  };
}

export const readOnlyRootFilesystem = perContainerCheck(
  {
    name: 'read-only-root-filesystem',
    category: 'best-practice',
    reason: 'A writable root filesystem lets an intruder change binaries; write to mounted emptyDirs instead.',
    equivalents: ['kube-linter:no-read-only-root-fs', 'kube-score:container-security-context-readonlyrootfilesystem'],
  },
  (container, _workload, path) =>
    container.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : { path: `${path}.securityContext.readOnlyRootFilesystem`, message: 'readOnlyRootFilesystem must be true' },
);

export const runAsHighUid = perContainerCheck(
  {
    name: 'run-as-high-uid',
    category: 'best-practice',
    reason: 'A UID and GID above 10000 cannot collide with a user of the node, should the container escape.',
    equivalents: ['kube-score:container-security-context-user-group-id'],
  },
  (container, workload, path) => {
    const pod = workload.spec.securityContext ?? {};
    const user = container.securityContext?.runAsUser ?? pod.runAsUser;
    const group = container.securityContext?.runAsGroup ?? pod.runAsGroup;
    if (user !== undefined && user > 10000 && group !== undefined && group > 10000) return undefined;
    return {
      path: `${path}.securityContext`,
      message: `runAsUser and runAsGroup must be set above 10000 (are ${user ?? 'unset'} and ${group ?? 'unset'})`,
    };
  },
);

/** The tag of an image reference, `undefined` when untagged; a digest counts as pinned. */
function imageTag(image: string): string | undefined {
  if (image.includes('@')) return image.split('@')[1];
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

export const imageTagPinned = perContainerCheck(
  {
    name: 'image-tag',
    category: 'best-practice',
    reason: 'An untagged or `latest` image changes under a running Deployment: every pod may run different code.',
    equivalents: ['kube-linter:latest-tag', 'kube-score:container-image-tag'],
  },
  (container, _workload, path) => {
    const image = container.image ?? '';
    const tag = imageTag(image);
    if (tag && tag !== 'latest') return undefined;
    return { path: `${path}.image`, message: `"${image}" must name an explicit tag other than latest (or a digest)` };
  },
);

export const imagePullPolicyIfNotPresent = perContainerCheck(
  {
    name: 'image-pull-policy',
    category: 'best-practice',
    reason:
      'Images are pinned (a tag never reused, or a digest), so a copy on the node is the same image: IfNotPresent starts pods without a registry (images loaded into the node, a registry outage) and is what the contract says.',
    equivalents: [],
  },
  (container, _workload, path) =>
    container.imagePullPolicy === 'IfNotPresent'
      ? undefined
      : {
          path: `${path}.imagePullPolicy`,
          message: `imagePullPolicy is ${container.imagePullPolicy ?? 'unset'}, should be IfNotPresent`,
        },
);

export const containerResources = perContainerCheck(
  {
    name: 'container-resources',
    category: 'best-practice',
    reason: 'Without CPU and memory requests and limits a pod is scheduled blind and can starve its neighbours.',
    equivalents: [
      'kube-linter:unset-cpu-requirements',
      'kube-linter:unset-memory-requirements',
      'kube-score:container-resources',
    ],
  },
  (container, _workload, path) => {
    const missing = (['requests', 'limits'] as const).flatMap((group) =>
      ['cpu', 'memory']
        .filter((resource) => container.resources?.[group]?.[resource] === undefined)
        .map((resource) => `${group}.${resource}`),
    );
    return missing.length === 0 ? undefined : { path: `${path}.resources`, message: `missing ${missing.join(', ')}` };
  },
  { skipEphemeral: true },
);

export const sshPort = perContainerCheck(
  {
    name: 'ssh-port',
    category: 'best-practice',
    reason: 'Port 22 is SSH: a container that exposes it invites logins that bypass kubectl and its audit log.',
    equivalents: ['kube-linter:ssh-port'],
  },
  (container, _workload, path) => {
    const index = (container.ports ?? []).findIndex((port) => port.containerPort === 22);
    return index < 0 ? undefined : { path: `${path}.ports[${index}]`, message: 'exposes port 22' };
  },
);
