import { podSecurityControl, perContainer } from '../pod-security.js';

export const pssPrivileged = podSecurityControl(
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
);
