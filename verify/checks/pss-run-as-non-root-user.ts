import { podSecurityControl, perContainer } from '../pod-security.js';

export const pssRunAsNonRootUser = podSecurityControl(
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
);
