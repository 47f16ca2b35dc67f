import { testCheck } from '../testing/broken-cases.js';
import { admissionPolicies } from './admission-policies.js';

/** A policy like the platform's, bound to `invoices`: Services there may not set externalIPs. */
const POLICY = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: no-external-ips }
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules: [{ apiGroups: [''], apiVersions: ['*'], operations: [CREATE, UPDATE], resources: [services] }]
  validations:
    - expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0'
      message: Remove externalIPs.
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: no-external-ips }
spec:
  policyName: no-external-ips
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchExpressions: [{ key: kubernetes.io/metadata.name, operator: In, values: [invoices] }]
`;

testCheck(admissionPolicies, [
  {
    title: 'a Service its own policy refuses',
    breakIt: (p) => p.add(POLICY).set('Service invoices/invoice-app', 'spec.externalIPs', ['203.0.113.7']),
    expect: /Service invoices\/invoice-app: refused by ValidatingAdmissionPolicy no-external-ips: Remove externalIPs\./,
  },
  {
    title: 'an expression that does not parse',
    breakIt: (p) => p.add(POLICY.replace("size(object.spec.externalIPs) == 0'", "size(object.spec.externalIPs) =='")),
    expect: /ValidatingAdmissionPolicy no-external-ips spec\.validations\[0\]\.expression: CEL does not parse/,
  },
]);
