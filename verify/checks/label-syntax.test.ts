import { testCheck, APP } from '../testing/broken-cases.js';
import { labelSyntax } from './label-syntax.js';

testCheck(labelSyntax, [
  {
    title: 'a label value longer than 63 characters',
    breakIt: (p) => p.set(APP, 'metadata.labels["app.kubernetes.io/part-of"]', 'b'.repeat(64)),
    expect: /label value "b{64}": must be no more than 63 characters/,
  },
  {
    title: 'a label key with two slashes in a pod template',
    breakIt: (p) => p.set(APP, 'spec.template.metadata.labels["a/b/c"]', 'x'),
    expect: /spec\.template\.metadata\.labels: label key "a\/b\/c"/,
  },
]);
