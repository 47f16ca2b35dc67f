import { dns1123Label } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { Volume } from '../kubernetes.js';
import { containersOf } from '../workload.js';

/** The fields of a Volume that name its source; the API server wants exactly one. */
function volumeSources(volume: Volume): string[] {
  return Object.keys(volume).filter((key) => key !== 'name');
}

export const volumes: Check = {
  name: 'volumes',
  category: 'api-server',
  reason:
    'Volumes need unique DNS-1123 names and one source; every mount must name a volume of the pod, at a unique path.',
  run(cluster) {
    return cluster.workloads.flatMap((workload) => {
      const found: Finding[] = [];
      // A StatefulSet's volumeClaimTemplates become volumes of its pods, under the template's name.
      const claimTemplates = (
        workload.manifest.object.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] } | undefined
      )?.volumeClaimTemplates;
      const names = new Set<string>(
        workload.kind === 'StatefulSet' ? (claimTemplates ?? []).map((claim) => claim.metadata?.name ?? '') : [],
      );
      (workload.spec.volumes ?? []).forEach((volume, index) => {
        const at = `${workload.specPath}.volumes[${index}]`;
        const problem = dns1123Label(String(volume.name));
        if (problem) found.push(finding(workload.manifest, `${at}.name`, `"${volume.name}": ${problem}`));
        if (names.has(volume.name))
          found.push(finding(workload.manifest, `${at}.name`, `duplicate volume name "${volume.name}"`));
        names.add(volume.name);
        const sources = volumeSources(volume);
        if (sources.length !== 1) {
          found.push(
            finding(workload.manifest, at, `a volume needs exactly one source (has ${sources.join(', ') || 'none'})`),
          );
        }
      });
      for (const { container, path } of containersOf(workload)) {
        const mountPaths = new Set<string>();
        (container.volumeMounts ?? []).forEach((mount, index) => {
          const at = `${path}.volumeMounts[${index}]`;
          if (!names.has(mount.name))
            found.push(
              finding(workload.manifest, `${at}.name`, `mounts volume "${mount.name}", which the pod does not declare`),
            );
          if (mountPaths.has(mount.mountPath))
            found.push(finding(workload.manifest, `${at}.mountPath`, `"${mount.mountPath}" is mounted twice`));
          mountPaths.add(mount.mountPath);
        });
      }
      return found;
    });
  },
};
