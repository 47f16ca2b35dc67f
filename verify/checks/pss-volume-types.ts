import { podSecurityControl } from '../pod-security.js';

const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export const pssVolumeTypes = podSecurityControl(
  'pss-volume-types',
  'restricted',
  'Only ephemeral and claim-based volume types; others (nfs, iscsi, ...) reach outside the pod.',
  (w) =>
    (w.spec.volumes ?? []).flatMap((volume, index) =>
      Object.keys(volume)
        .filter((key) => key !== 'name' && key !== 'hostPath' && !RESTRICTED_VOLUME_SOURCES.has(key))
        .map((key) => ({
          path: `${w.specPath}.volumes[${index}].${key}`,
          message: `volume type ${key} is not allowed`,
        })),
    ),
);
