import { testCheck } from '../testing/broken-cases.js';
import { rbacWildcards } from './rbac-wildcards.js';

const DEPLOYER = 'Role invoices/deployer';

testCheck(rbacWildcards, [
  {
    title: 'every verb',
    breakIt: (p) => p.set(DEPLOYER, 'rules[0].verbs', ['*']),
    expect: /wildcard in verbs/,
  },
]);
