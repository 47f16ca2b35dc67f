import { testCheck } from '../testing/broken-cases.js';
import { argoProjectExists } from './argo-project-exists.js';

testCheck(argoProjectExists, [
  {
    title: 'an Application in a project that does not exist',
    breakIt: (p) =>
      p.add(`
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: billing-prod, namespace: argocd }
spec:
  project: billing
  source: { repoURL: https://git.example.com/billing.git, path: dist/prod }
  destination: { server: https://kubernetes.default.svc }
`),
    expect: /Application argocd\/billing-prod spec\.project: AppProject argocd\/billing does not exist/,
  },
]);
