import type { Check } from '../check.js';
import { finding } from '../check.js';

export const serviceType: Check = {
  name: 'service-type',
  category: 'best-practice',
  reason: 'A NodePort Service opens a port on every node, around the Ingress and its TLS; expose through the Ingress.',
  equivalents: ['kube-score:service-type'],
  run(cluster) {
    return cluster.ofKind('Service').flatMap((manifest) => {
      const type = (manifest.object.spec as { type?: string } | undefined)?.type;
      return type === 'NodePort' ? [finding(manifest, 'spec.type', 'NodePort: use ClusterIP behind the Ingress')] : [];
    });
  },
};
