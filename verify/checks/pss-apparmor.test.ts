import { testCheck, APP, enforced } from '../testing/broken-cases.js';
import { pssApparmor } from './pss-apparmor.js';

testCheck(pssApparmor, [
  {
    title: 'an unconfined AppArmor profile',
    breakIt: (p) =>
      p.set(
        APP,
        'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/invoice-app"]',
        'unconfined',
      ),
    expect: enforced(/AppArmor profile "unconfined" is not allowed/),
  },
]);
