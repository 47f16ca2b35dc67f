import { testCheck } from '../testing/broken-cases.js';
import { certificateIssuerExists } from './certificate-issuer-exists.js';

testCheck(certificateIssuerExists, [
  {
    title: 'a Certificate from an issuer that is neither in the manifests nor declared',
    breakIt: (p) =>
      p.add(`
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: public, namespace: invoices }
spec:
  secretName: public-tls
  dnsNames: [billing.example.com]
  issuerRef: { group: cert-manager.io, kind: ClusterIssuer, name: letsencrypt }
`),
    expect: /Certificate invoices\/public spec\.issuerRef: ClusterIssuer invoices\/letsencrypt does not exist/,
  },
]);
