import { podSecurityControl } from '../pod-security.js';

export const pssHostNamespaces = podSecurityControl(
  'pss-host-namespaces',
  'baseline',
  "Sharing the host's network, PID or IPC namespace breaks the pod's isolation from the node.",
  (w) =>
    (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((field) => w.spec[field] === true)
      .map((field) => ({ path: `${w.specPath}.${field}`, message: `${field} must not be true` })),
  ['kube-linter:host-network', 'kube-linter:host-pid', 'kube-linter:host-ipc'],
);
