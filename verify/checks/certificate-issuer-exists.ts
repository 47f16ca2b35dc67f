import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { namespaceOf } from '../manifest.js';
import { specOf, objectExists, missingObject } from '../custom-resources.js';

export const certificateIssuerExists: Check = {
  name: 'certificate-issuer-exists',
  category: 'reference',
  reason: 'A Certificate whose issuer does not exist is never issued, and the listener serving it has no certificate.',
  run(cluster) {
    return cluster.ofKind('Certificate').flatMap((certificate): Finding[] => {
      const ref = (specOf(certificate).issuerRef ?? {}) as { name?: string; kind?: string; group?: string };
      if (ref.group !== undefined && ref.group !== 'cert-manager.io') return [];
      const kind = ref.kind ?? 'Issuer';
      const namespace = namespaceOf(certificate.object);
      return objectExists(cluster, kind, ref.name ?? '', namespace)
        ? []
        : [finding(certificate, 'spec.issuerRef', missingObject(kind, ref.name ?? '', namespace))];
    });
  },
};
