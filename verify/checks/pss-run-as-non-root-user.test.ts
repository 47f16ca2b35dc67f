import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssRunAsNonRootUser } from './pss-run-as-non-root-user.js';

testCheck(pssRunAsNonRootUser, [
  {
    title: 'runAsUser 0',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.runAsUser`, 0),
    expect: enforced(/runAsUser must not be 0/),
  },
]);
