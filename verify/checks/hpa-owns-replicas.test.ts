import { testCheck } from '../testing/broken-cases.js';
import { hpaOwnsReplicas } from './hpa-owns-replicas.js';

testCheck(hpaOwnsReplicas, [
  {
    title: 'an HPA over a Deployment that sets replicas',
    breakIt: (p) =>
      p.add(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: invoice-app, namespace: invoices }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: invoice-app }
  minReplicas: 2
  maxReplicas: 5
`),
    expect: /is scaled by HorizontalPodAutoscaler invoice-app: remove replicas/,
  },
]);
