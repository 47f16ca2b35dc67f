import { podSecurityControl, perContainer } from '../pod-security.js';

export const pssSeccompBaseline = podSecurityControl(
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
);
