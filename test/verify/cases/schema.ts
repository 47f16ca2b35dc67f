import type { BrokenCase } from './broken-case.js';

const APP = 'Deployment invoices/invoice-app';

const POLICY = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: team-services }
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules: [{ apiGroups: [''], apiVersions: ['*'], operations: [CREATE], resources: [services] }]
  validations: [{ expression: '!has(object.spec.externalIPs)', message: no externalIPs }]
`;

export const schemaCases: BrokenCase[] = [
  {
    check: 'schema',
    title: 'an unknown field',
    breakIt: (p) => p.set(APP, 'spec.template.spec.containers[0].resource', { limits: {} }),
    expect: /unknown field "spec\.template\.spec\.containers\[0\]\.resource"/,
  },
  {
    check: 'schema',
    title: 'an unknown field at the top level',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spc', {}),
    expect: /unknown field "spc"/,
  },
  {
    check: 'schema',
    title: 'a wrong type',
    breakIt: (p) => p.set(APP, 'spec.replicas', 'two'),
    expect: /spec\.replicas: wrong type, must be integer/,
  },
  {
    check: 'schema',
    title: 'a number where int-or-string is a boolean',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.ports[0].targetPort', true),
    expect: /spec\.ports\[0\]\.targetPort: wrong type, must be a string or a number/,
  },
  {
    check: 'schema',
    title: 'a missing required field',
    breakIt: (p) => p.remove('Service invoices/invoice-app', 'spec.ports[0].port'),
    expect: /missing required field "spec\.ports\[0\]\.port"/,
  },
  {
    check: 'schema',
    title: 'an unknown field in a kind only 1.32 serves (checked against the 1.32 schema)',
    breakIt: (p) => p.add(POLICY.replace('failurePolicy: Fail', 'failurePolicy: Fail\n  validation: []')),
    expect: /ValidatingAdmissionPolicy team-services spec: unknown field "spec\.validation"/,
  },
  {
    check: 'schema',
    title: 'a wrong type in a kind only 1.32 serves',
    breakIt: (p) => p.add(POLICY.replace('message: no externalIPs', 'message: 42')),
    expect: /ValidatingAdmissionPolicy team-services .*spec\.validations\[0\]\.message: wrong type, must be string/,
  },
  {
    check: 'schema',
    title: 'an apiVersion 1.27 does not serve',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'apiVersion', 'policy/v1beta1'),
    expect:
      /policy\/v1beta1 PodDisruptionBudget is not a kind Kubernetes 1\.27 or 1\.32 serves \(1\.27 serves PodDisruptionBudget as policy\/v1\)/,
  },
  {
    check: 'schema',
    title: 'a field newer than 1.27 (restartPolicy on a container, 1.28)',
    breakIt: (p) => p.set(APP, 'spec.template.spec.containers[0].restartPolicy', 'Always'),
    expect: /unknown field "spec\.template\.spec\.containers\[0\]\.restartPolicy"/,
  },
];
