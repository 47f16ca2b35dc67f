import { configMapKey } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';

export const configDataKeys: Check = {
  name: 'config-data-keys',
  category: 'api-server',
  reason:
    "ConfigMap and Secret keys must be valid file names ('-', '_', '.', alphanumerics), never in both data and binaryData.",
  run(cluster) {
    return [...cluster.ofKind('ConfigMap'), ...cluster.ofKind('Secret')].flatMap((manifest) => {
      const found: Finding[] = [];
      const fields = manifest.object.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
      const seen = new Set<string>();
      for (const field of fields) {
        for (const key of Object.keys((manifest.object[field] ?? {}) as Record<string, unknown>)) {
          const problem = configMapKey(key);
          if (problem) found.push(finding(manifest, `${field}.${key}`, `"${key}": ${problem}`));
          if (manifest.object.kind === 'ConfigMap' && seen.has(key)) {
            found.push(finding(manifest, `${field}.${key}`, `"${key}" is in both data and binaryData`));
          }
          seen.add(key);
        }
      }
      return found;
    });
  },
};
