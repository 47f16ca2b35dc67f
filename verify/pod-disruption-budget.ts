import type { Cluster } from './cluster.js';
import type { IntOrString, LabelSelector } from './kubernetes.js';
import { selects } from './label-selector.js';
import type { Manifest } from './manifest.js';
import { namespaceOf } from './manifest.js';
import type { Workload } from './workload.js';

export interface PdbSpec {
  selector?: LabelSelector;
  minAvailable?: IntOrString;
  maxUnavailable?: IntOrString;
  unhealthyPodEvictionPolicy?: string;
}

export const pdbSpecOf = (manifest: Manifest) => (manifest.object.spec ?? {}) as PdbSpec;

/** The PDBs whose selector covers the workload's pods. */
export function budgetsFor(cluster: Cluster, workload: Workload): Manifest[] {
  return cluster
    .ofKind('PodDisruptionBudget')
    .filter(
      (pdb) => namespaceOf(pdb.object) === workload.namespace && selects(pdbSpecOf(pdb).selector, workload.podLabels),
    );
}
