import { podSecurityControl } from '../pod-security.js';

// prettier-ignore
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);

export const pssSysctls = podSecurityControl(
  'pss-sysctls',
  'baseline',
  'Only namespaced, safe sysctls may be set; others change the whole node.',
  (w) =>
    (w.spec.securityContext?.sysctls ?? [])
      .filter(({ name }) => !SAFE_SYSCTLS.has(name))
      .map(({ name }) => ({
        path: `${w.specPath}.securityContext.sysctls`,
        message: `sysctl ${name} is not allowed`,
      })),
  ['kube-linter:unsafe-sysctls'],
);
