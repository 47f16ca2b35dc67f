import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { sshPort } from './ssh-port.js';

testCheck(sshPort, [
  {
    title: 'port 22 exposed',
    breakIt: (p) => p.set(APP, `${CONTAINER}.ports[1]`, { name: 'ssh', containerPort: 22 }),
    expect: /exposes port 22/,
  },
]);
