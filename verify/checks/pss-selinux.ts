import { containersOf } from '../workload.js';
import { podSecurityControl, type Problem } from '../pod-security.js';

// prettier-ignore
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

export const pssSelinux = podSecurityControl(
  'pss-selinux',
  'baseline',
  'Custom SELinux users, roles or types can escape the container policy.',
  (w) => {
    const contexts = [
      { at: `${w.specPath}.securityContext.seLinuxOptions`, options: w.spec.securityContext?.seLinuxOptions },
      ...containersOf(w).map(({ container, path }) => ({
        at: `${path}.securityContext.seLinuxOptions`,
        options: container.securityContext?.seLinuxOptions,
      })),
    ];
    return contexts.flatMap(({ at, options }) => {
      if (!options) return [];
      const problems: Problem[] = [];
      if (!SELINUX_TYPES.has(options.type ?? ''))
        problems.push({ path: `${at}.type`, message: `SELinux type "${options.type}" is not allowed` });
      if (options.user || options.role) problems.push({ path: at, message: 'SELinux user and role must not be set' });
      return problems;
    });
  },
);
