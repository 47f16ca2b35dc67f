import { testCheck } from '../testing/broken-cases.js';
import { cluster, pooler } from '../testing/added-objects.js';
import { postgresReferencesExist } from './postgres-references-exist.js';

testCheck(postgresReferencesExist, [
  {
    title: 'a Pooler of a Cluster that does not exist',
    breakIt: (p) => p.add(cluster('invoices-db') + '---' + pooler('invoice-db')),
    expect: /Pooler invoices\/invoices-pooler spec\.cluster\.name: Cluster invoices\/invoice-db does not exist/,
  },
  {
    title: 'a daily backup of a Cluster without an object store',
    breakIt: (p) =>
      p.add(`${cluster('invoices-db')}---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: { name: invoices-db-daily, namespace: invoices }
spec: { cluster: { name: invoices-db }, schedule: '0 0 3 * * *' }
`),
    expect: /ScheduledBackup invoices\/invoices-db-daily spec\.method: .*has no spec\.backup\.barmanObjectStore/,
  },
]);
