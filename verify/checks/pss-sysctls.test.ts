import { testCheck, APP, POD, enforced } from '../testing/broken-cases.js';
import { pssSysctls } from './pss-sysctls.js';

testCheck(pssSysctls, [
  {
    title: 'an unsafe sysctl',
    breakIt: (p) => p.set(APP, `${POD}.securityContext.sysctls`, [{ name: 'kernel.msgmax', value: '65536' }]),
    expect: enforced(/sysctl kernel\.msgmax is not allowed/),
  },
]);
