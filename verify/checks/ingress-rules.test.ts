import { testCheck } from '../testing/broken-cases.js';
import { ingressRules } from './ingress-rules.js';

testCheck(ingressRules, [
  {
    title: 'a path without pathType',
    breakIt: (p) => p.remove('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].pathType'),
    expect: /pathType is required/,
  },
  {
    title: 'a relative Prefix path',
    breakIt: (p) => p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].path', 'rest'),
    expect: /"rest" must be an absolute path/,
  },
  {
    title: 'a backend port with both name and number',
    breakIt: (p) =>
      p.set('Ingress invoices/invoice-app', 'spec.rules[0].http.paths[0].backend.service.port.number', 8000),
    expect: /a service port needs exactly one of name or number/,
  },
  {
    title: 'an IP address as host',
    breakIt: (p) => p.set('Ingress invoices/invoice-app', 'spec.rules[0].host', '10.0.0.1'),
    expect: /"10\.0\.0\.1": must be a DNS name, not an IP address/,
  },
]);
