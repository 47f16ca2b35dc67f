import { testCheck } from '../testing/broken-cases.js';
import { monitorTargetsExist } from './monitor-targets-exist.js';

testCheck(monitorTargetsExist, [
  {
    title: 'a ServiceMonitor naming a port its Service does not have',
    breakIt: (p) =>
      p.set('Service invoices/invoice-app', 'metadata.labels', { 'app.kubernetes.io/name': 'invoice-app' }).add(`
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: invoice-app, namespace: invoices }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: invoice-app } }
  endpoints: [{ port: metrics }]
`),
    expect:
      /ServiceMonitor invoices\/invoice-app spec\.endpoints\[0\]\.port: no selected Service has a port named metrics/,
  },
]);
