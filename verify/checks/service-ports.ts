import { dns1123Label, ianaSvcName, portNumber } from '../api-validation.js';
import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { ServicePort } from '../kubernetes.js';

export const servicePorts: Check = {
  name: 'service-ports',
  category: 'api-server',
  reason:
    'Service ports need valid, unique names (required with more than one port), unique port/protocol and a valid targetPort.',
  equivalents: ['kube-linter:invalid-target-ports'],
  run(cluster) {
    return cluster.ofKind('Service').flatMap((manifest) => {
      const spec = (manifest.object.spec ?? {}) as { ports?: ServicePort[]; type?: string; clusterIP?: string };
      const ports = spec.ports ?? [];
      const found: Finding[] = [];
      if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
        found.push(finding(manifest, 'spec.ports', 'a Service needs at least one port'));
      }
      const names = new Set<string>();
      const numbers = new Set<string>();
      ports.forEach((port, index) => {
        const at = `spec.ports[${index}]`;
        if (port.name === undefined || port.name === '') {
          if (ports.length > 1)
            found.push(finding(manifest, `${at}.name`, 'a name is required when a Service has more than one port'));
        } else {
          const problem = dns1123Label(port.name);
          if (problem) found.push(finding(manifest, `${at}.name`, `"${port.name}": ${problem}`));
          if (names.has(port.name)) found.push(finding(manifest, `${at}.name`, `duplicate port name "${port.name}"`));
          names.add(port.name);
        }
        const portProblem = portNumber(port.port ?? 0);
        if (portProblem) found.push(finding(manifest, `${at}.port`, `${port.port} ${portProblem}`));
        const key = `${port.port}/${port.protocol ?? 'TCP'}`;
        if (numbers.has(key)) found.push(finding(manifest, `${at}.port`, `duplicate port ${key}`));
        numbers.add(key);
        if (port.targetPort !== undefined) {
          const target = port.targetPort;
          const problem = typeof target === 'number' ? portNumber(target) : ianaSvcName(target);
          if (problem) found.push(finding(manifest, `${at}.targetPort`, `${target} ${problem}`));
        }
      });
      return found;
    });
  },
};
