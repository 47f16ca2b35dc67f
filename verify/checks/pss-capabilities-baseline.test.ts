import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssCapabilitiesBaseline } from './pss-capabilities-baseline.js';

testCheck(pssCapabilitiesBaseline, [
  {
    title: 'NET_ADMIN added',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.capabilities.add`, ['NET_ADMIN']),
    expect: enforced(/capability NET_ADMIN may not be added/),
  },
]);
