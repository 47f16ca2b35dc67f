import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { volumes } from './volumes.js';

testCheck(volumes, [
  {
    title: 'a mount of an undeclared volume',
    breakIt: (p) => p.set(APP, `${CONTAINER}.volumeMounts[1]`, { name: 'cache', mountPath: '/cache' }),
    expect: /mounts volume "cache", which the pod does not declare/,
  },
  {
    title: 'a volume with two sources',
    breakIt: (p) => p.set(APP, 'spec.template.spec.volumes[0].configMap', { name: 'invoice-app-config' }),
    expect: /a volume needs exactly one source \(has emptyDir, configMap\)/,
  },
  {
    title: 'a StatefulSet mount of neither a volume nor a claim template',
    breakIt: (p) =>
      p.set('StatefulSet payments/payments-db', 'spec.template.spec.containers[0].volumeMounts[0].name', 'pgdata'),
    expect: /mounts volume "pgdata", which the pod does not declare/,
  },
]);
