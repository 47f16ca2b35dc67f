import { podSecurityControl, perContainer } from '../pod-security.js';

export const pssProcMount = podSecurityControl(
  'pss-proc-mount',
  'baseline',
  'An Unmasked /proc exposes host kernel information.',
  (w) =>
    perContainer(w, (c, path) => {
      const procMount = c.securityContext?.procMount;
      return procMount && procMount !== 'Default'
        ? { path: `${path}.securityContext.procMount`, message: `procMount "${procMount}" is not allowed` }
        : undefined;
    }),
);
