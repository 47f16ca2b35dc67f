import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssPrivileged } from './pss-privileged.js';

testCheck(pssPrivileged, [
  {
    title: 'a privileged container',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.privileged`, true),
    expect: enforced(/privileged must not be true/),
  },
]);
