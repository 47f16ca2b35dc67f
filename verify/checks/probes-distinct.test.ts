import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { probesDistinct } from './probes-distinct.js';

testCheck(probesDistinct, [
  {
    title: 'liveness identical to readiness',
    breakIt: (p) => p.set(APP, `${CONTAINER}.livenessProbe`, p.get(APP, `${CONTAINER}.readinessProbe`)),
    expect: /liveness and readiness probes are identical/,
  },
]);
