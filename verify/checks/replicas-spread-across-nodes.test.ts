import { testCheck, APP, POD } from '../testing/broken-cases.js';
import { replicasSpreadAcrossNodes } from './replicas-spread-across-nodes.js';

testCheck(replicasSpreadAcrossNodes, [
  {
    title: 'two replicas free to share a node',
    breakIt: (p) => p.remove(APP, `${POD}.topologySpreadConstraints`),
    expect: /2 replicas without podAntiAffinity or a topologySpreadConstraint on kubernetes\.io\/hostname/,
  },
  {
    title: 'anti-affinity that selects other pods',
    breakIt: (p) =>
      p.set(
        'Deployment payments/payment-provider',
        `${POD}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels["app.kubernetes.io/name"]`,
        'payments-db',
      ),
    expect: /Deployment payments\/payment-provider .*2 replicas without podAntiAffinity/,
  },
]);
