import { podSecurityControl } from '../pod-security.js';

export const pssHostPath = podSecurityControl(
  'pss-host-path',
  'baseline',
  'hostPath volumes expose the node filesystem (docker.sock, /etc, /proc, ...) to the container.',
  (w) =>
    (w.spec.volumes ?? []).flatMap((volume, index) =>
      volume.hostPath
        ? [
            {
              path: `${w.specPath}.volumes[${index}].hostPath`,
              message: `hostPath ${volume.hostPath.path} is not allowed`,
            },
          ]
        : [],
    ),
  ['kube-linter:docker-sock', 'kube-linter:sensitive-host-mounts'],
);
