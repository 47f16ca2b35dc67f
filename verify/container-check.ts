import type { Check } from './check.js';
import { finding } from './check.js';
import type { Container } from './kubernetes.js';
import type { Workload } from './workload.js';
import { containersOf } from './workload.js';

/** A check with one finding per container that fails `test`, which returns the problem (or nothing when fine). */
export function perContainerCheck(
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
