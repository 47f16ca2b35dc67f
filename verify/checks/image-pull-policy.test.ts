import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { imagePullPolicy } from './image-pull-policy.js';

testCheck(imagePullPolicy, [
  {
    title: 'Always',
    breakIt: (p) => p.set(APP, `${CONTAINER}.imagePullPolicy`, 'Always'),
    expect: /imagePullPolicy is Always, should be IfNotPresent/,
  },
]);
