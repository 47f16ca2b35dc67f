import { testCheck } from '../testing/broken-cases.js';
import { namespacesCreatedFirst } from './namespaces-created-first.js';

testCheck(namespacesCreatedFirst, [
  {
    title: 'a Namespace applied after what lives in it',
    breakIt: (p) => p.moveToEnd('Namespace payments'),
    expect: /namespace payments is created later .*so a first apply fails/,
  },
  {
    title: 'a namespace nobody creates',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'metadata.namespace', 'billing'),
    expect: /namespace billing is not created by the manifests/,
  },
  {
    title: 'no namespace at all',
    breakIt: (p) => p.remove('ConfigMap invoices/invoice-app-config', 'metadata.namespace'),
    expect: /no namespace: it would land in whatever namespace kubectl is set to/,
  },
]);
