import { testCheck } from '../testing/broken-cases.js';
import { servicePorts } from './service-ports.js';

testCheck(servicePorts, [
  {
    title: 'two unnamed ports',
    breakIt: (p) =>
      p.set('Service invoices/invoice-app', 'spec.ports', [
        { port: 8000, targetPort: 8000 },
        { port: 9090, targetPort: 9090 },
      ]),
    expect: /a name is required when a Service has more than one port/,
  },
  {
    title: 'a named targetPort longer than 15 characters',
    breakIt: (p) => p.set('Service invoices/invoice-app', 'spec.ports[0].targetPort', 'invoice-app-http'),
    expect: /targetPort: invoice-app-http must be no more than 15 characters/,
  },
]);
