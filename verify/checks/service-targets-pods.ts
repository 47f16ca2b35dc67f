import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import { selects } from '../label-selector.js';
import { namespaceOf } from '../manifest.js';
import { type ServiceSpec } from '../kubernetes.js';

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
