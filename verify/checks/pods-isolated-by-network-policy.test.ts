import { testCheck } from '../testing/broken-cases.js';
import { podsIsolatedByNetworkPolicy } from './pods-isolated-by-network-policy.js';

testCheck(podsIsolatedByNetworkPolicy, [
  {
    title: 'a pod no policy isolates',
    breakIt: (p) => p.drop('NetworkPolicy payments/default-deny').drop('NetworkPolicy payments/payments-db'),
    expect: /StatefulSet payments\/payments-db: no NetworkPolicy isolates its pods for ingress and egress/,
  },
  {
    title: 'a pod isolated for ingress only',
    breakIt: (p) =>
      p
        .set('NetworkPolicy payments/default-deny', 'spec.policyTypes', ['Ingress'])
        .set('NetworkPolicy payments/payments-db', 'spec.policyTypes', ['Ingress']),
    expect: /StatefulSet payments\/payments-db: no NetworkPolicy isolates its pods for egress/,
  },
]);
