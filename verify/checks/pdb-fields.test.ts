import { testCheck } from '../testing/broken-cases.js';
import { pdbFields } from './pdb-fields.js';

testCheck(pdbFields, [
  {
    title: 'both minAvailable and maxUnavailable',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'spec.minAvailable', 1),
    expect: /minAvailable and maxUnavailable cannot be both set/,
  },
  {
    title: 'a percentage above 100',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'spec.maxUnavailable', '150%'),
    expect: /150% must be a non-negative integer or a percentage up to 100%/,
  },
]);
