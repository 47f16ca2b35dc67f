import { testCheck } from '../testing/broken-cases.js';
import { ingressBackendsExist } from './ingress-backends-exist.js';

testCheck(ingressBackendsExist, [
  {
    title: 'a backend Service that does not exist',
    breakIt: (p) =>
      p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].backend.service.name', 'invoice-ap'),
    expect: /Service invoices\/invoice-ap does not exist/,
  },
  {
    title: 'a backend port the Service does not have',
    breakIt: (p) =>
      p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].backend.service.port.name', 'grpc'),
    expect: /Service invoices\/invoice-app has no port grpc/,
  },
]);
