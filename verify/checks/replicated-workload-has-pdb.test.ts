import { testCheck } from '../testing/broken-cases.js';
import { replicatedWorkloadHasPdb } from './replicated-workload-has-pdb.js';

testCheck(replicatedWorkloadHasPdb, [
  {
    title: 'two replicas and no PodDisruptionBudget',
    breakIt: (p) => p.drop('PodDisruptionBudget invoices/invoice-app'),
    expect: /Deployment invoices\/invoice-app: 2 replicas and no PodDisruptionBudget/,
  },
]);
