import { testCheck, APP } from '../testing/broken-cases.js';
import { cluster, pooler } from '../testing/added-objects.js';
import { schema } from './schema.js';

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

testCheck(schema, [
  {
    title: 'an unknown field',
    breakIt: (p) => p.set(APP, 'spec.template.spec.containers[0].resource', { limits: {} }),
    expect: /unknown field "spec\.template\.spec\.containers\[0\]\.resource"/,
  },
  {
    title: 'an unknown field at the top level',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spc', {}),
    expect: /unknown field "spc"/,
  },
  {
    title: 'a wrong type',
    breakIt: (p) => p.set(APP, 'spec.replicas', 'two'),
    expect: /spec\.replicas: wrong type, must be integer/,
  },
  {
    title: 'a number where int-or-string is a boolean',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.ports[0].targetPort', true),
    expect: /spec\.ports\[0\]\.targetPort: wrong type, must be a string or a number/,
  },
  {
    title: 'a missing required field',
    breakIt: (p) => p.remove('Service invoices/invoice-app', 'spec.ports[0].port'),
    expect: /missing required field "spec\.ports\[0\]\.port"/,
  },
  {
    title: 'an unknown field in a kind only 1.32 serves (checked against the 1.32 schema)',
    breakIt: (p) => p.add(POLICY.replace('failurePolicy: Fail', 'failurePolicy: Fail\n  validation: []')),
    expect: /ValidatingAdmissionPolicy team-services spec: unknown field "spec\.validation"/,
  },
  {
    title: 'a wrong type in a kind only 1.32 serves',
    breakIt: (p) => p.add(POLICY.replace('message: no externalIPs', 'message: 42')),
    expect: /ValidatingAdmissionPolicy team-services .*spec\.validations\[0\]\.message: wrong type, must be string/,
  },
  {
    title: 'an apiVersion 1.27 does not serve',
    breakIt: (p) => p.set('PodDisruptionBudget invoices/invoice-app', 'apiVersion', 'policy/v1beta1'),
    expect:
      /policy\/v1beta1 PodDisruptionBudget is not a kind Kubernetes 1\.27 or 1\.32 serves \(1\.27 serves PodDisruptionBudget as policy\/v1\)/,
  },
  {
    title: 'a field newer than 1.27 (restartPolicy on a container, 1.28)',
    breakIt: (p) => p.set(APP, 'spec.template.spec.containers[0].restartPolicy', 'Always'),
    expect: /unknown field "spec\.template\.spec\.containers\[0\]\.restartPolicy"/,
  },
  {
    title: 'a custom resource with a value its CRD does not allow',
    breakIt: (p) => p.add(cluster('invoices-db') + '---' + pooler('invoices-db', 'statement')),
    expect: /Pooler invoices\/invoices-pooler spec\.pgbouncer\.poolMode: .*must be one of session, transaction/,
  },
  {
    title: 'a custom resource with a field its CRD does not know',
    breakIt: (p) => p.add(cluster('invoices-db', '\n  replicas: 3')),
    expect: /Cluster invoices\/invoices-db spec: unknown field "spec\.replicas"/,
  },
  {
    title: 'a custom resource of a version its CRD does not serve',
    breakIt: (p) => p.add(cluster('invoices-db').replace('postgresql.cnpg.io/v1', 'postgresql.cnpg.io/v2')),
    expect: /postgresql\.cnpg\.io\/v2 Cluster is not a kind .*its CRD serves postgresql\.cnpg\.io\/v1/,
  },
]);
