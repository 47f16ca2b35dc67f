import { labelValue, qualifiedName } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { ObjectMeta } from '../kubernetes.js';
import type { Manifest } from '../manifest.js';
import { workloadOf } from '../workload.js';

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

function metadataProblems(manifest: Manifest, metadata: ObjectMeta | undefined, at: string): Finding[] {
  const found: Finding[] = [];
  for (const [key, value] of Object.entries(metadata?.labels ?? {})) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) found.push(finding(manifest, `${at}.labels`, `label key "${key}": ${keyProblem}`));
    const valueProblem = typeof value === 'string' ? labelValue(value) : 'must be a string';
    if (valueProblem)
      found.push(finding(manifest, `${at}.labels.${key}`, `label value "${String(value)}": ${valueProblem}`));
  }
  const annotations = metadata?.annotations ?? {};
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) found.push(finding(manifest, `${at}.annotations`, `annotation key "${key}": ${keyProblem}`));
    bytes += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (bytes > ANNOTATIONS_MAX_BYTES) {
    found.push(
      finding(
        manifest,
        `${at}.annotations`,
        `annotations total ${bytes} bytes, more than the 256 KiB the API server allows`,
      ),
    );
  }
  return found;
}

export const labelSyntax: Check = {
  name: 'label-syntax',
  category: 'api-server',
  reason:
    'The API server rejects label keys and values (and annotation keys) that are not qualified names / label values.',
  equivalents: ['kube-score:label-values'],
  run(cluster) {
    return cluster.manifests.flatMap((manifest) => {
      const found = metadataProblems(manifest, manifest.object.metadata, 'metadata');
      const workload = workloadOf(manifest);
      if (workload && workload.kind !== 'Pod') {
        const templatePath = workload.specPath.replace(/\.spec$/, '.metadata');
        found.push(
          ...metadataProblems(
            manifest,
            { labels: workload.podLabels, annotations: workload.podAnnotations },
            templatePath,
          ),
        );
      }
      return found;
    });
  },
};
