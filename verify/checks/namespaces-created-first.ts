import type { Check } from '../check.js';
import { finding } from '../check.js';
import { isNamespaced } from '../kubernetes.js';
import { namespaceOf } from '../manifest.js';
import { BUILT_IN_NAMESPACES } from '../kubernetes.js';

export const namespacesCreatedFirst: Check = {
  name: 'namespaces-created-first',
  category: 'reference',
  reason:
    '`kubectl apply -f dist` on an empty cluster fails for an object whose Namespace is missing or comes after it.',
  run(cluster) {
    return cluster.manifests
      .filter(({ object }) => isNamespaced(object.kind))
      .flatMap((manifest) => {
        const namespace = namespaceOf(manifest.object);
        if (BUILT_IN_NAMESPACES.has(namespace)) {
          return namespace === 'default' && manifest.object.metadata?.namespace === undefined
            ? [
                finding(
                  manifest,
                  'metadata.namespace',
                  'no namespace: it would land in whatever namespace kubectl is set to',
                ),
              ]
            : [];
        }
        const created = cluster.find('Namespace', namespace);
        if (!created)
          return [finding(manifest, 'metadata.namespace', `namespace ${namespace} is not created by the manifests`)];
        if (created.order > manifest.order) {
          return [
            finding(
              manifest,
              'metadata.namespace',
              `namespace ${namespace} is created later (${created.source}), so a first apply fails`,
            ),
          ];
        }
        return [];
      });
  },
};
