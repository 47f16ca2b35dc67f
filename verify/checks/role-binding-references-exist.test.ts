import { testCheck } from '../testing/broken-cases.js';
import { roleBindingReferencesExist } from './role-binding-references-exist.js';

testCheck(roleBindingReferencesExist, [
  {
    title: 'a roleRef to a missing Role',
    breakIt: (p) => p.set('RoleBinding invoices/team-invoices-deployer', 'roleRef.name', 'deploy'),
    expect: /Role deploy does not exist/,
  },
  {
    title: 'a subject ServiceAccount that does not exist',
    breakIt: (p) => p.set('RoleBinding payments/secret-bootstrap', 'subjects[0].namespace', 'payments'),
    expect: /ServiceAccount payments\/secret-bootstrap does not exist/,
  },
]);
