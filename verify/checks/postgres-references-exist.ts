import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';
import { type Spec, specOf, objectExists, missingObject } from '../custom-resources.js';

export const postgresReferencesExist: Check = {
  name: 'postgres-references-exist',
  category: 'reference',
  reason:
    'A Pooler or ScheduledBackup naming a missing CloudNativePG Cluster never becomes ready, a backup of a cluster without an object store fails, and backup credentials in a missing Secret stop WAL archiving.',
  run(cluster) {
    const clusterOf = (manifest: Manifest) => {
      const name = ((specOf(manifest).cluster ?? {}) as { name?: string }).name ?? '';
      const namespace = namespaceOf(manifest.object);
      return { name, namespace, found: cluster.find('Cluster', name, namespace) };
    };
    const poolers = cluster.ofKind('Pooler').flatMap((pooler): Finding[] => {
      const { name, namespace, found } = clusterOf(pooler);
      return found ? [] : [finding(pooler, 'spec.cluster.name', `Cluster ${namespace}/${name} does not exist`)];
    });
    const backups = cluster.ofKind('ScheduledBackup').flatMap((backup): Finding[] => {
      const { name, namespace, found } = clusterOf(backup);
      if (!found) return [finding(backup, 'spec.cluster.name', `Cluster ${namespace}/${name} does not exist`)];
      const method = specOf(backup).method ?? 'barmanObjectStore';
      const store = ((specOf(found).backup ?? {}) as Spec).barmanObjectStore;
      return method === 'barmanObjectStore' && store === undefined
        ? [
            finding(
              backup,
              'spec.method',
              `Cluster ${namespace}/${name} has no spec.backup.barmanObjectStore to back up to`,
            ),
          ]
        : [];
    });
    const credentials = cluster.ofKind('Cluster').flatMap((manifest): Finding[] => {
      const s3 = ((((specOf(manifest).backup ?? {}) as Spec).barmanObjectStore ?? {}) as Spec).s3Credentials as
        Record<string, { name?: string } | boolean> | undefined;
      const namespace = namespaceOf(manifest.object);
      return Object.entries(s3 ?? {}).flatMap(([field, ref]) =>
        typeof ref === 'object' && ref.name && !objectExists(cluster, 'Secret', ref.name, namespace)
          ? [
              finding(
                manifest,
                `spec.backup.barmanObjectStore.s3Credentials.${field}`,
                missingObject('Secret', ref.name, namespace),
              ),
            ]
          : [],
      );
    });
    return [...poolers, ...backups, ...credentials];
  },
};
