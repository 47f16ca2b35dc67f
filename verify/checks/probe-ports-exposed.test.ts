import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { probePortsExposed } from './probe-ports-exposed.js';

testCheck(probePortsExposed, [
  {
    title: 'a probe on an undeclared port',
    breakIt: (p) => p.set(APP, `${CONTAINER}.readinessProbe.httpGet.port`, 'metrics'),
    expect: /probes port metrics, which container "invoice-app" does not declare/,
  },
]);
