import type { Check } from '../check.js';
import { finding } from '../check.js';
import { isNamespaced } from '../kubernetes.js';
import { namespaceOf } from '../manifest.js';
import { ENFORCE_LABEL } from './pod-security-standards.js';

/** Namespaces every cluster has; objects may live there without the manifests creating them. */
export const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

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

export const namespaceEnforcesRestricted: Check = {
  name: 'namespace-enforces-restricted',
  category: 'best-practice',
  reason:
    'Enforcing the restricted Pod Security Standard on the namespace makes the cluster reject any pod that slips past review.',
  equivalents: ['pss:enforce'],
  run(cluster) {
    return cluster
      .ofKind('Namespace')
      .flatMap((manifest) =>
        manifest.object.metadata?.labels?.[ENFORCE_LABEL] === 'restricted'
          ? []
          : [finding(manifest, `metadata.labels.${ENFORCE_LABEL}`, `label ${ENFORCE_LABEL}: restricted is missing`)],
      );
  },
};
