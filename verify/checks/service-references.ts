import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { IngressBackend, IngressSpec, Labels, ServicePort } from '../kubernetes.js';
import { selects } from '../label-selector.js';
import type { Manifest } from '../manifest.js';
import { namespaceOf } from '../manifest.js';

interface ServiceSpec {
  selector?: Labels;
  ports?: ServicePort[];
  type?: string;
}

export const serviceTargetsPods: Check = {
  name: 'service-targets-pods',
  category: 'reference',
  reason:
    'A Service whose selector matches no pod, or whose targetPort no selected pod declares, sends traffic nowhere.',
  equivalents: ['kube-linter:dangling-service', 'kube-score:service-targets-pod'],
  run(cluster) {
    return cluster.ofKind('Service').flatMap((service) => {
      const spec = (service.object.spec ?? {}) as ServiceSpec;
      if (!spec.selector || Object.keys(spec.selector).length === 0 || spec.type === 'ExternalName') return [];
      const namespace = namespaceOf(service.object);
      const pods = cluster.workloads.filter(
        (workload) =>
          workload.namespace === namespace &&
          workload.longRunning &&
          selects({ matchLabels: spec.selector }, workload.podLabels),
      );
      if (pods.length === 0) return [finding(service, 'spec.selector', 'selects no pod of the manifests')];
      return (spec.ports ?? []).flatMap((port, index): Finding[] => {
        const target = port.targetPort ?? port.port;
        const missing = pods.filter(
          (pod) =>
            !(pod.spec.containers ?? []).some((container) =>
              (container.ports ?? []).some((declared) =>
                typeof target === 'string' ? declared.name === target : declared.containerPort === target,
              ),
            ),
        );
        return missing.map((pod) =>
          finding(
            service,
            `spec.ports[${index}].targetPort`,
            `targetPort ${target} is not a port that ${pod.kind} ${pod.name} declares`,
          ),
        );
      });
    });
  },
};

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
