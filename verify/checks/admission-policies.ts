import { AdmissionPolicies } from '../admission.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';

export const admissionPolicies: Check = {
  name: 'admission-policies',
  category: 'api-server',
  reason:
    "The manifests' own ValidatingAdmissionPolicies must parse and admit every object the manifests create where they are bound: the API server refuses what fails them.",
  run(cluster) {
    const policies = new AdmissionPolicies(cluster);
    const found: Finding[] = policies
      .syntaxErrors()
      .map(({ manifest, path, message }) => finding(manifest, path, `CEL does not parse: ${message}`));
    if (found.length > 0) return found;
    for (const manifest of cluster.manifests) {
      for (const refusal of policies.review({ operation: 'CREATE', object: manifest.object })) {
        found.push(
          finding(manifest, undefined, `refused by ValidatingAdmissionPolicy ${refusal.policy}: ${refusal.message}`),
        );
      }
    }
    return found;
  },
};
