import { perContainerCheck } from '../container-check.js';

export const imagePullPolicy = perContainerCheck(
  {
    name: 'image-pull-policy',
    category: 'best-practice',
    reason:
      'Images are pinned (a tag never reused, or a digest), so a copy on the node is the same image: IfNotPresent starts pods without a registry (images loaded into the node, a registry outage) and is what the contract says.',
    equivalents: [],
  },
  (container, _workload, path) =>
    container.imagePullPolicy === 'IfNotPresent'
      ? undefined
      : {
          path: `${path}.imagePullPolicy`,
          message: `imagePullPolicy is ${container.imagePullPolicy ?? 'unset'}, should be IfNotPresent`,
        },
);
