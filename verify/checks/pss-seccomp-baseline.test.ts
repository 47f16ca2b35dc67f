import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssSeccompBaseline } from './pss-seccomp-baseline.js';

testCheck(pssSeccompBaseline, [
  {
    title: 'an Unconfined seccomp profile',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.seccompProfile`, { type: 'Unconfined' }),
    expect: enforced(/seccomp profile must not be Unconfined/),
  },
]);
