import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssPrivilegeEscalation } from './pss-privilege-escalation.js';

testCheck(pssPrivilegeEscalation, [
  {
    title: 'allowPrivilegeEscalation left unset',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.securityContext.allowPrivilegeEscalation`),
    expect: enforced(/allowPrivilegeEscalation must be false/),
  },
]);
