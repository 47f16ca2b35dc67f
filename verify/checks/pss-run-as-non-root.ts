import { podSecurityControl, effectiveSecurityContext, perContainer } from '../pod-security.js';

export const pssRunAsNonRoot = podSecurityControl(
  'pss-run-as-non-root',
  'restricted',
  'Containers must be required to run as a non-root user (runAsNonRoot: true).',
  (w) =>
    perContainer(w, (c, path) =>
      effectiveSecurityContext(w, c).runAsNonRoot === true
        ? undefined
        : {
            path: `${path}.securityContext.runAsNonRoot`,
            message: 'runAsNonRoot must be true (on the pod or the container)',
          },
    ),
  ['kube-linter:run-as-non-root'],
);
