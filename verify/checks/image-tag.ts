import { perContainerCheck } from '../container-check.js';

/** The tag of an image reference, `undefined` when untagged; a digest counts as pinned. */
function tagOf(image: string): string | undefined {
  if (image.includes('@')) return image.split('@')[1];
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

export const imageTag = perContainerCheck(
  {
    name: 'image-tag',
    category: 'best-practice',
    reason: 'An untagged or `latest` image changes under a running Deployment: every pod may run different code.',
    equivalents: ['kube-linter:latest-tag', 'kube-score:container-image-tag'],
  },
  (container, _workload, path) => {
    const image = container.image ?? '';
    const tag = tagOf(image);
    if (tag && tag !== 'latest') return undefined;
    return { path: `${path}.image`, message: `"${image}" must name an explicit tag other than latest (or a digest)` };
  },
);
