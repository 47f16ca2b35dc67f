import { dns1123Subdomain, pathSegmentName } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { RoleRef, Subject } from '../kubernetes.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function subjectProblem(subject: Subject, clusterWide: boolean): string | undefined {
  if (!subject.name) return 'name is required';
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.apiGroup) return `apiGroup must be "" for a ServiceAccount (is "${subject.apiGroup}")`;
      if (clusterWide && !subject.namespace)
        return 'namespace is required for a ServiceAccount in a ClusterRoleBinding';
      return dns1123Subdomain(subject.name);
    case 'User':
    case 'Group':
      return subject.apiGroup === RBAC_GROUP ? undefined : `apiGroup must be "${RBAC_GROUP}" for a ${subject.kind}`;
    default:
      return `kind "${subject.kind}" is not ServiceAccount, User or Group`;
  }
}

export const rbacBindings: Check = {
  name: 'rbac-bindings',
  category: 'api-server',
  reason:
    'A binding needs roleRef apiGroup rbac.authorization.k8s.io and kind Role/ClusterRole, and well-formed subjects.',
  run(cluster) {
    return [...cluster.ofKind('RoleBinding'), ...cluster.ofKind('ClusterRoleBinding')].flatMap((manifest) => {
      const clusterWide = manifest.object.kind === 'ClusterRoleBinding';
      const roleRef = (manifest.object.roleRef ?? {}) as RoleRef;
      const found: Finding[] = [];
      if (roleRef.apiGroup !== RBAC_GROUP) found.push(finding(manifest, 'roleRef.apiGroup', `must be ${RBAC_GROUP}`));
      const kinds = clusterWide ? ['ClusterRole'] : ['Role', 'ClusterRole'];
      if (!kinds.includes(roleRef.kind ?? ''))
        found.push(finding(manifest, 'roleRef.kind', `"${roleRef.kind}" must be ${kinds.join(' or ')}`));
      const nameProblem = roleRef.name ? pathSegmentName(roleRef.name) : 'name is required';
      if (nameProblem) found.push(finding(manifest, 'roleRef.name', nameProblem));
      ((manifest.object.subjects ?? []) as Subject[]).forEach((subject, index) => {
        const problem = subjectProblem(subject, clusterWide);
        if (problem)
          found.push(finding(manifest, `subjects[${index}]`, `${subject.kind} "${subject.name}": ${problem}`));
      });
      return found;
    });
  },
};
