import { testCheck } from '../testing/broken-cases.js';
import { pdbUnhealthyPodEvictionPolicy } from './pdb-unhealthy-pod-eviction-policy.js';

testCheck(pdbUnhealthyPodEvictionPolicy, [
  {
    title: 'no unhealthyPodEvictionPolicy',
    breakIt: (p) => p.remove('PodDisruptionBudget invoices/invoice-app', 'spec.unhealthyPodEvictionPolicy'),
    expect: /set unhealthyPodEvictionPolicy: AlwaysAllow/,
  },
]);
