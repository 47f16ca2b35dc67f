import { podSecurityControl, perContainer, type Problem } from '../pod-security.js';

export const pssCapabilitiesRestricted = podSecurityControl(
  'pss-capabilities-restricted',
  'restricted',
  'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.',
  (w) =>
    perContainer(w, (c, path) => {
      const { add = [], drop = [] } = c.securityContext?.capabilities ?? {};
      const problems: Problem[] = [];
      if (!drop.includes('ALL'))
        problems.push({
          path: `${path}.securityContext.capabilities.drop`,
          message: 'capabilities.drop must include ALL',
        });
      for (const capability of add.filter((name) => name !== 'NET_BIND_SERVICE')) {
        problems.push({
          path: `${path}.securityContext.capabilities.add`,
          message: `capability ${capability} may not be added`,
        });
      }
      return problems;
    }),
  ['kube-linter:drop-net-raw-capability'],
);
