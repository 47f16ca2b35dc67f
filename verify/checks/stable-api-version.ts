import type { Check } from '../check.js';
import { finding } from '../check.js';

export const stableApiVersion: Check = {
  name: 'stable-api-version',
  category: 'best-practice',
  reason: 'Alpha and beta APIs (and extensions/*) change or disappear between minor versions and break upgrades.',
  equivalents: ['kube-score:stable-version', 'kube-linter:no-extensions-v1beta'],
  run(cluster) {
    return cluster.manifests
      .filter(
        ({ object }) =>
          /\/v\d+(alpha|beta)\d*$|^extensions\//.test(object.apiVersion) || /^v\d+(alpha|beta)/.test(object.apiVersion),
      )
      .map((manifest) => finding(manifest, 'apiVersion', `${manifest.object.apiVersion} is not a stable API version`));
  },
};
