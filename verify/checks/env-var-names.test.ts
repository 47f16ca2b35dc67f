import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { envVarNames } from './env-var-names.js';

testCheck(envVarNames, [
  {
    title: 'an env var name starting with a digit',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[0].name`, '1PORT'),
    expect: /"1PORT": a valid environment variable name/,
  },
]);
