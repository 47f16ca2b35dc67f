import { testCheck, APP, CONTAINER } from '../testing/broken-cases.js';
import { envVarSecret } from './env-var-secret.js';

testCheck(envVarSecret, [
  {
    title: 'a token as a literal',
    breakIt: (p) => p.set(APP, `${CONTAINER}.env[3]`, { name: 'BILLING_API_TOKEN', value: 's3cr3t' }),
    expect: /BILLING_API_TOKEN has a literal value: use valueFrom\.secretKeyRef/,
  },
  {
    title: 'a database URL with its password',
    breakIt: (p) =>
      p.set(APP, `${CONTAINER}.env[2]`, { name: 'DATABASE_URL', value: 'postgres://app:hunter2@invoices-db:5432/app' }),
    expect: /DATABASE_URL holds a URL with a password/,
  },
  {
    title: 'a URL composed from Secret variables that still spells its password out',
    breakIt: (p) =>
      p.set('Deployment invoices/invoice-app', `${CONTAINER}.env[2]`, {
        name: 'DATABASE_URL',
        value: 'postgresql://$(DATABASE_USER):hunter2@invoices-pooler:5432/app',
      }),
    expect: /DATABASE_URL holds a URL with a password/,
  },
]);
