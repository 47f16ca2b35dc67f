import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { duplicateEnvVar } from './duplicate-env-var.js';

testCheck(duplicateEnvVar, [
  {
    title: 'PORT twice',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[4]`, { name: 'PORT', value: '8001' }),
    expect: /PORT is set twice/,
  },
]);
