import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { containerPortNames } from './container-port-names.js';

testCheck(containerPortNames, [
  {
    title: 'a port name longer than 15 characters',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[0].name`, 'invoice-app-http'),
    expect: /port name "invoice-app-http" must be no more than 15 characters/,
  },
  {
    title: 'a port name without a letter',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[0].name`, '8000'),
    expect: /must contain at least one letter/,
  },
]);
