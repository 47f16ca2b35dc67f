import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { containerNames } from './container-names.js';

testCheck(containerNames, [
  {
    title: 'a container name that is not a DNS-1123 label',
    breakIt: (p) => p.set(APP, `${CONTAINER}.name`, 'Invoice_App'),
    expect: /"Invoice_App": a lowercase RFC 1123 label/,
  },
  {
    title: 'two containers with one name',
    breakIt: (p) => p.set(APP, 'spec.template.spec.initContainers', [{ name: 'invoice-app', image: 'busybox:1.36' }]),
    expect: /duplicate container name "invoice-app"/,
  },
]);
