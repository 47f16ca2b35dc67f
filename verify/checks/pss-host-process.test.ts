import { testCheck, APP, POD, enforced } from '../testing/broken-cases.js';
import { pssHostProcess } from './pss-host-process.js';

testCheck(pssHostProcess, [
  {
    title: 'a Windows HostProcess pod',
    breakIt: (p) => p.set(APP, `${POD}.securityContext.windowsOptions`, { hostProcess: true }),
    expect: enforced(/hostProcess must not be true/),
  },
]);
