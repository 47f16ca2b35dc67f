import { podSecurityControl, effectiveSecurityContext, perContainer } from '../pod-security.js';

export const pssSeccompRestricted = podSecurityControl(
  'pss-seccomp-restricted',
  'restricted',
  'A seccomp profile (RuntimeDefault or Localhost) must be set, to filter the syscalls a container may make.',
  (w) =>
    perContainer(w, (c, path) => {
      const type = effectiveSecurityContext(w, c).seccompProfile?.type;
      return type === 'RuntimeDefault' || type === 'Localhost'
        ? undefined
        : {
            path: `${path}.securityContext.seccompProfile`,
            message: 'seccompProfile.type must be RuntimeDefault or Localhost (on the pod or the container)',
          };
    }),
  ['kube-score:container-seccomp-profile'],
);
