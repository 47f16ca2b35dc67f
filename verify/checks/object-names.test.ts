import { testCheck } from '../testing/broken-cases.js';
import { objectNames } from './object-names.js';

testCheck(objectNames, [
  {
    title: 'a name that is not a DNS-1123 subdomain',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'metadata.name', 'Invoice_Config'),
    expect: /"Invoice_Config" is not a valid DNS-1123 subdomain/,
  },
  {
    title: 'a Service name that is not a DNS-1035 label (starts with a digit)',
    breakIt: (p) => p.set('Service payments/payment-provider', 'metadata.name', '1payments'),
    expect: /"1payments" is not a valid DNS-1035 label/,
  },
  {
    title: 'a CronJob name longer than 52 characters',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'metadata.name', 'monthly-billing-'.padEnd(53, 'x')),
    expect: /a CronJob name must be no more than 52 characters \(is 53\)/,
  },
  {
    title: 'an invalid namespace',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'metadata.namespace', 'Invoices'),
    expect: /"Invoices" is not a valid namespace/,
  },
]);
