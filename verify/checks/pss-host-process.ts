import { podSecurityControl, perContainer } from '../pod-security.js';

export const pssHostProcess = podSecurityControl(
  'pss-host-process',
  'baseline',
  'Windows HostProcess pods run with full host access.',
  (w) => [
    ...(w.spec.securityContext?.windowsOptions?.hostProcess
      ? [{ path: `${w.specPath}.securityContext.windowsOptions.hostProcess`, message: 'hostProcess must not be true' }]
      : []),
    ...perContainer(w, (c, path) =>
      c.securityContext?.windowsOptions?.hostProcess
        ? { path: `${path}.securityContext.windowsOptions.hostProcess`, message: 'hostProcess must not be true' }
        : undefined,
    ),
  ],
);
