import { testCheck } from '../testing/broken-cases.js';
import { blockedConnections } from './blocked-connections.js';

testCheck(blockedConnections, [
  {
    title: 'a declared connection that the policies refuse',
    breakIt: (p) =>
      p.set(
        'Namespace payments',
        'metadata.annotations["verify.billing/connections"]',
        'invoices/invoice-app -> payments/payments-db 5432/TCP by teams/payments/connect',
      ),
    expect:
      /StatefulSet payments\/payments-db: refuses connections declared in code: invoices\/invoice-app -> payments\/payments-db 5432\/TCP \(declared by teams\/payments\/connect\)\. .*a one-sided rule.*Fix: /,
  },
]);
