import { testCheck } from '../testing/broken-cases.js';
import { oneSidedRules } from './one-sided-rules.js';

testCheck(oneSidedRules, [
  {
    title: 'a caller whose server dropped its policy (the namespace default deny refuses)',
    breakIt: (p) => p.drop('NetworkPolicy payments/payment-provider'),
    expect:
      /NetworkPolicy invoices\/invoice-app: lets invoices\/invoice-app connect to payments\/payment-provider on 9000\/TCP .*but payments\/payment-provider's policies refuse it: a one-sided rule\. Fix: declare the connection with connect\/allowFrom/,
  },
]);
