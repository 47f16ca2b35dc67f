import { isBuiltInClusterRole } from '../built-in-cluster-roles.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { RoleRef, Subject } from '../kubernetes.js';
import { namespaceOf } from '../manifest.js';
import { BUILT_IN_NAMESPACES } from '../kubernetes.js';

export const roleBindingReferencesExist: Check = {
  name: 'role-binding-references-exist',
  category: 'reference',
  reason:
    'A binding to a missing Role grants nothing, and one to a missing ServiceAccount waits for whoever creates that name.',
  run(cluster) {
    return [...cluster.ofKind('RoleBinding'), ...cluster.ofKind('ClusterRoleBinding')].flatMap((binding) => {
      const found: Finding[] = [];
      const namespace = namespaceOf(binding.object);
      const roleRef = (binding.object.roleRef ?? {}) as RoleRef;
      const name = roleRef.name ?? '';
      const roleExists =
        roleRef.kind === 'Role'
          ? cluster.find('Role', name, namespace)
          : cluster.find('ClusterRole', name) || isBuiltInClusterRole(name);
      if (!roleExists) found.push(finding(binding, 'roleRef', `${roleRef.kind} ${name} does not exist`));
      ((binding.object.subjects ?? []) as Subject[]).forEach((subject, index) => {
        if (subject.kind !== 'ServiceAccount') return;
        const accountNamespace = subject.namespace ?? namespace;
        const known = BUILT_IN_NAMESPACES.has(accountNamespace) && subject.name === 'default';
        if (!known && !cluster.find('ServiceAccount', subject.name, accountNamespace)) {
          found.push(
            finding(binding, `subjects[${index}]`, `ServiceAccount ${accountNamespace}/${subject.name} does not exist`),
          );
        }
      });
      return found;
    });
  },
};
