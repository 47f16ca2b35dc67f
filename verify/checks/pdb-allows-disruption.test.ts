import { testCheck } from '../testing/broken-cases.js';
import { pdbAllowsDisruption } from './pdb-allows-disruption.js';

testCheck(pdbAllowsDisruption, [
  {
    title: 'minAvailable equal to the replicas',
    breakIt: (p) => p.set('PodDisruptionBudget payments/payment-provider', 'spec.minAvailable', 2),
    expect: /allows no disruption of Deployment payment-provider \(2 replicas\)/,
  },
  {
    title: 'maxUnavailable 0',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'spec.maxUnavailable', 0),
    expect: /allows no disruption of Deployment invoice-app/,
  },
]);
