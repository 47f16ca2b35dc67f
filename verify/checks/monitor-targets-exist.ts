import type { Check, Finding } from '../check.js';
import { finding } from '../check.js';
import type { LabelSelector, ServicePort } from '../kubernetes.js';
import { selects } from '../label-selector.js';
import { namespaceOf } from '../manifest.js';
import { specOf } from '../custom-resources.js';

export const monitorTargetsExist: Check = {
  name: 'monitor-targets-exist',
  category: 'reference',
  reason:
    'A ServiceMonitor or PodMonitor that selects nothing, or names a port its targets do not have, scrapes nothing and its alerts never fire.',
  run(cluster) {
    const serviceMonitors = cluster.ofKind('ServiceMonitor').flatMap((monitor): Finding[] => {
      const spec = specOf(monitor);
      const namespace = namespaceOf(monitor.object);
      const services = cluster
        .ofKind('Service')
        .filter(
          (service) =>
            namespaceOf(service.object) === namespace &&
            selects(spec.selector as LabelSelector, service.object.metadata?.labels ?? {}),
        );
      if (services.length === 0) return [finding(monitor, 'spec.selector', `selects no Service in ${namespace}`)];
      return ((spec.endpoints ?? []) as { port?: string }[]).flatMap((endpoint, index) =>
        endpoint.port === undefined ||
        services.some((service) =>
          ((specOf(service).ports ?? []) as ServicePort[]).some((p) => p.name === endpoint.port),
        )
          ? []
          : [
              finding(
                monitor,
                `spec.endpoints[${index}].port`,
                `no selected Service has a port named ${endpoint.port}`,
              ),
            ],
      );
    });
    const podMonitors = cluster.ofKind('PodMonitor').flatMap((monitor): Finding[] => {
      const spec = specOf(monitor);
      const namespace = namespaceOf(monitor.object);
      const selector = spec.selector as LabelSelector;
      const portsOfWorkloads = cluster.workloads
        .filter((w) => w.namespace === namespace && selects(selector, w.podLabels))
        .map((w) => (w.spec.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name)));
      const portsOfOperatorPods = cluster.operatorPods
        .filter((p) => p.namespace === namespace && selects(selector, p.labels))
        .map((p) => Object.keys(p.ports));
      const targets = [...portsOfWorkloads, ...portsOfOperatorPods];
      if (targets.length === 0) return [finding(monitor, 'spec.selector', `selects no pod in ${namespace}`)];
      return ((spec.podMetricsEndpoints ?? []) as { port?: string }[]).flatMap((endpoint, index) =>
        endpoint.port === undefined || targets.every((ports) => ports.includes(endpoint.port))
          ? []
          : [
              finding(
                monitor,
                `spec.podMetricsEndpoints[${index}].port`,
                `a selected pod has no port named ${endpoint.port}`,
              ),
            ],
      );
    });
    return [...serviceMonitors, ...podMonitors];
  },
};
