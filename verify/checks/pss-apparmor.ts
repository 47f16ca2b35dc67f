import { podSecurityControl } from '../pod-security.js';

// prettier-ignore
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const pssApparmor = podSecurityControl(
  'pss-apparmor',
  'baseline',
  'An AppArmor profile other than runtime/default or localhost/* (e.g. unconfined) lifts confinement.',
  (w) =>
    Object.entries(w.podAnnotations)
      .filter(
        ([key, value]) =>
          key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/'),
      )
      .map(([key, value]) => ({
        path: `${w.specPath.replace(/\.spec$/, '.metadata')}.annotations.${key}`,
        message: `AppArmor profile "${value}" is not allowed`,
      })),
);
