import { perContainerCheck } from '../container-check.js';

export const containerResources = perContainerCheck(
  {
    name: 'container-resources',
    category: 'best-practice',
    reason: 'Without CPU and memory requests and limits a pod is scheduled blind and can starve its neighbours.',
    equivalents: [
      'kube-linter:unset-cpu-requirements',
      'kube-linter:unset-memory-requirements',
      'kube-score:container-resources',
    ],
  },
  (container, _workload, path) => {
    const missing = (['requests', 'limits'] as const).flatMap((group) =>
      ['cpu', 'memory']
        .filter((resource) => container.resources?.[group]?.[resource] === undefined)
        .map((resource) => `${group}.${resource}`),
    );
    return missing.length === 0 ? undefined : { path: `${path}.resources`, message: `missing ${missing.join(', ')}` };
  },
  { skipEphemeral: true },
);
