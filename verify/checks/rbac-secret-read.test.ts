import { testCheck } from '../testing/broken-cases.js';
import { rbacSecretRead } from './rbac-secret-read.js';

const DEPLOYER = 'Role invoices/deployer';

testCheck(rbacSecretRead, [
  {
    title: 'listing secrets',
    breakIt: (p) => p.set(DEPLOYER, 'rules[2].resources', ['pods', 'secrets']),
    expect: /Group team-invoices via Role invoices\/deployer: may get, list, watch secrets in invoices/,
  },
  {
    title: 'reading named secrets',
    breakIt: (p) =>
      p.set('Role payments/secret-bootstrap', 'rules[1]', {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['payment-provider-secrets'],
        verbs: ['get'],
      }),
    expect:
      /ServiceAccount billing-system\/secret-bootstrap via Role payments\/secret-bootstrap: may get secrets \(payment-provider-secrets\) in payments/,
  },
]);
