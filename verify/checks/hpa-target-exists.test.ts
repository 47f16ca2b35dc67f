import { testCheck } from '../testing/broken-cases.js';
import { hpaTargetExists } from './hpa-target-exists.js';

testCheck(hpaTargetExists, [
  {
    title: 'an HPA over a missing Deployment',
    breakIt: (p) =>
      p.add(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: invoice-api, namespace: invoices }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: invoice-api }
  maxReplicas: 5
`),
    expect: /targets Deployment invoice-api, which the manifests do not define/,
  },
]);
