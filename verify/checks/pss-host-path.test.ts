import { testCheck, APP, POD, enforced } from '../testing/broken-cases.js';
import { pssHostPath } from './pss-host-path.js';

testCheck(pssHostPath, [
  {
    title: 'the docker socket mounted',
    breakIt: (p) => p.set(APP, `${POD}.volumes[1]`, { name: 'docker', hostPath: { path: '/var/run/docker.sock' } }),
    expect: enforced(/hostPath \/var\/run\/docker\.sock is not allowed/),
  },
]);
