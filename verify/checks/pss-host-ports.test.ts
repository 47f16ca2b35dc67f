import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssHostPorts } from './pss-host-ports.js';

testCheck(pssHostPorts, [
  {
    title: 'a hostPort',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[0].hostPort`, 8000),
    expect: enforced(/hostPort 8000 is not allowed/),
  },
]);
