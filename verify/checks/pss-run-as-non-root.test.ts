import { testCheck, APP, POD, enforced, CONTAINER } from '../testing/broken-cases.js';
import { pssRunAsNonRoot } from './pss-run-as-non-root.js';

testCheck(pssRunAsNonRoot, [
  {
    title: 'runAsNonRoot left unset',
    breakIt: (p) => p.remove(APP, `${POD}.securityContext.runAsNonRoot`),
    expect: enforced(/runAsNonRoot must be true/),
  },
  {
    title: 'a container that opts out of the pod-level runAsNonRoot',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.runAsNonRoot`, false),
    expect: enforced(/runAsNonRoot must be true/),
  },
]);
