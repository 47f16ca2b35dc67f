import { testCheck, APP } from '../testing/broken-cases.js';
import { restartPolicy } from './restart-policy.js';

testCheck(restartPolicy, [
  {
    title: 'a Deployment whose pods never restart',
    breakIt: (p) => p.set(APP, 'spec.template.spec.restartPolicy', 'Never'),
    expect: /"Never" is not allowed for a Deployment: use Always/,
  },
  {
    title: 'a Job whose pods always restart',
    breakIt: (p) => p.set('Job billing-system/secret-bootstrap', 'spec.template.spec.restartPolicy', 'Always'),
    expect: /"Always" is not allowed for a Job: use OnFailure or Never/,
  },
]);
