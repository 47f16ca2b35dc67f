import { testCheck, APP } from '../testing/broken-cases.js';
import { stableApiVersion } from './stable-api-version.js';

testCheck(stableApiVersion, [
  {
    title: 'a beta API',
    breakIt: (p) => p.set(APP, 'apiVersion', 'apps/v1beta2'),
    expect: /apps\/v1beta2 is not a stable API version/,
  },
]);
