import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { resourceQuantities } from './resource-quantities.js';

testCheck(resourceQuantities, [
  {
    title: 'an invalid quantity',
    breakIt: (p) => p.set(APP, `${CONTAINER}.resources.requests.memory`, '128MB'),
    expect: /"128MB" is not a valid quantity/,
  },
  {
    title: 'a request above its limit',
    breakIt: (p) => p.set(APP, `${CONTAINER}.resources.requests.cpu`, '2'),
    expect: /request 2 is more than the limit 500m/,
  },
]);
