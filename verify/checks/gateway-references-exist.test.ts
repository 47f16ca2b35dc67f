import { testCheck } from '../testing/broken-cases.js';
import { gatewayReferencesExist } from './gateway-references-exist.js';

testCheck(gatewayReferencesExist, [
  {
    title: 'an HTTPRoute to a Gateway that does not exist',
    breakIt: (p) =>
      p.add(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: read-api, namespace: invoices }
spec:
  parentRefs: [{ name: public, sectionName: https }]
  rules: [{ backendRefs: [{ name: invoice-app, port: 8000 }] }]
`),
    expect: /HTTPRoute invoices\/read-api spec\.parentRefs\[0\]: Gateway invoices\/public does not exist/,
  },
  {
    title: 'a Gateway serving a certificate Secret that nothing makes',
    breakIt: (p) =>
      p.add(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: invoices }
spec:
  gatewayClassName: envoy
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      tls: { certificateRefs: [{ name: public-tls }] }
`),
    expect:
      /Gateway invoices\/public spec\.listeners\[0\]\.tls\.certificateRefs\[0\]: Secret invoices\/public-tls does not exist/,
  },
]);
