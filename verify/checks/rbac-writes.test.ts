import { testCheck } from '../testing/broken-cases.js';
import { rbacWrites } from './rbac-writes.js';

const DEPLOYER = 'Role invoices/deployer';

testCheck(rbacWrites, [
  {
    title: 'creating rolebindings',
    breakIt: (p) =>
      p.set(DEPLOYER, 'rules[3]', {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings'],
        verbs: ['create'],
      }),
    expect: /may write rolebindings/,
  },
]);
