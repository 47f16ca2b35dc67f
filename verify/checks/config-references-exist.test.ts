import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { cluster } from '../testing/added-objects.js';
import { configReferencesExist } from './config-references-exist.js';

testCheck(configReferencesExist, [
  {
    title: 'a Secret nobody creates',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[2].valueFrom.secretKeyRef.name`, 'invoice-app-secret'),
    expect:
      /Secret invoices\/invoice-app-secret does not exist \(nor is it declared in a verify\.billing\/created-at-deploy annotation\)/,
  },
  {
    title: 'a ConfigMap key that does not exist',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[1].valueFrom.configMapKeyRef.key`, 'PAYMENT_PROVIDER_URL'),
    expect: /ConfigMap invoices\/invoice-app-config has no key "PAYMENT_PROVIDER_URL"/,
  },
  {
    title: 'a deploy-time Secret declared for the wrong namespace',
    breakIt: (p) =>
      p.set(
        'Job billing-system/secret-bootstrap',
        'metadata.annotations["verify.billing/created-at-deploy"]',
        'Secret/invoice-app-secrets, Secret/invoices/invoices-db-credentials, Secret/payments/payment-provider-secrets, Secret/payments/payments-db-credentials',
      ),
    expect: /Secret invoices\/invoice-app-secrets does not exist/,
  },
  {
    title: 'a key the operator does not put in the Secret it generates for a Cluster',
    breakIt: (p) =>
      p
        .add(cluster('invoices-db'))
        .set(`Deployment invoices/invoice-app`, `${CONTAINER}.env`, [
          { name: 'DATABASE_USER', valueFrom: { secretKeyRef: { name: 'invoices-db-app', key: 'user' } } },
        ]),
    expect: /Secret invoices\/invoices-db-app has no key "user"/,
  },
]);
