import { testCheck } from '../testing/broken-cases.js';
import { labelSelectorSyntax } from './label-selector-syntax.js';

const POLICY = 'NetworkPolicy invoices/invoice-app';

testCheck(labelSelectorSyntax, [
  {
    title: 'an unknown operator',
    breakIt: (p) =>
      p.set(POLICY, 'spec.podSelector.matchExpressions', [{ key: 'tier', operator: 'Equals', values: ['web'] }]),
    expect: /operator "Equals" is not In, NotIn, Exists or DoesNotExist/,
  },
  {
    title: 'In without values',
    breakIt: (p) => p.set(POLICY, 'spec.podSelector.matchExpressions', [{ key: 'tier', operator: 'In', values: [] }]),
    expect: /values must be non-empty when operator is In/,
  },
]);
