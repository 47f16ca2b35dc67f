import { dns1123Subdomain, pathSegmentName } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { PolicyRule, RoleRef, Subject } from '../kubernetes.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const rbacRules: Check = {
  name: 'rbac-rules',
  category: 'api-server',
  reason:
    'RBAC rules need verbs, and resource rules at least one apiGroup and resource; nonResourceURLs only in ClusterRoles.',
  run(cluster) {
    return [...cluster.ofKind('Role'), ...cluster.ofKind('ClusterRole')].flatMap((manifest) => {
      const rules = (manifest.object.rules ?? []) as PolicyRule[];
      return rules.flatMap((rule, index) => {
        const at = `rules[${index}]`;
        const found: Finding[] = [];
        if ((rule.verbs ?? []).length === 0)
          found.push(finding(manifest, `${at}.verbs`, 'verbs must contain at least one value'));
        const nonResource = (rule.nonResourceURLs ?? []).length > 0;
        if (nonResource) {
          if (manifest.object.kind === 'Role')
            found.push(
              finding(manifest, `${at}.nonResourceURLs`, 'namespaced rules cannot apply to non-resource URLs'),
            );
          if ((rule.resources ?? []).length > 0 || (rule.apiGroups ?? []).length > 0) {
            found.push(finding(manifest, at, 'a rule may name resources or nonResourceURLs, not both'));
          }
        } else {
          if (rule.apiGroups === undefined || rule.apiGroups.length === 0) {
            found.push(
              finding(
                manifest,
                `${at}.apiGroups`,
                'resource rules must supply at least one api group (use "" for the core group)',
              ),
            );
          }
          if ((rule.resources ?? []).length === 0)
            found.push(finding(manifest, `${at}.resources`, 'resource rules must supply at least one resource'));
        }
        return found;
      });
    });
  },
};

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
