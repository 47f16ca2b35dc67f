import { testCheck, APP, POD, enforced } from '../testing/broken-cases.js';
import { pssHostNamespaces } from './pss-host-namespaces.js';

testCheck(pssHostNamespaces, [
  {
    title: 'hostNetwork',
    breakIt: (p) => p.set(APP, `${POD}.hostNetwork`, true),
    expect: enforced(/hostNetwork must not be true/),
  },
]);
