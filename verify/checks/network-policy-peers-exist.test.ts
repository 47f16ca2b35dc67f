import { testCheck } from '../testing/broken-cases.js';
import { networkPolicyPeersExist } from './network-policy-peers-exist.js';

testCheck(networkPolicyPeersExist, [
  {
    title: 'a peer that matches nothing',
    breakIt: (p) =>
      p.set(
        'NetworkPolicy invoices/invoices-db',
        'spec.ingress[0].from[0].podSelector.matchLabels["app.kubernetes.io/name"]',
        'invoices-app',
      ),
    expect: /matches no pod of the manifests in invoices/,
  },
]);
