import { podSecurityControl, perContainer } from '../pod-security.js';

export const pssPrivilegeEscalation = podSecurityControl(
  'pss-privilege-escalation',
  'restricted',
  'Without allowPrivilegeEscalation: false a setuid binary can gain more privileges than its parent.',
  (w) =>
    perContainer(w, (c, path) =>
      c.securityContext?.allowPrivilegeEscalation === false
        ? undefined
        : {
            path: `${path}.securityContext.allowPrivilegeEscalation`,
            message: 'allowPrivilegeEscalation must be false',
          },
    ),
  ['kube-linter:privilege-escalation-container'],
);
