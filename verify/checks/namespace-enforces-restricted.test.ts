import { testCheck } from '../testing/broken-cases.js';
import { namespaceEnforcesRestricted } from './namespace-enforces-restricted.js';

testCheck(namespaceEnforcesRestricted, [
  {
    title: 'a namespace without the enforce label',
    breakIt: (p) => p.remove('Namespace payments', 'metadata.labels["pod-security.kubernetes.io/enforce"]'),
    expect: /Namespace payments .*label pod-security\.kubernetes\.io\/enforce: restricted is missing/,
  },
]);
