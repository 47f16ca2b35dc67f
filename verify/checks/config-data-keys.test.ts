import { testCheck } from '../testing/broken-cases.js';
import { configDataKeys } from './config-data-keys.js';

testCheck(configDataKeys, [
  {
    title: 'a key with a space',
    breakIt: (p) => p.set('ConfigMap invoices/invoice-app-config', 'data["bad key"]', 'x'),
    expect: /"bad key": a valid config key/,
  },
]);
