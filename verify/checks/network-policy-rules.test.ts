import { testCheck } from '../testing/broken-cases.js';
import { networkPolicyRules } from './network-policy-rules.js';

const POLICY = 'NetworkPolicy invoices/invoice-app';

testCheck(networkPolicyRules, [
  {
    title: 'endPort on a named port',
    breakIt: (p) => p.set(POLICY, 'spec.ingress[0].ports[0].endPort', 8080),
    expect: /endPort needs a numeric port/,
  },
  {
    title: 'an ipBlock together with a podSelector',
    breakIt: (p) => p.set(POLICY, 'spec.ingress[0].from[1].ipBlock', { cidr: '10.0.0.0/8' }),
    expect: /ipBlock may not be combined with podSelector or namespaceSelector/,
  },
  {
    title: 'a CIDR without its mask',
    breakIt: (p) =>
      p.set('NetworkPolicy billing-system/secret-bootstrap', 'spec.egress[1].to[0].ipBlock.cidr', '10.96.0.1'),
    expect: /CIDR mask is missing\. Did you mean 10\.96\.0\.1\/32\?/,
  },
]);
