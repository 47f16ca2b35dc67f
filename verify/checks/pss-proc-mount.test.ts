import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssProcMount } from './pss-proc-mount.js';

testCheck(pssProcMount, [
  {
    title: 'an unmasked /proc',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.procMount`, 'Unmasked'),
    expect: enforced(/procMount "Unmasked" is not allowed/),
  },
]);
