import { testCheck } from '../testing/broken-cases.js';
import { cluster } from '../testing/added-objects.js';
import { networkPolicyTargetsPods } from './network-policy-targets-pods.js';

testCheck(networkPolicyTargetsPods, [
  {
    title: 'a policy that selects nothing',
    breakIt: (p) =>
      p.set(
        'NetworkPolicy invoices/invoices-db',
        'spec.podSelector.matchLabels["app.kubernetes.io/name"]',
        'invoice-db',
      ),
    expect: /NetworkPolicy invoices\/invoices-db spec\.podSelector: selects no pod of the manifests in invoices/,
  },
  {
    title: 'a policy for the pods of a Postgres cluster that does not exist',
    breakIt: (p) =>
      p.add(`${cluster('invoices-db')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: invoices-db, namespace: invoices }
spec:
  podSelector: { matchLabels: { cnpg.io/cluster: invoice-db } }
  policyTypes: [Ingress, Egress]
`),
    expect: /NetworkPolicy invoices\/invoices-db spec\.podSelector: selects no pod of the manifests in invoices/,
  },
]);
