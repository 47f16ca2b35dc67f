import type { Check } from '../check.js';
import { finding } from '../check.js';

export const cronjobDeadline: Check = {
  name: 'cronjob-deadline',
  category: 'best-practice',
  reason: 'Without startingDeadlineSeconds a CronJob that missed many runs (controller down) may never start again.',
  equivalents: ['kube-score:cronjob-has-deadline'],
  run(cluster) {
    return cluster.ofKind('CronJob').flatMap((manifest) => {
      const spec = (manifest.object.spec ?? {}) as { startingDeadlineSeconds?: unknown };
      if (typeof spec.startingDeadlineSeconds === 'number' && spec.startingDeadlineSeconds > 0) return [];
      return [finding(manifest, 'spec.startingDeadlineSeconds', 'set startingDeadlineSeconds (e.g. 300)')];
    });
  },
};
