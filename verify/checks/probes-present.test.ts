import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { probesPresent } from './probes-present.js';

testCheck(probesPresent, [
  {
    title: 'no readiness probe',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.readinessProbe`),
    expect: /container "invoice-app" has no readinessProbe/,
  },
]);
