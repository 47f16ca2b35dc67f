import { testCheck, APP, POD, enforced } from '../testing/broken-cases.js';
import { pssSeccompRestricted } from './pss-seccomp-restricted.js';

testCheck(pssSeccompRestricted, [
  {
    title: 'no seccomp profile',
    breakIt: (p) => p.remove(APP, `${POD}.securityContext.seccompProfile`),
    expect: enforced(/seccompProfile\.type must be RuntimeDefault or Localhost/),
  },
]);
