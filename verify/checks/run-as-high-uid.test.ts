import { testCheck, APP, POD } from '../testing/broken-cases.js';
import { runAsHighUid } from './run-as-high-uid.js';

testCheck(runAsHighUid, [
  {
    title: 'a low UID',
    breakIt: (p) => p.set(APP, `${POD}.securityContext.runAsUser`, 1000),
    expect: /runAsUser and runAsGroup must be set above 10000 \(are 1000 and 10001\)/,
  },
]);
