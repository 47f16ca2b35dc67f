import { testCheck } from '../testing/broken-cases.js';
import type { Platform } from '../testing/platform.js';
import { undeclaredFlows } from './undeclared-flows.js';

// The payments namespace declares the provider's one connection and forgets the rest.
const declareOnlyTheProviderConnection = (p: Platform) =>
  p.set(
    'Namespace payments',
    'metadata.annotations["verify.billing/connections"]',
    'invoices/invoice-app -> payments/payment-provider 9000/TCP by teams/payments/connect',
  );

testCheck(undeclaredFlows, [
  {
    title: 'a flow the policies allow but no connection declares',
    breakIt: declareOnlyTheProviderConnection,
    expect:
      /NetworkPolicy payments\/payments-db: admits connections nobody declared: payments\/payment-provider -> payments\/payments-db 5432\/TCP \(made by no construct.*\)\. Fix: narrow it to the declared connections/,
  },
  {
    title: 'a flow admitted by a rule that names its port',
    breakIt: declareOnlyTheProviderConnection,
    expect:
      /NetworkPolicy invoices\/invoice-app: admits connections nobody declared: .*ingress-nginx.* -> invoices\/invoice-app 8000\/TCP/,
  },
  {
    title: 'a declaration that cannot be read',
    breakIt: (p) =>
      p.set('Namespace payments', 'metadata.annotations["verify.billing/connections"]', 'invoice-app to provider'),
    expect:
      /Namespace payments metadata\.annotations\["verify\.billing\/connections"\]: Cannot read the declared connection "invoice-app to provider"/,
  },
]);
