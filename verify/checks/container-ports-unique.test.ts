import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { containerPortsUnique } from './container-ports-unique.js';

testCheck(containerPortsUnique, [
  {
    title: 'one containerPort declared twice',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[1]`, { name: 'metrics', containerPort: 8000 }),
    expect: /duplicate container port 8000\/TCP/,
  },
]);
