import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { containerResources } from './container-resources.js';

testCheck(containerResources, [
  {
    title: 'no limits',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.resources.limits`),
    expect: /missing limits\.cpu, limits\.memory/,
  },
]);
