import { dns1035Label, dns1123Label, dns1123Subdomain, pathSegmentName } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { isNamespaced } from '../kubernetes.js';

/** How the 1.27 API server validates `metadata.name`, per kind; DNS-1123 subdomain for the rest. */
const NAME_RULE: Record<string, { rule: (name: string) => string | undefined; label: string }> = {
  Namespace: { rule: dns1123Label, label: 'DNS-1123 label' },
  Service: { rule: dns1035Label, label: 'DNS-1035 label' },
  Role: { rule: pathSegmentName, label: 'path segment' },
  ClusterRole: { rule: pathSegmentName, label: 'path segment' },
  RoleBinding: { rule: pathSegmentName, label: 'path segment' },
  ClusterRoleBinding: { rule: pathSegmentName, label: 'path segment' },
};
const SUBDOMAIN = { rule: dns1123Subdomain, label: 'DNS-1123 subdomain' };

/**
 * Names that validate but break their pods: the controllers copy them into label values (63
 * characters at most) with a suffix. A CronJob's Jobs get an 11-character suffix (the API server
 * enforces 52), a Job's name becomes the `job-name` label, a StatefulSet's the revision-hash label.
 */
const MAX_LENGTH: Record<string, number> = { CronJob: 52, Job: 63, StatefulSet: 52 };

export const objectNames: Check = {
  name: 'object-names',
  category: 'api-server',
  reason: 'The API server rejects names that are not DNS-1123 subdomains, labels or DNS-1035 labels, per kind.',
  run(cluster) {
    const found: Finding[] = [];
    for (const manifest of cluster.manifests) {
      const { kind, metadata } = manifest.object;
      const name = metadata?.name;
      if (typeof name !== 'string' || name.length === 0) {
        found.push(
          finding(manifest, 'metadata.name', 'name is required (kubectl apply cannot address an unnamed object)'),
        );
        continue;
      }
      const { rule, label } = NAME_RULE[kind] ?? SUBDOMAIN;
      const problem = rule(name);
      if (problem) found.push(finding(manifest, 'metadata.name', `"${name}" is not a valid ${label}: ${problem}`));
      const max = MAX_LENGTH[kind];
      if (max !== undefined && name.length > max) {
        found.push(
          finding(
            manifest,
            'metadata.name',
            `a ${kind} name must be no more than ${max} characters (is ${name.length})`,
          ),
        );
      }
      const namespace = metadata?.namespace;
      if (namespace !== undefined) {
        if (!isNamespaced(kind)) {
          found.push(
            finding(manifest, 'metadata.namespace', `${kind} is cluster-scoped: namespace is not allowed on this type`),
          );
        } else {
          const nsProblem = dns1123Label(namespace);
          if (nsProblem)
            found.push(
              finding(manifest, 'metadata.namespace', `"${namespace}" is not a valid namespace: ${nsProblem}`),
            );
        }
      }
    }
    return found;
  },
};
