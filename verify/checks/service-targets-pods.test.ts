import { testCheck } from '../testing/broken-cases.js';
import { serviceTargetsPods } from './service-targets-pods.js';

testCheck(serviceTargetsPods, [
  {
    title: 'a selector that matches no pod',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.selector["app.kubernetes.io/name"]', 'invoices-app'),
    expect: /Service invoices\/invoice-app spec\.selector: selects no pod/,
  },
  {
    title: 'a targetPort the pods do not declare',
    breakIt: (p) => p.set('Service payments/payment-provider', 'spec.ports[0].targetPort', 9090),
    expect: /targetPort 9090 is not a port that Deployment payment-provider declares/,
  },
]);
