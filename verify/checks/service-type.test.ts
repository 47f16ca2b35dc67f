import { testCheck } from '../testing/broken-cases.js';
import { serviceType } from './service-type.js';

testCheck(serviceType, [
  {
    title: 'a NodePort Service',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.type', 'NodePort'),
    expect: /NodePort: use ClusterIP behind the Ingress/,
  },
]);
