// The Pod Security Standards (Kubernetes 1.27), every control of the `baseline` and `restricted`
// levels, as the Pod Security admission controller evaluates them: one check a control
// (verify/checks/pss-*.ts). When the pod's namespace enforces a level
// (`pod-security.kubernetes.io/enforce`), a violation of that level is a rejection by the cluster
// and so cannot be waived by an annotation.

import type { Check, Finding } from './check.js';
import type { Container, SecurityContext } from './kubernetes.js';
import type { Workload } from './workload.js';
import { containersOf } from './workload.js';

type Level = 'baseline' | 'restricted';
const LEVELS = ['privileged', 'baseline', 'restricted'];
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export interface Problem {
  path: string;
  message: string;
}

/** The check of one control of a level, unwaivable where the namespace enforces that level. */
export function podSecurityControl(
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
export function effectiveSecurityContext(workload: Workload, container: Container): SecurityContext {
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

/** The problems of each container of a workload. */
export const perContainer = (
  workload: Workload,
  test: (container: Container, path: string) => Problem | Problem[] | undefined,
): Problem[] => containersOf(workload).flatMap(({ container, path }) => test(container, path) ?? []);
