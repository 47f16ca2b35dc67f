import { testCheck } from '../testing/broken-cases.js';
import { rbacRules } from './rbac-rules.js';

const DEPLOYER = 'Role invoices/deployer';

testCheck(rbacRules, [
  {
    title: 'a resource rule without apiGroups',
    breakIt: (p) => p.remove(DEPLOYER, 'rules[2].apiGroups'),
    expect: /resource rules must supply at least one api group/,
  },
  {
    title: 'nonResourceURLs in a namespaced Role',
    breakIt: (p) => p.set(DEPLOYER, 'rules[3]', { nonResourceURLs: ['/metrics'], verbs: ['get'] }),
    expect: /namespaced rules cannot apply to non-resource URLs/,
  },
  {
    title: 'a rule without verbs',
    breakIt: (p) => p.set(DEPLOYER, 'rules[0].verbs', []),
    expect: /verbs must contain at least one value/,
  },
]);
