import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { probeFields } from './probe-fields.js';

testCheck(probeFields, [
  {
    title: 'a probe with two handlers',
    breakIt: (p) => p.set(APP, `${CONTAINER}.readinessProbe.exec`, { command: ['true'] }),
    expect: /needs exactly one handler \(has exec, httpGet\)/,
  },
  {
    title: 'a liveness probe with successThreshold 2',
    breakIt: (p) => p.set(APP, `${CONTAINER}.livenessProbe.successThreshold`, 2),
    expect: /successThreshold must be 1 for a liveness probe/,
  },
]);
