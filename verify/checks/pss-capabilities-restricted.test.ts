import { testCheck, APP, CONTAINER, enforced } from '../testing/broken-cases.js';
import { pssCapabilitiesRestricted } from './pss-capabilities-restricted.js';

testCheck(pssCapabilitiesRestricted, [
  {
    title: 'capabilities not dropped',
    breakIt: (p) => p.remove(APP, `${CONTAINER}.securityContext.capabilities`),
    expect: enforced(/capabilities\.drop must include ALL/),
  },
  {
    title: 'a capability added back other than NET_BIND_SERVICE',
    breakIt: (p) => p.set(APP, `${CONTAINER}.securityContext.capabilities.add`, ['CHOWN']),
    expect: enforced(/capability CHOWN may not be added/),
  },
]);
