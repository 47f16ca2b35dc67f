import { podSecurityControl, perContainer } from '../pod-security.js';

export const pssHostPorts = podSecurityControl(
  'pss-host-ports',
  'baseline',
  'hostPort binds a port on the node, bypassing Services and NetworkPolicies.',
  (w) =>
    perContainer(w, (c, path) =>
      (c.ports ?? []).flatMap((port, index) =>
        port.hostPort
          ? [{ path: `${path}.ports[${index}].hostPort`, message: `hostPort ${port.hostPort} is not allowed` }]
          : [],
      ),
    ),
);
