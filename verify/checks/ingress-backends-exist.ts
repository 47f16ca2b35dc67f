import type { Check } from '../check.js';
import { finding } from '../check.js';
import type { IngressBackend, IngressSpec } from '../kubernetes.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';
import { type ServiceSpec } from '../kubernetes.js';

function backendProblem(
  cluster: { find(kind: string, name: string, namespace?: string): Manifest | undefined },
  backend: IngressBackend,
  namespace: string,
): string | undefined {
  const name = backend.service?.name;
  if (!name) return undefined;
  const service = cluster.find('Service', name, namespace);
  if (!service) return `Service ${namespace}/${name} does not exist`;
  const { name: portName, number } = backend.service?.port ?? {};
  const ports = ((service.object.spec ?? {}) as ServiceSpec).ports ?? [];
  const found = ports.some((port) => (portName !== undefined ? port.name === portName : port.port === number));
  return found ? undefined : `Service ${namespace}/${name} has no port ${portName ?? number}`;
}

export const ingressBackendsExist: Check = {
  name: 'ingress-backends-exist',
  category: 'reference',
  reason: 'An Ingress backend naming a missing Service or port answers 503 for every request.',
  equivalents: ['kube-score:ingress-targets-service', 'kube-linter:dangling-ingress'],
  run(cluster) {
    return cluster.ofKind('Ingress').flatMap((ingress) => {
      const spec = (ingress.object.spec ?? {}) as IngressSpec;
      const namespace = namespaceOf(ingress.object);
      const backends = [
        ...(spec.defaultBackend ? [{ backend: spec.defaultBackend, path: 'spec.defaultBackend' }] : []),
        ...(spec.rules ?? []).flatMap((rule, r) =>
          (rule.http?.paths ?? []).map((path, p) => ({
            backend: path.backend ?? {},
            path: `spec.rules[${r}].http.paths[${p}].backend`,
          })),
        ),
      ];
      return backends.flatMap(({ backend, path }) => {
        const problem = backendProblem(cluster, backend, namespace);
        return problem ? [finding(ingress, path, problem)] : [];
      });
    });
  },
};
