import { perContainerCheck } from '../container-check.js';

export const sshPort = perContainerCheck(
  {
    name: 'ssh-port',
    category: 'best-practice',
    reason: 'Port 22 is SSH: a container that exposes it invites logins that bypass kubectl and its audit log.',
    equivalents: ['kube-linter:ssh-port'],
  },
  (container, _workload, path) => {
    const index = (container.ports ?? []).findIndex((port) => port.containerPort === 22);
    return index < 0 ? undefined : { path: `${path}.ports[${index}]`, message: 'exposes port 22' };
  },
);
