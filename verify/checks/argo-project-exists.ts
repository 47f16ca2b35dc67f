import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { namespaceOf } from '../manifest.js';
import { specOf, objectExists } from '../custom-resources.js';

export const argoProjectExists: Check = {
  name: 'argo-project-exists',
  category: 'reference',
  reason: 'An Argo CD Application whose AppProject does not exist is refused: nothing syncs.',
  run(cluster) {
    return cluster.ofKind('Application').flatMap((application): Finding[] => {
      const project = String(specOf(application).project ?? '');
      const namespace = namespaceOf(application.object);
      return project === 'default' || objectExists(cluster, 'AppProject', project, namespace)
        ? []
        : [finding(application, 'spec.project', `AppProject ${namespace}/${project} does not exist`)];
    });
  },
};
