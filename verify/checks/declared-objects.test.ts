import { testCheck } from '../testing/broken-cases.js';
import { FOREIGN_BINDING } from '../testing/added-objects.js';
import { declaredObjects } from './declared-objects.js';

testCheck(declaredObjects, [
  {
    title: 'a RoleBinding written by hand among library-made objects',
    breakIt: (p) =>
      p
        .set('NetworkPolicy payments/default-deny', 'metadata.annotations["verify.billing/construct"]', 'teams/x')
        .add(FOREIGN_BINDING),
    expect:
      /RoleBinding payments\/invoices-help metadata\.annotations: is a grant nobody declared: made by no construct .*Fix: declare it through the library/,
  },
  {
    title: 'a network policy changed after synthesis',
    breakIt: (p) =>
      p
        .set(
          'NetworkPolicy payments/default-deny',
          'metadata.annotations["verify.billing/construct"]',
          'teams/payments/DefaultDeny',
        )
        .set(
          'NetworkPolicy payments/default-deny',
          'metadata.annotations["verify.billing/declared"]',
          '0000000000000000',
        ),
    expect:
      /NetworkPolicy payments\/default-deny: differs from what construct teams\/payments\/DefaultDeny declared \(changed after synthesis: a network rule nobody declared\)\. Fix: change that construct/,
  },
]);
