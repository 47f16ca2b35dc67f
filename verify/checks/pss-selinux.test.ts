import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssSelinux } from './pss-selinux.js';

testCheck(pssSelinux, [
  {
    title: 'the super-privileged SELinux type',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.seLinuxOptions`, { type: 'spc_t' }),
    expect: enforced(/SELinux type "spc_t" is not allowed/),
  },
]);
