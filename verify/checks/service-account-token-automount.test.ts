import { testCheck, APP, POD } from '../testing/broken-cases.js';
import { serviceAccountTokenAutomount } from './service-account-token-automount.js';

testCheck(serviceAccountTokenAutomount, [
  {
    title: 'a pod that mounts its token',
    breakIt: (p) => p.set(APP, `${POD}.automountServiceAccountToken`, true),
    expect: /mounts the token of ServiceAccount invoice-app/,
  },
  {
    title: 'a pod whose ServiceAccount mounts tokens by default',
    breakIt: (p) => p.remove('ServiceAccount payments/payment-provider', 'automountServiceAccountToken'),
    expect: /Deployment payments\/payment-provider .*mounts the token of ServiceAccount payment-provider/,
  },
]);
