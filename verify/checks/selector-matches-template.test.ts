import { testCheck, APP } from '../testing/broken-cases.js';
import { selectorMatchesTemplate } from './selector-matches-template.js';

testCheck(selectorMatchesTemplate, [
  {
    title: 'a selector that misses the template labels',
    breakIt: (p) => p.set(APP, 'spec.selector.matchLabels["app.kubernetes.io/name"]', 'invoices'),
    expect: /selector \(app\.kubernetes\.io\/name=invoices\) does not match the template labels/,
  },
  {
    title: 'an empty selector',
    breakIt: (p) => p.set('StatefulSet payments/payments-db', 'spec.selector', {}),
    expect: /selector is required and may not be empty/,
  },
]);
