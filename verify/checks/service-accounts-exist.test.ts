import { testCheck, APP } from '../testing/broken-cases.js';
import { serviceAccountsExist } from './service-accounts-exist.js';

testCheck(serviceAccountsExist, [
  {
    title: 'a ServiceAccount that does not exist',
    breakIt: (p) => p.set(APP, 'spec.template.spec.serviceAccountName', 'invoices-app'),
    expect: /ServiceAccount invoices\/invoices-app does not exist/,
  },
]);
