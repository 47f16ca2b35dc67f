import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { PolicyRule } from '../kubernetes.js';

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
