import { testCheck, APP, POD } from '../testing/broken-cases.js';
import { deprecatedServiceAccountField } from './deprecated-service-account-field.js';

testCheck(deprecatedServiceAccountField, [
  {
    title: 'spec.serviceAccount',
    breakIt: (p) => p.set(APP, `${POD}.serviceAccount`, 'invoice-app'),
    expect: /use serviceAccountName instead/,
  },
]);
