import { podSecurityControl, perContainer } from '../pod-security.js';

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const pssCapabilitiesBaseline = podSecurityControl(
  'pss-capabilities-baseline',
  'baseline',
  'Capabilities beyond the default set (e.g. NET_ADMIN, SYS_ADMIN) give host-level powers.',
  (w) =>
    perContainer(w, (c, path) =>
      (c.securityContext?.capabilities?.add ?? [])
        .filter((capability) => !BASELINE_CAPABILITIES.has(capability))
        .map((capability) => ({
          path: `${path}.securityContext.capabilities.add`,
          message: `capability ${capability} may not be added`,
        })),
    ),
);
